"""The briefing deck rendered for a shared screen (dashboard.vues.presentation): every slide in the page,
one visible at a time (assets/presentation.js drives them by keyboard and timer), its selection in words
under its title, large type in the charts, the control bar (hidden in full screen until the mouse moves
or h is pressed), and the dialog that creates a read-only link."""

from __future__ import annotations

from datetime import datetime

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.components.graphique import config_graphique
from dashboard.components.legende import legende
from dashboard.domain.deck import ESPACE_INSECABLE, Deck, deck_canonique_de
from dashboard.domain.formatage import date_courte
from dashboard.domain.vocabulaire import DUREES_LIEN
from dashboard.vues.presentation import Diapo, TypeContour, VuePresentation

TAILLE_TEXTE = 22  # px in the charts (the page's text scales with the screen, see 03-presentation.css)


def diapos(vue: VuePresentation) -> list[html.Section]:
    total, courante = len(vue.diapos), vue.deck.courante
    return [_diapo(d, total, courante, vue.pied) for d in vue.diapos]


def _diapo(diapo: Diapo, total: int, courante: int, pied: str) -> html.Section:
    numero = diapo.numero
    return html.Section(
        [
            html.H2(diapo.titre, className="diapo-titre"),
            *([html.P(diapo.selection, className="diapo-selection")] if diapo.selection else []),
            html.Div(
                _contenu(diapo),
                className="diapo-corps" + (f" diapo-{diapo.disposition}" if diapo.disposition else ""),
            ),
            html.Footer(
                [html.Span(pied), html.Span(f"{numero} / {total}", className="diapo-numero")],
                className="diapo-pied",
            ),
        ],
        id=f"diapo-{numero}",
        className="diapo" + (" diapo-courante" if numero == courante else ""),
        hidden=numero != courante,
        role="group",
        **{"aria-roledescription": "diapositive", "aria-label": f"{numero} sur {total} : {diapo.titre}"},
    )


def _contenu(diapo: Diapo) -> list:
    texte = []
    if diapo.phrase:
        texte.append(html.P(diapo.phrase, className="diapo-phrase"))
    if diapo.chiffres:
        texte.append(
            html.Div(
                [
                    html.Div([html.Div(_insecable(c.valeur), className="chiffre"), html.Div(c.titre)])
                    for c in diapo.chiffres
                ],
                className="diapo-chiffres",
            )
        )
    if diapo.avis:
        texte.append(html.P(diapo.avis, className="diapo-avis"))
    if diapo.ecarts or diapo.listes:
        texte.append(_comite(diapo))
    if diapo.disposition == "cote-a-cote" and diapo.figure is not None:
        # Figures on the left, the funnel on the right: the whole 16:9 screen is used.
        return [html.Div(texte, className="diapo-cote-texte"), _graphique(diapo)]
    contenu = texte
    if diapo.legende is not None:
        # The map's text alternative, as on the national page: its legend (class bounds and counts, in text).
        id_legendes = f"diapo-legendes-{diapo.numero}"
        graphique = html.Div(_graphique(diapo), className="diapo-carte", **{"aria-describedby": id_legendes})
        cote = [legende(diapo.legende)]
        if diapo.types:
            cote.append(_legende_types(diapo.types))
        if diapo.compte:
            cote.append(html.P(diapo.compte, className="diapo-compte"))
        contenu.append(
            html.Div(
                [graphique, html.Div(cote, className="diapo-legendes", id=id_legendes)],
                className="diapo-carte-legende",
            )
        )
    elif diapo.figure is not None:
        contenu.append(_graphique(diapo))
    if diapo.haut:
        contenu.append(_classement(diapo))
    if diapo.note:
        contenu.append(html.P(diapo.note, className="diapo-note"))
    return contenu


def _comite(diapo: Diapo) -> html.Div:
    """The committee slides: the key figures at the committee and now, and the lists under headings."""
    elements = []
    if diapo.ecarts:
        lignes = [
            html.Tr(
                [
                    html.Th(e.libelle, scope="row"),
                    html.Td(_insecable(e.au_comite)),
                    html.Td(_insecable(e.maintenant)),
                    html.Td(_insecable(e.ecart), className="diapo-ecart"),
                ],
                id=f"comite-{e.id}",
            )
            for e in diapo.ecarts
        ]
        entetes = [html.Th(t, scope="col") for t in ("", "Au comité", "Maintenant", "Écart")]
        tableau = html.Table(
            [html.Thead(html.Tr(entetes)), html.Tbody(lignes)], className="diapo-ecarts", id="comite-ecarts"
        )
        # A phone scrolls the table inside its own box, never the slide.
        cadre = {"role": "region", "aria-label": "Chiffres clés au comité et maintenant"}
        elements.append(html.Div(tableau, className="diapo-ecarts-cadre", tabIndex=0, **cadre))
    listes = [
        html.Div(
            [html.H3(_insecable_unites(titre)), html.Ul([html.Li(_insecable_unites(x)) for x in lignes])],
            className="diapo-liste-comite",
        )
        for titre, lignes in diapo.listes
    ]
    if listes:
        elements.append(html.Div(listes, className="diapo-listes-comite"))
    return html.Div(elements, className="diapo-comite")


def _insecable_unites(texte: str) -> str:
    """`40 %` never broken across two lines."""
    return texte.replace(" %", ESPACE_INSECABLE + "%")


def _insecable(valeur: str) -> str:
    """A figure never breaks between its number and its unit (`13,8 %`, `68 000 €`)."""
    return valeur.replace(" ", ESPACE_INSECABLE)


def _legende_types(types: tuple[TypeContour, ...]) -> html.Div:
    """How each type of laureate is outlined on the map, drawn with the map's own outline styles."""
    lignes = [
        html.Li(
            [
                html.Span(
                    className="diapo-contour",
                    style={"border": f"{max(t.epaisseur, 1)}px solid {t.couleur}"},
                    **{"aria-hidden": "true"},
                ),
                html.Span(t.libelle, className="legende-libelle"),
                html.Span(t.effectif, className="legende-effectif"),
            ],
            className="legende-ligne",
        )
        for t in types
    ]
    return html.Div(
        [html.H3("Contour selon le type de lauréat"), html.Ul(lignes, className="list-unstyled mb-0")],
        className="legende diapo-types",
    )


def _graphique(diapo: Diapo) -> dcc.Graph:
    """A chart in large type for the room: every text of the figure at TAILLE_TEXTE pixels, axes making
    room for their larger labels."""
    figure = diapo.figure
    layout = {**figure["layout"], "font": {**figure["layout"].get("font", {}), "size": TAILLE_TEXTE}}
    for axe in ("xaxis", "yaxis"):
        if axe in layout:
            layout[axe] = {**layout[axe], "automargin": True}
    traces = [
        {**t, "textfont": {**t.get("textfont", {}), "size": TAILLE_TEXTE}} if "text" in t else t
        for t in figure["data"]
    ]
    if diapo.nom_figure == "entonnoir":  # « 798 012 · 46,9 % des distribués, estimé »: lines, never clipped
        traces = [{**t, "text": [_deux_lignes(x) for x in t["text"]]} if "text" in t else t for t in traces]
    return dcc.Graph(
        id=f"diapo-{diapo.nom_figure}-{diapo.numero}",
        figure={**figure, "data": traces, "layout": layout},
        config={**config_graphique(), "displayModeBar": False},
        className="diapo-graphique",
    )


def _deux_lignes(texte):
    return texte.replace(" · ", "<br>").replace(", ", "<br>") if isinstance(texte, str) else texte


def _classement(diapo: Diapo) -> html.Div:
    def liste(lignes: tuple[tuple[str, str], ...], titre: str) -> html.Div:
        elements = [html.Li([html.Span(nom), html.Strong(valeur)]) for nom, valeur in lignes]
        return html.Div([html.H3(titre), html.Ol(elements)], className="diapo-liste")

    colonnes = [liste(diapo.haut, "Les plus hauts")]
    if diapo.bas:
        colonnes.append(liste(diapo.bas, "Les plus bas"))
    return html.Div(colonnes, className="diapo-classement")


def commandes(deck: Deck, partage: bool, quitter: str | None) -> html.Div:
    """The control bar: previous, timer, next, full screen, PDF, share (if allowed), leave."""
    bouton = {"type": "button", "className": "btn btn-light"}
    elements = [
        html.Button("‹ Précédente", id="presentation-precedente", **bouton),
        html.Span(id="presentation-minuteur", className="diapo-minuteur", **{"aria-live": "off"}),
        html.Button("Suivante ›", id="presentation-suivante", **bouton),
        html.Button("Plein écran (f)", id="presentation-plein-ecran", **bouton),
        html.A(
            "Télécharger en PDF",
            id="presentation-pdf",
            href="/presentation.pdf" + deck.query().removeprefix("/presentation"),
            className="btn btn-light",
            download="",
        ),
        *(_partage(deck) if partage else []),
        *([html.A("Quitter", href=quitter, className="btn btn-light")] if quitter else []),
    ]
    return html.Div(
        elements,
        className="presentation-commandes",
        role="toolbar",
        **{"aria-label": "Commandes de la présentation (flèches, espace, Début, Fin, f, Échap, p, h)"},
    )


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


def lien_partage(adresse: str, expire: datetime) -> html.Div:
    """The shareable address, ready to copy, and until when it works."""
    return html.Div(
        [
            dbc.Label(
                f"Lien valable jusqu'au {date_courte(expire.date())} :",
                html_for="presentation-partage-adresse",
            ),
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


def etat_pour_le_navigateur(deck: Deck) -> html.Div:
    """What assets/presentation.js reads: the timer, the number of slides, the slide on screen."""
    return html.Div(
        id="presentation-etat",
        hidden=True,
        **{
            "data-auto": str(deck.auto),
            "data-total": str(len(deck.diapos)),
            "data-courante": str(deck.courante),
        },
    )
