"""Names come from imported files: plotly reads `<a href>`, `<b>`, `<br>`… in every text it draws and made
a live link of a structure named `<a href="https://…">`. Every text built from a name reaches plotly inert."""

import html

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain.texte import pour_plotly
from dashboard.figures.carte import carte_porteurs
from dashboard.figures.graphiques import barres_structures, chronologies_comparees, entonnoirs_compares

PIEGE = '<a href="https://exemple.invalid/">Médiathèque</a> <b>&amp;</b><br>'
NOTRE_BALISAGE = ("hovertemplate", "texttemplate")  # written by us, never from a name


def _textes(objet, cle=None):
    """Every string of a figure, with the key it is under (the keys plotly reads as templates apart)."""
    if isinstance(objet, dict):
        for k, v in objet.items():
            yield from _textes(v, k)
    elif isinstance(objet, list | tuple):
        for v in objet:
            yield from _textes(v, cle)
    elif isinstance(objet, str) and cle not in NOTRE_BALISAGE:
        yield objet


def _figures(nom: str) -> list[dict]:
    mensuel = pd.DataFrame({"mois": pd.to_datetime(["2020-01-01", "2020-02-01"]), "nb": [10, 20]})
    couches = pd.DataFrame(
        {
            "siren": ["200046977"],
            "nom": [nom],
            "type": ["SM"],
            "niveau_geo": ["departement"],
            "code": ["22"],
            "classe": pd.array([1], dtype="Int64"),
            "survol": ["12 pass"],
        }
    )
    repartition = pd.DataFrame({"nom": [nom], "commune": ["Brest"], "nb_pass": [12], "part": [1.0]})
    return [
        barres_structures(repartition),
        chronologies_comparees([(nom, mensuel, 1000.0)], "nb", "pass pour 1 000 habitants"),
        entonnoirs_compares([(nom, 1000.0, 30.0, 20.0, 10.0)]),
        carte_porteurs(couches, {"departement": "/geo/d.json"}, ["#DBDAFF", "#6A6AF4"]),
    ]


def test_ine001_un_nom_balise_n_est_jamais_du_balisage_pour_plotly():
    for figure in _figures(PIEGE):
        textes = list(_textes(figure))
        assert not [t for t in textes if "<" in t or ">" in t], figure["data"][0]["type"]
        # …and the name is still there, written with the entities plotly shows as the characters.
        assert any("&lt;a href=" in t and "&amp;amp;" in t for t in textes)


@given(st.text(min_size=1, max_size=40))
def test_ine002_echappement_reversible_et_sans_chevron(nom):
    echappe = pour_plotly(nom)
    assert "<" not in echappe and ">" not in echappe
    assert html.unescape(echappe) == nom  # the entities give the name back, character for character
