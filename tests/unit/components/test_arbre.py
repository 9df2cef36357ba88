"""The static subtrees of the national page (`Arbre`): dash.html components as plain data, anything that
is not a presentation element refused."""

import dash_bootstrap_components as dbc
import pytest
from dash import dcc, html

from dashboard.components.arbre import Arbre, arbre, en_arbre
from dashboard.components.enveloppe import carte_enveloppe
from dashboard.components.kpis import cartes_kpis
from dashboard.vues.enveloppe import carte
from dashboard.vues.kpis import Chiffre, Kpis
from tests.unit.vues.test_enveloppe import SOMME


def _textes_dash(noeud) -> list[str]:
    if isinstance(noeud, str | int | float):
        return [str(noeud)]
    if isinstance(noeud, list | tuple):
        return [t for n in noeud for t in _textes_dash(n)]
    if noeud is None:
        return []
    return _textes_dash(getattr(noeud, "children", None))


def _textes_arbre(noeud) -> list[str]:
    if isinstance(noeud, str | int | float):
        return [str(noeud)]
    if isinstance(noeud, list):
        return [t for n in noeud for t in _textes_arbre(n)]
    if noeud is None:
        return []
    return _textes_arbre(noeud.get("c"))


def test_arb001_elements_attributs_et_textes_gardes():
    composants = html.Div(
        [
            html.H2("Titre", className="h6"),
            html.Ul(
                [html.Li([html.Span(style={"backgroundColor": "#000091"}, **{"aria-hidden": "true"}), "a"])]
            ),
            html.Details([html.Summary("Règle"), html.P(12.5)]),
        ],
        id="legende",
        className="legende",
    )
    assert en_arbre(composants) == {
        "t": "div",
        "p": {"id": "legende", "className": "legende"},
        "c": [
            {"t": "h2", "p": {"className": "h6"}, "c": "Titre"},
            {
                "t": "ul",
                "c": [
                    {
                        "t": "li",
                        "c": [
                            {
                                "t": "span",
                                "p": {"style": {"backgroundColor": "#000091"}, "aria-hidden": "true"},
                            },
                            "a",
                        ],
                    }
                ],
            },
            {"t": "details", "c": [{"t": "summary", "c": "Règle"}, {"t": "p", "c": 12.5}]},
        ],
    }


def test_arb002_les_blocs_de_la_page_passent_avec_tous_leurs_textes():
    kpis = cartes_kpis(
        Kpis(
            (Chiffre("kpi-a", "Lauréats", "156"), Chiffre("kpi-b", "Taux", "46,9 %")), "Données au 30/12/2023"
        )
    )
    assert (
        _textes_arbre(en_arbre(kpis))
        == _textes_dash(kpis)
        == ["Lauréats", "156", "Taux", "46,9 %", "Données au 30/12/2023"]
    )
    composant = arbre(kpis, id="kpis", className="mb-3")
    assert isinstance(composant, Arbre)
    assert composant.to_plotly_json()["props"] == {"arbre": en_arbre(kpis), "id": "kpis", "className": "mb-3"}
    assert composant.to_plotly_json()["namespace"] == "passnum_arbre"


@pytest.mark.parametrize(
    ("composant", "message"),
    [
        (dbc.Badge("x"), "seuls les éléments HTML"),
        (html.Div(dcc.Link("x", href="/")), "seuls les éléments HTML"),
        (html.Button("x", n_clicks=0), "élément <button>"),
        (html.Div("x", n_clicks=1), "n_clicks"),
        (html.A("x", href="javascript:alert(1)"), "lien refusé"),
        (html.Script("alert(1)"), "élément <script>"),
        (html.Iframe(src="https://exemple.fr"), "élément <iframe>"),
    ],
)
def test_arb003_tout_autre_chose_qu_un_element_de_presentation_est_refuse(composant, message):
    with pytest.raises(ValueError, match=message):
        en_arbre(composant)


def test_arb004_une_carte_d_enveloppe_passe():
    rendu = carte_enveloppe(carte(SOMME, "Enveloppe de l'État", "Les conventions du lauréat."))
    donnees = en_arbre(rendu)
    assert donnees["t"] == "section" and donnees["p"]["id"] == "enveloppe"
    assert _textes_arbre(donnees) == _textes_dash(rendu)
