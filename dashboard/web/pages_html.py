"""The sign-in page (local form, and the ProConnect button when configured), « Accès non accordé » and the
error pages: plain server-rendered HTML (no script needed to sign in), in the app's own styles, every
interpolated value escaped."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Response
from markupsafe import escape

STYLES = (
    '<link rel="stylesheet" href="/assets/01-bootstrap-5.3.9.min.css">'
    '<link rel="stylesheet" href="/assets/02-theme.css">'
)


# ProConnect's button as its design guidelines draw it (« S’identifier avec ProConnect », white on blue
# France, 56 px high, the « Qu’est-ce que ProConnect ? » link below opening its site in a new tab), drawn
# here: no font, image or script from elsewhere (the page works offline and under a strict CSP). The mark
# is a plain pictogram, not ProConnect's logo (a State trademark, as Marianne is: not in this repository).
STYLE_PROCONNECT = """<style>
.proconnect-groupe { margin: 0 0 1.5rem; }
.proconnect-bouton { display: inline-flex; align-items: center; gap: .75rem; min-height: 3.5rem;
  padding: .5rem 1.5rem .5rem 1rem; background: #000091; color: #fff; text-decoration: none;
  border: 0; border-radius: 0; line-height: 1.25; }
.proconnect-bouton:hover { background: #1212ff; color: #fff; }
.proconnect-bouton:active { background: #2323ff; color: #fff; }
.proconnect-bouton:focus-visible { outline: 2px solid #0a76f6; outline-offset: 2px; }
.proconnect-bouton svg { flex: none; }
.proconnect-texte { display: flex; flex-direction: column; text-align: left; }
.proconnect-marque { font-weight: 700; font-size: 1.125rem; }
.proconnect-aide { margin: .5rem 0 0; font-size: .875rem; }
.separateur-connexion { display: flex; align-items: center; gap: 1rem; margin: 0 0 1.5rem;
  color: #666; }
.separateur-connexion::before, .separateur-connexion::after { content: ""; flex: 1;
  border-top: 1px solid #ddd; }
</style>"""
PICTOGRAMME_PROCONNECT = (
    '<svg width="32" height="32" viewBox="0 0 32 32" aria-hidden="true" focusable="false">'
    '<circle cx="16" cy="16" r="15" fill="none" stroke="#fff" stroke-width="2"/>'
    '<circle cx="16" cy="12.5" r="5" fill="#fff"/>'
    '<path d="M7.5 25.5c1.6-4.6 4.7-7 8.5-7s6.9 2.4 8.5 7" fill="none" stroke="#fff" stroke-width="2.5" '
    'stroke-linecap="round"/></svg>'
)


PAR_PROCONNECT = " ; par ProConnect, l’accès est accordé par adresse électronique ou par SIRET"


def bouton_proconnect(suivant: str) -> str:
    """A link (not a form: our CSP's form-action stays 'self'), reached and followed with the keyboard."""
    adresse = "/connexion/proconnect" + ("?" + urlencode({"suivant": suivant}) if suivant != "/" else "")
    return (
        '<div class="proconnect-groupe">'
        f'<a class="proconnect-bouton" id="connexion-proconnect" href="{escape(adresse)}">'
        f"{PICTOGRAMME_PROCONNECT}"
        '<span class="proconnect-texte"><span>S’identifier avec</span>'
        '<span class="proconnect-marque">ProConnect</span></span></a>'
        '<p class="proconnect-aide"><a href="https://www.proconnect.gouv.fr/" target="_blank" '
        'rel="noopener noreferrer" title="Qu’est-ce que ProConnect ? - nouvelle fenêtre">'
        "Qu’est-ce que ProConnect ?</a></p></div>"
        '<p class="separateur-connexion">ou</p>'
    )


def _document(titre: str, corps: str, rafraichir_s: int | None = None, entete: str = "") -> str:
    # A page that asks to come back later (an export being prepared) reloads itself when it is time.
    rafraichir = f'<meta http-equiv="refresh" content="{int(rafraichir_s)}">' if rafraichir_s else ""
    return (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">{rafraichir}'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(titre)} — Pass numérique</title>{STYLES}{entete}"
        '<link rel="icon" href="/assets/favicon.ico"></head><body>'
        '<header class="entete"><div class="container-fluid"><span class="entete-marque">'
        '<span class="entete-titre">Pass numérique</span>'
        '<span class="entete-sous-titre">Tableau de bord de pilotage national</span></span></div></header>'
        f'<main id="contenu" class="container py-5" style="max-width: 32rem">{corps}</main></body></html>'
    )


def page(
    csrf: str,
    suivant: str,
    *,
    erreur: str | None = None,
    message: str | None = None,
    statut: int = 200,
    identifiant: str = "",
    proconnect: bool = False,
) -> Response:
    alerte = ""
    if erreur:
        alerte = f'<div class="alert alert-danger" role="alert" id="connexion-erreur">{escape(erreur)}</div>'
    elif message:
        alerte = f'<div class="alert alert-info" role="status">{escape(message)}</div>'
    corps = (
        '<h1 class="h3 mb-4">Connexion</h1>'
        f"{alerte}"
        f"{bouton_proconnect(suivant) if proconnect else ''}"
        '<form method="post" action="/connexion" id="connexion" novalidate>'
        f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
        f'<input type="hidden" name="suivant" value="{escape(suivant)}">'
        '<div class="mb-3"><label class="form-label" for="identifiant">Identifiant</label>'
        '<input class="form-control" type="text" id="identifiant" name="identifiant" autocomplete="username" '
        f'required maxlength="120" autofocus value="{escape(identifiant)}"></div>'
        '<div class="mb-3"><label class="form-label" for="mot_de_passe">Mot de passe</label>'
        '<input class="form-control" id="mot_de_passe" name="mot_de_passe" type="password" '
        'autocomplete="current-password" required maxlength="200"></div>'
        '<button class="btn btn-primary" type="submit" id="connexion-valider">Se connecter</button>'
        "</form>"
        '<p class="text-body-secondary mt-4 small">Les comptes sont créés par l\'équipe nationale '
        "(<code>passnum users add</code>)"
        f"{PAR_PROCONNECT if proconnect else ''}. Après cinq essais infructueux depuis une même adresse, "
        "les essais suivants sur ce compte depuis cette adresse sont retardés d'une minute, puis du double "
        "à chaque nouvel échec (une heure au plus).</p>"
    )
    entete = STYLE_PROCONNECT if proconnect else ""
    return Response(_document("Connexion", corps, entete=entete), status=statut, mimetype="text/html")


def page_acces_non_accorde(email: str, raison: str, a_qui_demander: str) -> Response:
    """ProConnect vouched for this person, but nobody granted them access: whom to ask, and the address
    seen (the one to give)."""
    vue = escape(email) if email else "(aucune adresse transmise)"
    corps = (
        '<h1 class="h3 mb-3" id="acces-non-accorde">Accès non accordé</h1>'
        f'<p id="erreur-message">{escape(raison)}</p>'
        f'<p>Adresse électronique transmise par ProConnect : <strong id="acces-adresse">{vue}</strong></p>'
        f"<p>{escape(a_qui_demander)}</p>"
        '<p class="text-body-secondary small">Code 403</p>'
        '<a class="btn btn-primary" href="/connexion">Revenir à la page de connexion</a>'
    )
    return Response(_document("Accès non accordé", corps), status=403, mimetype="text/html")


def page_erreur(code: int, titre: str, message: str, rafraichir_s: int | None = None) -> str:
    retour = (
        '<a class="btn btn-primary" href="/connexion">Se connecter</a>'
        if code == 401
        else '<a class="btn btn-primary" href="/">Revenir à la carte nationale</a>'
    )
    corps = (
        f'<h1 class="h3 mb-3">{escape(titre)}</h1>'
        f'<p id="erreur-message">{escape(message)}</p>'
        f'<p class="text-body-secondary small">Code {int(code)}</p>{retour}'
    )
    return _document(titre, corps, rafraichir_s)
