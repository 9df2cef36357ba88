import pandas as pd

from dashboard.figures.carte import carte_classee, echelle_discrete


def _df():
    return pd.DataFrame(
        {
            "code": ["44", "85", "976"],
            "nom": ["Loire-Atlantique", "Vendée", "Mayotte"],
            "classe": pd.array([1, 0, None], dtype="Int64"),
            "survol": ["Densité : 207,3", "Densité : 103,0", "Densité : —"],
        }
    )


def test_fig001_geometrie_par_url_jamais_incluse():
    figure = carte_classee(_df(), "/geo/departements.abcd1234.geojson", ["#DBDAFF", "#000091"])
    for trace in figure["data"]:
        assert trace["geojson"] == "/geo/departements.abcd1234.geojson"
        assert trace["featureidkey"] == "properties.code"


def test_fig002_sans_donnee_dans_une_trace_grise_a_part():
    valeurs, sans = carte_classee(_df(), "/g.json", ["#DBDAFF", "#000091"])["data"]
    assert valeurs["locations"] == ["44", "85"] and valeurs["z"] == [1, 0]
    assert sans["locations"] == ["976"]
    assert {c for _, c in sans["colorscale"]} == {"#E5E5E5"}


def test_fig003_survol_en_francais():
    valeurs = carte_classee(_df(), "/g.json", ["#DBDAFF", "#000091"])["data"][0]
    assert valeurs["customdata"][0] == ["Loire-Atlantique", "Densité : 207,3"]
    assert "<extra></extra>" in valeurs["hovertemplate"]


def test_fig004_echelle_en_marches():
    echelle = echelle_discrete(["a", "b"])
    assert echelle == [[0.0, "a"], [0.5, "a"], [0.5, "b"], [1.0, "b"]]


def test_fig005_pas_de_fond_de_carte_et_separateurs_francais():
    layout = carte_classee(_df(), "/g.json", ["#DBDAFF", "#000091"])["layout"]
    assert layout["geo"]["visible"] is False
    assert layout["separators"] == ",\u202f"
