"""The accessibility statement `/accessibilite` (RGAA 4.1), laid out from its registry
(dashboard.domain.accessibilite): the page cannot say more than the registry, nor the registry more than
the tests."""

from __future__ import annotations

from dash import html

from dashboard.components.tableau import tableau_html
from dashboard.domain import accessibilite as a11y
from dashboard.domain.formatage import pourcentage


def _resume() -> html.Section:
    applicables = a11y.applicables()
    conformes = sum(c.statut is a11y.Statut.CONFORME for c in applicables)
    return html.Section(
        [
            html.H2("État de conformité", className="h5 mt-4"),
            html.P(
                [
                    "Le tableau de bord du Pass numérique est ",
                    html.Strong(f"{a11y.ETAT} avec le {a11y.REFERENTIEL}"),
                    " : ",
                    html.Strong(pourcentage(a11y.taux_conformite()), id="accessibilite-taux"),
                    f" des critères applicables évalués sont respectés ({conformes} sur {len(applicables)}).",
                ]
            ),
            html.P(f"Audit du {a11y.DATE_AUDIT}, refait par la suite de tests à chaque changement."),
        ]
    )


def _non_conformites() -> html.Section:
    elements = [
        html.Li(
            [
                html.Strong(f"Critère {c.numero} — "),
                c.non_conformite,
                html.Br(),
                html.Span("Pour y accéder autrement : ", className="fw-bold"),
                c.contournement,
            ],
            className="mb-2",
        )
        for c in a11y.non_conformites()
    ]
    return html.Section(
        [
            html.H2("Contenus non accessibles", className="h5 mt-4"),
            html.P("Non-conformités, et comment atteindre la même information :"),
            html.Ul(elements, id="accessibilite-non-conformites"),
        ]
    )


def _criteres() -> html.Section:
    lignes = [
        html.Tr(
            [
                html.Th(c.numero, scope="row"),
                html.Td(c.intitule),
                html.Td(c.statut.value),
                html.Td(html.Ul([html.Li(html.Code(t)) for t in c.tests], className="list-unstyled mb-0")),
            ]
        )
        for c in a11y.CRITERES
    ]
    return html.Section(
        [
            html.H2("Critères évalués et tests qui les vérifient", className="h5 mt-4"),
            html.Div(
                tableau_html(
                    ["Critère", "Intitulé", "Statut", "Tests"],
                    lignes,
                    id="accessibilite-criteres",
                    classe="table table-sm align-top",
                ),
                className="table-responsive",
                tabIndex=0,
                role="region",
                **{"aria-label": "Critères évalués (défilement horizontal)"},
            ),
        ]
    )


def _liste(titre: str, elements, identifiant: str) -> html.Section:
    return html.Section(
        [html.H2(titre, className="h5 mt-4"), html.Ul([html.Li(e) for e in elements], id=identifiant)]
    )


def declaration() -> html.Div:
    pages = [[texte, " (", html.Code(chemin), ")"] for texte, chemin in a11y.PAGES_AUDITEES]
    return html.Div(
        [
            html.H1("Déclaration d'accessibilité"),
            html.P(
                "L'équipe du Pass numérique s'engage à rendre son tableau de bord de pilotage accessible, "
                "conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration "
                "s'applique au tableau de bord de pilotage national du Pass numérique."
            ),
            _resume(),
            _non_conformites(),
            _liste("Pages auditées", pages, "accessibilite-pages"),
            _liste(
                "Technologies et outils utilisés pour vérifier l'accessibilité",
                a11y.OUTILS,
                "accessibilite-outils",
            ),
            _liste("Méthode", a11y.METHODE, "accessibilite-methode"),
            _criteres(),
            html.H2("Retour d'information et contact", className="h5 mt-4"),
            html.P(
                [
                    "Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez à ",
                    html.A(a11y.CONTACT, href=f"mailto:{a11y.CONTACT}", id="accessibilite-contact"),
                    " pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre "
                    "forme.",
                ]
            ),
            html.H2("Voies de recours", className="h5 mt-4"),
            *(html.P(t) for t in a11y.RECOURS),
        ],
        id="accessibilite",
    )
