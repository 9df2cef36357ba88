"""The French documentation page of the API (`/api/v1/`), rendered on the server from the OpenAPI document
(one source for both): every route, its parameters, its scope, one `curl` example; no script, no CDN."""

from __future__ import annotations

import re

from markupsafe import escape

from dashboard.domain.vocabulaire import PORTEES_API
from dashboard.web.api.autorisation import LIMITE_PAR_MINUTE

STYLES = (
    '<link rel="stylesheet" href="/assets/01-bootstrap-5.3.9.min.css">'
    '<link rel="stylesheet" href="/assets/02-theme.css">'
)
EXEMPLES = {
    "/indicateurs": "/indicateurs?niveau=departement&vague=2019&region=53&format=csv",
    "/entites/{niveau}/{code}": "/entites/departement/29",
    "/entites/{niveau}/{code}/series": "/entites/departement/29/series?format=csv",
    "/openapi.json": "/openapi.json",
    "/": "/",
}


def exemple_curl(base: str, chemin: str, avec_jeton: bool = True) -> str:
    entete = ' -H "Authorization: Bearer $JETON"' if avec_jeton else ""
    return f'curl{entete} "{base}/api/v1{EXEMPLES[chemin]}"'


def _texte(texte: str) -> str:
    """A description of the OpenAPI document as HTML: escaped, then its `code` spans shown as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(texte)))


def _parametres(operation: dict) -> str:
    lignes = []
    for p in operation.get("parameters", []):
        schema = p["schema"]
        valeurs = " | ".join(schema["enum"]) if "enum" in schema else f"ex. {p.get('example', '')}"
        requis = "oui" if p.get("required") else "non"
        lignes.append(
            f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p['in'])}</td><td>{requis}</td>"
            f"<td><code>{escape(valeurs)}</code></td><td>{_texte(p['description'])}</td></tr>"
        )
    if not lignes:
        return "<p>Aucun paramètre.</p>"
    return (
        '<table class="table table-sm"><caption>Paramètres</caption><thead><tr><th scope="col">nom</th>'
        '<th scope="col">où</th><th scope="col">requis</th><th scope="col">valeurs</th>'
        f'<th scope="col">sens</th></tr></thead><tbody>{"".join(lignes)}</tbody></table>'
    )


def _acces(operation: dict) -> str:
    exigences = operation.get("security", [])
    portees = [p for e in exigences for p in e.get("jeton", [])]
    sans_jeton = {} in exigences
    texte = f"portée <code>{escape(portees[0])}</code>" if portees else "tout jeton valide"
    return texte + (" — ou sans jeton (mode public)" if sans_jeton else "")


def page(document: dict, base: str, public: bool) -> str:
    sections = []
    for chemin, methodes in document["paths"].items():
        operation = methodes["get"]
        exemple = exemple_curl(base, chemin)
        sections.append(
            f'<section class="mb-5" id="{escape(operation["operationId"])}">'
            f'<h2 class="h4"><code>GET /api/v1{escape(chemin)}</code> — {escape(operation["summary"])}</h2>'
            f"<p>{_texte(operation.get('description', ''))}</p>"
            f"<p><strong>Accès :</strong> {_acces(operation)}.</p>"
            f"{_parametres(operation)}"
            f"<p><strong>Exemple :</strong></p><pre><code>{escape(exemple)}</code></pre></section>"
        )
    portees = "".join(f"<li><code>{escape(p)}</code> : {escape(t)}</li>" for p, t in PORTEES_API.items())
    mode = (
        "<p><strong>Mode public (PASSNUM_PUBLIC=1)</strong> : le tableau des indicateurs, l'identité et la "
        "série des territoires, ce document et la description OpenAPI répondent sans jeton ; l'identité et "
        "la série d'un lauréat demandent toujours un jeton.</p>"
        if public
        else ""
    )
    corps = f"""
<h1 class="h2 mb-4">API de données ouvertes du Pass numérique</h1>
<p>Les chiffres agrégés du tableau de bord, en JSON ou en CSV (nombres lisibles par une machine : point
décimal, sans séparateur de milliers, taux en fraction de 0 à 1). Le tableau des indicateurs est celui
du tableau de bord et de <code>passnum indicateurs</code>, avec les mêmes filtres et les mêmes chiffres.
Aucune ventilation par structure ni par lieu ne sort par l'API.</p>
<h2 class="h4">Jetons</h2>
<p>Chaque client partenaire reçoit un jeton de l'équipe nationale, créé sur le serveur :
<code>passnum jetons add --nom "Client" --portees indicateurs,entites,series --expire AAAA-MM-JJ</code>.
Il n'est affiché qu'une fois ; seule son empreinte est gardée. <code>passnum jetons list</code> les
montre, <code>passnum jetons revoke PREFIXE</code> en révoque un, aussitôt. Il s'envoie dans l'en-tête
<code>Authorization: Bearer &lt;jeton&gt;</code>. Portées :</p>
<ul>{portees}</ul>
<p>Une session ouverte dans le tableau de bord n'ouvre pas les données de l'API (elle montre seulement
cette page et la description OpenAPI) : un script utilise un jeton, qui se limite, se liste et se révoque.</p>
{mode}
<h2 class="h4">Limites et erreurs</h2>
<p>Au plus {LIMITE_PAR_MINUTE} requêtes par minute et par jeton, comptées sur tous les serveurs : au-delà,
statut 429 et en-tête <code>Retry-After</code> (secondes à attendre). Chaque erreur répond en JSON, en
français : <code>{{"erreur": {{"statut": 404, "message": "…"}}}}</code> — 400 paramètre inconnu, répété ou
illisible ; 401 jeton absent, inconnu, révoqué ou expiré ; 403 portée manquante ; 404 code inconnu ;
405 méthode autre que GET ; 429 trop de requêtes ; 500 erreur interne.</p>
<p>Description OpenAPI 3.1 : <a href="/api/v1/openapi.json"><code>/api/v1/openapi.json</code></a>.</p>
{"".join(sections)}
"""
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>API de données ouvertes — Pass numérique</title>{STYLES}"
        '<link rel="icon" href="/assets/favicon.ico"></head><body>'
        '<header class="entete"><div class="container-fluid"><span class="entete-marque">'
        '<span class="entete-titre">Pass numérique</span>'
        '<span class="entete-sous-titre">API de données ouvertes</span></span></div></header>'
        f'<main id="contenu" class="container py-5" style="max-width: 60rem">{corps}</main></body></html>'
    )
