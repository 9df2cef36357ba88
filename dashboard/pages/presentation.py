"""Briefing mode `/presentation`: a deck of slides for a shared screen.

    /presentation?diapos=resume,carte,classement,chronologie,departement:29&diapo=2&auto=30&vague=2019…

`diapos` chooses the slides and their order (`resume`, `carte`, `classement`, `chronologie`, or a territory
or laureate identifier such as `departement:29`, `porteur:…`); the national view's parameters (vue,
niveau, indicateur, filters) say what they show; `diapo` is the slide on screen (from 1), `auto` the
seconds between slides (0: by hand). The address is the deck: bookmark it, send it, reopen it.

All slides are in the page, one visible at a time: the keyboard (←, →, space, f, Esc, p) and the timer
are handled in the browser (assets/presentation.js) without a server round trip, and printing the page
(`impression=1`) lays one slide per A4 landscape page — the PDF export prints it with headless Chromium.
"""

from __future__ import annotations

import asyncio
import base64
import os
import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Dash, Input, Output, State, dcc, html
from flask import Response, abort, request

from dashboard.acces.jetons import DUREES_LIEN
from dashboard.acces.roles import LIEN, PARTAGER, exige
from dashboard.acces.web import creer_lien, jeton_d_impression, principal_courant
from dashboard.components.export import SOURCE_DONNEES
from dashboard.components.graphique import config_graphique
from dashboard.contexte import Contexte
from dashboard.domain.etat import EtatVue, lire_etat
from dashboard.domain.formatage import date_courte, nombre
from dashboard.domain.indicateurs import Nature, indicateur, totaliser
from dashboard.exports import nom_fichier
from dashboard.figures.graphiques import chronologie, entonnoir
from dashboard.pages import national_calcul as calcul
from dashboard.store import fiches
from dashboard.store.memoire import une_lecture
from dashboard.store.metadonnees import etat_donnees

DIAPOS_PAR_DEFAUT = ("resume", "carte", "classement", "chronologie")
GENRES = {
    "resume": "Synthèse nationale",
    "carte": "Carte",
    "classement": "Premiers et derniers",
    "chronologie": "Activité mensuelle",
}
MAX_DIAPOS = 12
TAILLE_TEXTE = 22  # px in the charts (the page's text scales with the screen, see 03-presentation.css)
AUTO_MIN, AUTO_MAX = 5, 600
NB_CLASSEMENT = 5
PARAMETRES_DECK = ("diapos", "diapo", "auto", "impression")
KPIS_DIAPO = (
    "pass_commandes",
    "pass_distribues",
    "pass_utilises",
    "taux_utilisation",
    "subvention_etat_engagee_eur",
)
# Debian's chromium, or the one named like for the PNG exports (kaleido's BROWSER_PATH).
CHROMIUM = os.environ.get("BROWSER_PATH") or "/usr/bin/chromium"
_UNE_IMPRESSION = threading.Semaphore(1)


@dataclass(frozen=True)
class Deck:
    diapos: tuple[str, ...]
    etat: EtatVue
    courante: int  # from 1
    auto: int  # seconds, 0 = by hand
    ignores: tuple[str, ...]  # slides not understood, said on the first slide

    def query(self, **changes) -> str:
        """The deck's address with `changes` (diapo=…, impression=1)."""
        parametres = {**dict(parse_qsl(self.etat.query().lstrip("?")))}
        parametres["diapos"] = ",".join(self.diapos)
        parametres["diapo"] = str(self.courante)
        if self.auto:
            parametres["auto"] = str(self.auto)
        parametres.update({k: str(v) for k, v in changes.items()})
        return "/presentation?" + urlencode(parametres, safe=",:.-")


def lire_deck(parametres: dict) -> Deck:
    """The deck of the URL parameters; what cannot be read falls back to defaults (and is said)."""
    ignores = []
    try:
        etat = lire_etat(parametres)
    except ValueError as exc:
        etat, ignores = EtatVue(), [str(exc)]
    diapos = []
    for morceau in (parametres.get("diapos") or ",".join(DIAPOS_PAR_DEFAUT)).split(","):
        morceau = morceau.strip()
        if not morceau:
            continue
        if morceau in GENRES:
            diapos.append(morceau)
            continue
        try:
            fiches.lire_identifiant(morceau)
            diapos.append(morceau)
        except ValueError:
            ignores.append(morceau[:40])
    diapos = diapos[:MAX_DIAPOS] or list(DIAPOS_PAR_DEFAUT)
    courante = _entier(parametres.get("diapo"), 1, 1, len(diapos))
    auto = _entier(parametres.get("auto"), 0, 0, AUTO_MAX)
    if 0 < auto < AUTO_MIN:
        auto = AUTO_MIN
    return Deck(tuple(diapos), etat, courante, auto, tuple(ignores))


def deck_canonique(parametres: dict) -> str:
    """The deck a set of parameters shows, whatever slide is current: what a briefing link grants."""
    propres = {k: v for k, v in parametres.items() if k not in (*PARAMETRES_DECK, "jeton")}
    propres["diapos"] = parametres.get("diapos") or ""
    return deck_canonique_de(lire_deck(propres))


def _entier(texte, defaut: int, minimum: int, maximum: int) -> int:
    try:
        return max(minimum, min(maximum, int(str(texte))))
    except (TypeError, ValueError):
        return defaut


# --- Slides --------------------------------------------------------------------------------------------


def _pied(donnees, numero: int, total: int) -> html.Footer:
    date = f"Données au {date_courte(donnees.date_donnees)}" if donnees.date_donnees else "Aucune donnée"
    morceaux = [date, f"Source : {SOURCE_DONNEES}"]
    if donnees.demo:
        morceaux.append("DONNÉES DE DÉMONSTRATION — FICTIVES")
    return html.Footer(
        [html.Span(" · ".join(morceaux)), html.Span(f"{numero} / {total}", className="diapo-numero")],
        className="diapo-pied",
    )


def _grands_chiffres(totaux: pd.Series, nb_laureats: int | None = None) -> html.Div:
    cartes = []
    if nb_laureats is not None:
        cartes.append(html.Div([html.Div(nombre(nb_laureats), className="chiffre"), html.Div("lauréats")]))
    for identifiant in KPIS_DIAPO:
        ind = indicateur(identifiant)
        cartes.append(
            html.Div(
                [
                    html.Div(ind.formater(totaux[identifiant]), className="chiffre"),
                    html.Div(ind.libelle[:1].lower() + ind.libelle[1:]),
                ]
            )
        )
    return html.Div(cartes, className="diapo-chiffres")


def _graphique(identifiant: str, figure: dict) -> dcc.Graph:
    """A chart in large type for the room: every text of the figure at TAILLE_TEXTE pixels, axes making
    room for their larger labels."""
    layout = {**figure["layout"], "font": {**figure["layout"].get("font", {}), "size": TAILLE_TEXTE}}
    for axe in ("xaxis", "yaxis"):
        if axe in layout:
            layout[axe] = {**layout[axe], "automargin": True}
    traces = [
        {**t, "textfont": {**t.get("textfont", {}), "size": TAILLE_TEXTE}} if "text" in t else t
        for t in figure["data"]
    ]
    return dcc.Graph(
        id=identifiant,
        figure={**figure, "data": traces, "layout": layout},
        config={**config_graphique("pass-numerique-presentation"), "displayModeBar": False},
        className="diapo-graphique",
    )


def _diapo(contenu: list, titre: str, numero: int, total: int, donnees, courante: int) -> html.Section:
    return html.Section(
        [
            html.H2(titre, className="diapo-titre"),
            html.Div(contenu, className="diapo-corps"),
            _pied(donnees, numero, total),
        ],
        id=f"diapo-{numero}",
        className="diapo" + (" diapo-courante" if numero == courante else ""),
        hidden=numero != courante,
        role="group",
        **{"aria-roledescription": "diapositive", "aria-label": f"{numero} sur {total} : {titre}"},
    )


def diapos(contexte: Contexte, deck: Deck) -> list[html.Section]:
    engine = contexte.engine
    donnees = etat_donnees(engine)
    with une_lecture(engine):
        vue = calcul.calculer(contexte, deck.etat)
        sections = []
        total = len(deck.diapos)
        for numero, genre in enumerate(deck.diapos, start=1):
            titre, contenu = _contenu(contexte, deck, vue, genre, numero)
            sections.append(_diapo(contenu, titre, numero, total, donnees, deck.courante))
    return sections


def _contenu(contexte: Contexte, deck: Deck, vue, genre: str, numero: int) -> tuple[str, list]:
    ind = indicateur(deck.etat.indicateur)
    if genre == "resume":
        avis = [html.P("Ignoré : " + ", ".join(deck.ignores), className="diapo-avis")] if deck.ignores else []
        return "Pass numérique — synthèse", [
            html.P(vue.resume, className="diapo-phrase"),
            _grands_chiffres(totaliser(vue.table), len(vue.table) if deck.etat.vue == "porteurs" else None),
            *avis,
        ]
    if genre == "carte":
        figure = {**vue.figure, "layout": {**vue.figure["layout"], "showlegend": False}}
        return f"{ind.libelle} — {calcul.effectif(vue)}", [
            html.Div(
                [html.Div(_graphique(f"diapo-carte-{numero}", figure), className="diapo-carte"), vue.legende],
                className="diapo-carte-legende",
            )
        ]
    if genre == "classement":
        return f"{ind.libelle} : premiers et derniers", [_classement(vue.table, ind)]
    if genre == "chronologie":
        return "Pass distribués et utilisés, cumul mensuel", [
            _graphique(f"diapo-chronologie-{numero}", chronologie(vue.mensuel, cumul=True))
        ]
    return _territoire(contexte, genre, numero)


def _classement(table: pd.DataFrame, ind) -> html.Div:
    colonne = ind.id
    avec = table.dropna(subset=[colonne])
    if ind.nature is Nature.STOCK:
        avec = avec[avec[colonne] > 0]
    if avec.empty:
        return html.P("Aucune valeur pour cette sélection.", className="diapo-phrase")
    tries = avec.sort_values([colonne, "nom"], ascending=[False, True])
    haut, bas = (
        tries.head(NB_CLASSEMENT),
        tries.tail(NB_CLASSEMENT).iloc[::-1] if len(tries) > NB_CLASSEMENT else tries.iloc[0:0],
    )

    def liste(lignes: pd.DataFrame, titre: str) -> html.Div:
        return html.Div(
            [
                html.H3(titre),
                html.Ol(
                    [
                        html.Li([html.Span(r["nom"]), html.Strong(ind.formater(r[colonne]))])
                        for _, r in lignes.iterrows()
                    ]
                ),
            ],
            className="diapo-liste",
        )

    colonnes = [liste(haut, "Les plus hauts")]
    if not bas.empty:
        colonnes.append(liste(bas, "Les plus bas"))
    return html.Div(colonnes, className="diapo-classement")


def _territoire(contexte: Contexte, identifiant: str, numero: int) -> tuple[str, list]:
    niveau, code = fiches.lire_identifiant(identifiant)
    ent = fiches.entite(contexte.engine, niveau, code)
    if ent is None:
        return "Territoire inconnu", [
            html.P(f"Aucun territoire ni lauréat « {identifiant} ».", className="diapo-phrase")
        ]
    ligne = fiches.indicateurs(contexte.engine, ent)
    valeurs = ligne.fillna(0)
    return f"{ent.nom} — {ent.type_libelle}", [
        _grands_chiffres(totaliser(pd.DataFrame([ligne]))),
        _graphique(
            f"diapo-entonnoir-{numero}",
            entonnoir(
                valeurs["pass_commandes"],
                valeurs["pass_distribues"],
                valeurs["pass_utilises"],
                valeurs["pass_expires"],
            ),
        ),
    ]


# --- Page ------------------------------------------------------------------------------------------------


def _partage(deck: Deck) -> list:
    """Create a read-only, expiring link to this deck (for people without an account)."""
    return [
        html.Button(
            "Partager (lecture seule)", id="presentation-partager", type="button", className="btn btn-light"
        ),
        dbc.Modal(
            [
                dbc.ModalHeader(dbc.ModalTitle("Lien de lecture seule vers cette présentation")),
                dbc.ModalBody(
                    [
                        html.P(
                            "Qui reçoit ce lien voit ces diapositives, et rien d'autre du tableau de bord, "
                            "sans compte, jusqu'à son expiration. Désactiver votre compte le révoque."
                        ),
                        dbc.Label("Durée de validité", html_for="presentation-partage-duree"),
                        dbc.Select(
                            id="presentation-partage-duree",
                            value="7",
                            options=[{"label": v, "value": str(k)} for k, v in DUREES_LIEN.items()],
                            className="mb-3",
                        ),
                        dbc.Button("Créer le lien", id="presentation-partage-creer", color="primary"),
                        html.Div(id="presentation-partage-lien", className="mt-3", role="status"),
                        dcc.Store(id="presentation-partage-deck", data=deck_canonique_de(deck)),
                    ]
                ),
            ],
            id="presentation-partage",
            is_open=False,
            size="lg",
        ),
    ]


def deck_canonique_de(deck: Deck) -> str:
    return replace(deck, courante=1, auto=0).query()


def layout(contexte: Contexte, **parametres) -> html.Div:
    deck = lire_deck(parametres)
    impression = parametres.get("impression") == "1"
    principal = principal_courant(contexte)
    lien = principal is not None and principal.role == LIEN
    exact = all(isinstance(v, str) for v in parametres.values())
    if lien and (not exact or deck_canonique(parametres) != principal.deck):  # again, on what Dash hands over
        return html.Div(
            html.P("Ce lien de présentation n'ouvre que sa présentation."), id="presentation", lang="fr"
        )
    partage = _partage(deck) if principal is not None and principal.peut(PARTAGER) and not impression else []
    quitter = [] if lien else [html.A("Quitter", href="/" + deck.etat.query(), className="btn btn-light")]
    return html.Div(
        [
            html.Div(diapos(contexte, deck), id="presentation-diapos"),
            html.Div(
                [
                    html.Button(
                        "‹ Précédente", id="presentation-precedente", type="button", className="btn btn-light"
                    ),
                    html.Span(id="presentation-minuteur", className="diapo-minuteur", **{"aria-live": "off"}),
                    html.Button(
                        "Suivante ›", id="presentation-suivante", type="button", className="btn btn-light"
                    ),
                    html.Button(
                        "Plein écran (f)",
                        id="presentation-plein-ecran",
                        type="button",
                        className="btn btn-light",
                    ),
                    html.A(
                        "Télécharger en PDF",
                        id="presentation-pdf",
                        href="/presentation.pdf" + deck.query().removeprefix("/presentation"),
                        className="btn btn-light",
                        download="",
                    ),
                    *partage,
                    *quitter,
                ],
                className="presentation-commandes",
                role="toolbar",
                **{"aria-label": "Commandes de la présentation (flèches, espace, f, Échap, p)"},
            ),
            html.Div(
                id="presentation-etat",
                hidden=True,
                **{
                    "data-auto": str(deck.auto),
                    "data-total": str(len(deck.diapos)),
                    "data-courante": str(deck.courante),
                },
            ),
        ],
        id="presentation",
        className="presentation" + (" presentation-impression" if impression else ""),
        lang="fr",
    )


def pdf_du_deck(url: str, nb_diapos: int, delai_s: float = 60) -> bytes:
    """Print the deck's page (`impression=1`: every slide, one per A4 landscape page) with headless
    Chromium driven over the DevTools protocol (choreographer, kaleido's own driver), once every slide
    and every chart is drawn — Chromium's --print-to-pdf prints as soon as the page loads, before Dash
    has rendered it. Same offline flags as the PNG exports."""
    try:
        return asyncio.run(asyncio.wait_for(_imprimer(url, nb_diapos), timeout=delai_s))
    except Exception as exc:  # Chromium missing, crashed or too slow: the caller answers 503
        raise RuntimeError(f"Export PDF impossible : {exc!r}") from exc


# Ready to print: every slide in the page and every chart drawn (dcc.Graph loads plotly lazily: a
# chart exists as a .dash-graph before plotly has drawn anything in it).
PRET = """(() => {
  const diapos = document.querySelectorAll('#presentation .diapo');
  const conteneurs = document.querySelectorAll('#presentation .dash-graph');
  const graphiques = [...document.querySelectorAll('#presentation .js-plotly-plot')];
  const dessine = g => g._fullLayout && g.querySelector('.main-svg') &&
    (!(g._fullData || []).some(t => t.type === 'choropleth') || g.querySelector('.choroplethlocation'));
  return diapos.length === %d && graphiques.length === conteneurs.length && graphiques.every(dessine);
})()"""


def _classe_navigateur():
    """The PNG exports' offline Chromium, whose resolver lets the loopback through (the app itself)."""
    from dashboard.exports_png import NavigateurHorsLigne

    class NavigateurBoucleLocale(NavigateurHorsLigne):
        def get_cli(self) -> list[str]:
            cli = [a for a in super().get_cli() if not a.startswith("--host-resolver-rules")]
            return [*cli, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]

    return NavigateurBoucleLocale


async def _imprimer(url: str, nb_diapos: int) -> bytes:
    from choreographer import Browser

    async with Browser(path=CHROMIUM, browser_cls=_classe_navigateur(), headless=True) as navigateur:
        onglet = await navigateur.create_tab("about:blank")
        await onglet.send_command(
            "Emulation.setDeviceMetricsOverride",
            params={"width": 1123, "height": 794, "deviceScaleFactor": 1, "mobile": False},
        )
        await onglet.send_command("Page.navigate", params={"url": url})
        for _ in range(300):
            reponse = await onglet.send_command(
                "Runtime.evaluate", params={"expression": PRET % nb_diapos, "returnByValue": True}
            )
            if reponse.get("result", {}).get("result", {}).get("value") is True:
                break
            await asyncio.sleep(0.1)
        else:
            raise RuntimeError("la présentation ne s'est pas affichée à temps")
        await asyncio.sleep(0.5)  # let plotly finish its transitions
        pdf = await onglet.send_command(
            "Page.printToPDF",
            params={"landscape": True, "printBackground": True, "preferCSSPageSize": True},
        )
        return base64.b64decode(pdf["result"]["data"])


def lien_partage(contexte: Contexte, duree, deck) -> html.Div:
    """The shareable address of a deck, signed for `duree` days (1, 7 or 30)."""
    jours = int(duree) if isinstance(duree, str) and duree.isdigit() else 0
    if jours not in DUREES_LIEN or not isinstance(deck, str) or not deck.startswith("/presentation?"):
        return dbc.Alert("Demande invalide : rechargez la page.", color="danger")
    principal = principal_courant(contexte)
    if principal is None or not principal.peut(PARTAGER):
        return dbc.Alert("Votre compte ne permet pas de partager.", color="danger")
    canonique = deck_canonique(dict(parse_qsl(deck.partition("?")[2])))
    jeton = creer_lien(contexte, principal, canonique, timedelta(days=jours))
    racine = request.host_url.rstrip("/")
    if contexte.settings.https:  # never a token in clear text, whatever the proxy forwarded
        racine = "https://" + racine.split("://", 1)[1]
    adresse = racine + canonique + "&" + urlencode({"jeton": jeton})
    fin = date_courte((datetime.now(UTC) + timedelta(days=jours)).date())
    return html.Div(
        [
            dbc.Label(f"Lien valable jusqu'au {fin} :", html_for="presentation-partage-adresse"),
            dbc.InputGroup(
                [
                    dbc.Input(id="presentation-partage-adresse", value=adresse, readonly=True),
                    dcc.Clipboard(
                        target_id="presentation-partage-adresse",
                        title="Copier le lien",
                        className="btn btn-outline-primary",
                    ),
                ]
            ),
        ]
    )


def enregistrer(app: Dash, contexte: Contexte) -> None:
    dash.register_page(
        "presentation",
        path="/presentation",
        title="Présentation — Pass numérique",
        name="Présentation",
        layout=lambda **params: layout(contexte, **params),
    )

    app.clientside_callback(
        "function(n, ouvert) { return n ? !ouvert : ouvert; }",
        Output("presentation-partage", "is_open"),
        Input("presentation-partager", "n_clicks"),
        State("presentation-partage", "is_open"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("presentation-partage-lien", "children"),
        Input("presentation-partage-creer", "n_clicks"),
        State("presentation-partage-duree", "value"),
        State("presentation-partage-deck", "data"),
        prevent_initial_call=True,
    )
    @exige(PARTAGER)
    def creer_lien_partage(_clics, duree, deck):
        return lien_partage(contexte, duree, deck)

    @app.server.route("/presentation.pdf")
    def presentation_pdf() -> Response:
        """The whole deck as one PDF: the same address, printed."""
        parametres = {k: v for k, v in request.args.items() if k not in ("diapo", "impression")}
        deck = lire_deck(parametres)
        # Chromium reads the app on the loopback, never on the Host the request names (which a client
        # chooses: that would let it point the server's browser anywhere).
        port = request.environ.get("SERVER_PORT", "8050")
        principal = principal_courant(contexte)
        if principal is None:  # the access layer let nobody else through; said again where it matters
            abort(401)
        jeton = jeton_d_impression(contexte, principal, deck_canonique_de(deck))
        adresse = f"http://127.0.0.1:{port}" + deck.query(impression=1, diapo=1, jeton=jeton)
        if not _UNE_IMPRESSION.acquire(timeout=90):  # one Chromium at a time
            abort(503)
        try:
            contenu = pdf_du_deck(adresse, len(deck.diapos))
        except RuntimeError:
            abort(503)
        finally:
            _UNE_IMPRESSION.release()
        nom = nom_fichier(["presentation"], "pdf", datetime.now(UTC))
        return Response(
            contenu,
            mimetype="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{nom}"'},
        )
