"""The « Enveloppe » card (`id="enveloppe"`), from dashboard.vues.enveloppe: its figures, its bars (each
with its sentence: the colours are never the only way to read it) and the status of the progress."""

from __future__ import annotations

from dash import html

from dashboard.vues.enveloppe import Barre, CarteEnveloppe


def _barre(barre: Barre, rang: int) -> html.Div:
    return html.Div(
        [
            html.Div(barre.titre, className="enveloppe-barre-titre small"),
            html.Div(
                [
                    html.Div(
                        className=f"enveloppe-segment {s.classe}",
                        style={"width": f"{100 * s.part:.2f}%"},
                        title=f"{s.libelle} : {s.texte}",
                    )
                    for s in barre.segments
                    if s.part > 0
                ],
                className="enveloppe-barre",
                role="img",
                **{"aria-label": barre.texte},
            ),
            html.Ul(
                [
                    html.Li(
                        [
                            html.Span(className=f"enveloppe-pastille {s.classe}", **{"aria-hidden": "true"}),
                            f"{s.libelle} : {s.texte}",
                        ]
                    )
                    for s in barre.segments
                ],
                className="enveloppe-legende small list-unstyled",
            ),
        ],
        className="enveloppe-bloc-barre",
        id=f"enveloppe-barre-{rang}",
    )


def carte_enveloppe(carte: CarteEnveloppe) -> html.Section:
    """The card; a selection without convention gets its sentence only."""
    entete = [html.H2(carte.titre, className="h5 mb-1"), html.P(carte.perimetre, className="small mb-2")]
    if carte.vide:
        return html.Section(
            [*entete, html.P(carte.vide, className="mb-0")], id="enveloppe", className="enveloppe mb-3"
        )
    return html.Section(
        [
            *entete,
            html.Dl(
                [html.Div([html.Dt(libelle), html.Dd(valeur)]) for libelle, valeur in carte.chiffres],
                className="enveloppe-chiffres",
            ),
            *(_barre(b, i) for i, b in enumerate(carte.barres)),
            html.P(carte.depassement, className="enveloppe-depassement small") if carte.depassement else None,
            html.Ul(
                [html.Li([html.Strong(f"{vague} : "), texte]) for vague, texte in carte.par_convention],
                className="small mb-2",
                id="enveloppe-conventions",
            )
            if carte.par_convention
            else None,
            html.P(
                [
                    html.Strong("Objectif : "),
                    carte.avancement + " ",
                    html.Span(carte.statut, className=f"enveloppe-statut {carte.classe_statut}"),
                ],
                className="mb-1",
                id="enveloppe-avancement",
            ),
            html.Details(
                [html.Summary("Comment le statut est établi"), html.P(carte.regle, className="mb-0")],
                className="small text-body-secondary",
            ),
        ],
        id="enveloppe",
        className="enveloppe mb-3",
        **{"aria-label": carte.titre},
    )


def methode_enveloppes() -> html.Div:
    """The section « Enveloppes et objectifs » of /methodologie: the registry's steering indicators
    (dashboard.domain.indicateurs), the window and the status rules (dashboard.domain.enveloppes)."""
    from dashboard.components.tableau import tableau_html
    from dashboard.domain import enveloppes as regles
    from dashboard.domain.indicateurs import INDICATEURS

    lignes = [
        html.Tr(
            [
                html.Th(i.libelle, scope="row"),
                html.Td(i.unite),
                html.Td(html.Code(i.formule, className="formule")),
                html.Td(i.definition),
            ],
            id=f"methode-{i.id}",
        )
        for i in INDICATEURS
        if i.id in INDICATEURS_ENVELOPPE
    ]
    return html.Div(
        [
            html.H2("Enveloppes et objectifs", className="h5 mt-4"),
            html.P(
                "La carte « Enveloppe » suit l'argent de l'État convention par convention, puis en fait "
                "la somme (un lauréat, les lauréats d'un territoire, la sélection de la carte nationale, "
                "une vague face à son enveloppe nationale fixée par la commande « passnum enveloppe »)."
            ),
            html.Div(
                tableau_html(
                    ["Indicateur", "Unité", "Formule", "Définition"], lignes, id="methode-enveloppes"
                ),
                className="table-responsive",
            ),
            html.Ul(
                [
                    html.Li(regles.REGLE_FENETRE),
                    html.Li(regles.REGLE_STATUT),
                    html.Li(
                        "Pass prévus : ceux de la convention ; pour une vague entière, l'objectif national "
                        "quand il est fixé, sinon la somme des pass prévus des conventions. Les pass "
                        "distribués suivent leurs commandes (premier entré, premier sorti) : estimés sans "
                        "numéros de pass."
                    ),
                    html.Li(
                        "Date de référence : les commandes datées d'au plus cette date, les mois d'activité "
                        "jusqu'au sien, les conventions signées avant ; la subvention versée n'est pas datée "
                        "et compte telle quelle."
                    ),
                    html.Li(
                        "Territoire : les conventions des lauréats dont le périmètre le touche, comptées en "
                        "entier (non réparties entre territoires)."
                    ),
                ],
                id="methode-enveloppes-regles",
            ),
        ]
    )


COLONNES_METHODE = ["Indicateur", "Unité", "Formule", "Définition"]
INDICATEURS_ENVELOPPE = (
    "subvention_consommee_eur",
    "subvention_restante_eur",
    "part_subvention_consommee",
    "part_fenetre_ecoulee",
    "avancement_objectif",
)
