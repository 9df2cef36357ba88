import math

import pandas as pd
import pytest

from dashboard.domain.palettes import SANS_DONNEE
from dashboard.figures.carte import (
    FOND,
    cadrer,
    cadres_encarts,
    carte_cercles,
    carte_classee,
    carte_porteurs,
    correctif,
    echelle_discrete,
    signature,
    trace_focus,
    traces_encarts,
    traces_focus,
    valeurs_de_reference,
)


def _df():
    return pd.DataFrame(
        {
            "code": ["44", "85", "976"],
            "nom": ["Loire-Atlantique", "Vendée", "Mayotte"],
            "classe": pd.array([1, 0, None], dtype="Int64"),
            "survol": ["207,3", "103,0", "—"],
        }
    )


def test_fig001_geometrie_par_url_jamais_incluse():
    figure = carte_classee(_df(), "/geo/departements.abcd1234.geojson", ["#DBDAFF", "#000091"], "Densité")
    for trace in figure["data"]:
        assert trace["geojson"] == "/geo/departements.abcd1234.geojson"
        assert trace["featureidkey"] == "properties.code"


def test_fig002_sans_donnee_gris_en_haut_de_l_echelle_d_une_seule_trace():
    (trace,) = carte_classee(_df(), "/g.json", ["#DBDAFF", "#000091"], "Densité")["data"]
    assert trace["locations"] == ["44", "85", "976"] and trace["z"] == [1, 0, 2]
    assert trace["zmin"] == -0.5 and trace["zmax"] == 2.5
    assert trace["colorscale"][-1] == [1.0, SANS_DONNEE] and trace["colorscale"][-2] == [2 / 3, SANS_DONNEE]


def test_fig003_survol_en_francais_noms_pris_dans_la_geometrie():
    (trace,) = carte_classee(_df(), "/g.json", ["#DBDAFF", "#000091"], "Densité")["data"]
    assert trace["customdata"][0] == "207,3"
    assert trace["hovertemplate"] == "<b>%{properties.nom}</b><br>Densité : %{customdata}<extra></extra>"
    assert "Loire-Atlantique" not in str(trace)  # names never travel: the GeoJSON has them


def test_fig004_echelle_en_marches():
    echelle = echelle_discrete(["a", "b"])
    assert echelle == [[0.0, "a"], [0.5, "a"], [0.5, "b"], [1.0, "b"]]


def test_fig005_pas_de_fond_de_carte_et_separateurs_francais():
    layout = carte_classee(_df(), "/g.json", ["#DBDAFF", "#000091"], "Densité")["layout"]
    assert layout["geo"]["visible"] is False
    assert layout["separators"] == ",\u202f"


# --- Proportional circles --------------------------------------------------------------------------


def _stocks():
    return pd.DataFrame(
        {
            "code": ["29", "35", "56", "22", "971"],
            "nom": ["Finistère", "Ille-et-Vilaine", "Morbihan", "Côtes-d'Armor", "Guadeloupe"],
            "pass_distribues": [250_000.0, 62_500.0, 0.0, float("nan"), 1_000.0],
        }
    )


def _points():
    return pd.DataFrame(
        {
            "code": ["22", "29", "35", "56", "971"],
            "lon": [-2.86, -4.1, -1.64, -2.81, -6.86],
            "lat": [48.44, 48.26, 48.17, 47.85, 46.8],
        }
    )


def test_fig010_cercles_surface_proportionnelle_positions_fixes():
    _fond, cercles = carte_cercles(_stocks(), _points(), "/geo/d.json", "pass_distribues")["data"]
    assert cercles["type"] == "scattergeo"
    # one circle per territory in the caller's order, so a filter change only patches sizes; zero and
    # NaN give a zero-size circle, a tiny value at least 2 px
    assert cercles["marker"]["size"] == [40.0, 20.0, 0, 0, 2.5]  # √(62 500 / 250 000) = ½ ; √(1/250) × 40
    assert cercles["lon"] == [-4.1, -1.64, -2.81, -2.86, -6.86]
    assert cercles["lat"] == [48.26, 48.17, 47.85, 48.44, 46.8]
    assert cercles["marker"]["color"] == "#000091" and cercles["marker"]["line"]["color"] == "white"
    assert 0 < cercles["marker"]["opacity"] < 1


def test_fig018_cercles_de_laureats_plus_grand_dessine_en_premier():
    laureats = _stocks().assign(code=["1", "2", "3", "4", "5"])
    points = _points().assign(code=["4", "1", "2", "3", "5"])
    _fond, cercles = carte_cercles(laureats, points, "/d.json", "pass_distribues", codes_fond=["22"])["data"]
    # zero and NaN give no circle; the largest first, so that the small ones stay on top
    assert [n for _, n, _ in cercles["customdata"]] == ["Finistère", "Ille-et-Vilaine", "Guadeloupe"]
    assert [c for c, _, _ in cercles["customdata"]] == ["1", "2", "5"]  # the SIREN, for the click
    assert cercles["marker"]["size"] == [40.0, 20.0, 2.5]


def test_fig011_cercles_sur_un_fond_gris_de_tout_le_niveau():
    fond, _ = carte_cercles(_stocks(), _points(), "/geo/d.json", "pass_distribues")["data"]
    assert fond["type"] == "choropleth" and fond["geojson"] == "/geo/d.json"
    assert fond["featureidkey"] == "properties.code"
    assert fond["locations"] == ["29", "35", "56", "22", "971"]
    assert {c for _, c in fond["colorscale"]} == {"#EEEEEE"}


def test_fig012_survol_par_le_fond_formate_par_le_registre_les_cercles_le_laissent_passer():
    fond, cercles = carte_cercles(_stocks(), _points(), "/geo/d.json", "pass_distribues")["data"]
    assert fond["customdata"] == ["250\u202f000", "62\u202f500", "0", "—", "1\u202f000"]
    modele = "<b>%{properties.nom}</b><br>Pass distribués : %{customdata}<extra></extra>"
    assert fond["hovertemplate"] == modele
    assert cercles["hoverinfo"] == "skip" and "customdata" not in cercles


def test_fig013_cercles_legende_trois_valeurs_rondes():
    layout = carte_cercles(_stocks(), _points(), "/geo/d.json", "pass_distribues")["layout"]
    assert layout["meta"]["legende_cercles"] == [(2_000, 3.6), (20_000, 11.3), (200_000, 35.8)]
    assert layout["geo"]["fitbounds"] == "locations" and layout["geo"]["visible"] is False
    assert layout["geo"]["projection"] == {"type": "mercator"} and layout["separators"] == ",\u202f"


def test_fig014_valeurs_de_reference_rondes():
    assert valeurs_de_reference(123_456) == [1_000, 10_000, 100_000]
    assert valeurs_de_reference(5_000_000) == [50_000, 500_000, 5_000_000]
    assert valeurs_de_reference(30) == [1, 2, 20]  # never below one pass
    assert valeurs_de_reference(0) == [] and valeurs_de_reference(math.nan) == []


def test_fig015_cercles_refusent_un_taux_et_des_points_de_plusieurs_niveaux():
    df = _stocks().assign(taux_utilisation=0.5)
    with pytest.raises(ValueError, match="pas un stock"):
        carte_cercles(df, _points(), "/g.json", "taux_utilisation")
    doublons = pd.concat([_points(), _points()])
    with pytest.raises(ValueError, match="un seul niveau"):
        carte_cercles(_stocks(), doublons, "/g.json", "pass_distribues")


def test_fig017_cercles_de_laureats_sur_le_fond_des_departements():
    laureats = pd.DataFrame({"code": ["200046977"], "nom": ["SM Mégalis"], "pass_distribues": [500.0]})
    points = pd.DataFrame({"code": ["200046977"], "lon": [-3.0], "lat": [48.2]})
    fond, cercles = carte_cercles(
        laureats, points, "/geo/d.json", "pass_distribues", codes_fond=["22", "29", "35", "56"]
    )["data"]
    assert fond["locations"] == ["22", "29", "35", "56"] and fond["z"] == [0, 0, 0, 0]
    assert fond["hoverinfo"] == "skip" and "customdata" not in fond
    assert cercles["customdata"] == [["200046977", "SM Mégalis", "Pass distribués : 500"]]
    assert cercles["lon"] == [-3.0]
    assert cercles["hovertemplate"] == "<b>%{customdata[1]}</b><br>%{customdata[2]}<extra></extra>"


def test_fig016_cercles_sans_aucune_valeur():
    df = _stocks().assign(pass_distribues=float("nan"))
    figure = carte_cercles(df, _points(), "/g.json", "pass_distribues")
    assert set(figure["data"][1]["marker"]["size"]) == {0}
    assert figure["layout"]["meta"]["legende_cercles"] == []


# --- Porteurs ---------------------------------------------------------------------------------------


def _couches():
    return pd.DataFrame(
        {
            "siren": ["200046977", "200046977", "222900016", "232900018", "243500139", "200053759"],
            "nom": ["SM Mégalis", "SM Mégalis", "CD Finistère", "CR Bretagne", "Rennes Métropole", "SM Nord"],
            "type": ["SM", "SM", "CD", "CR", "EPCI", "SM"],
            "niveau_geo": ["departement", "epci", "departement", "region", "epci", "departement"],
            "code": ["22", "243500139", "29", "53", "243500139", "59"],
            "classe": pd.array([1, 1, 0, None, 2, None], dtype="Int64"),
            "survol": ["a", "b", "c", "d", "e", "f"],
        }
    )


URLS = {"region": "/geo/r.json", "departement": "/geo/d.json", "epci": "/geo/e.json"}
COULEURS = ["#DBDAFF", "#6A6AF4", "#00005F"]


def test_fig020_porteurs_une_trace_par_type_et_couche_du_plus_grand_au_plus_petit():
    traces = carte_porteurs(_couches(), URLS, COULEURS)["data"]
    assert [(t["legendgroup"], t["geojson"]) for t in traces] == [
        ("CR", "/geo/r.json"),
        ("CD", "/geo/d.json"),
        ("SM", "/geo/d.json"),
        ("SM", "/geo/e.json"),
        ("EPCI", "/geo/e.json"),
    ]
    assert [t["name"] for t in traces] == [
        "Conseils régionaux",
        "Conseils départementaux",
        "Syndicats mixtes",
        "Syndicats mixtes",
        "EPCI",
    ]
    assert [t["showlegend"] for t in traces] == [True, True, True, False, True]


def test_fig021_porteurs_sans_donnee_en_gris_dans_la_meme_trace():
    traces = carte_porteurs(_couches(), URLS, COULEURS)["data"]
    syndicats_dep = traces[2]
    assert syndicats_dep["locations"] == ["22", "59"] and syndicats_dep["z"] == [1, 3]
    assert syndicats_dep["zmin"] == -0.5 and syndicats_dep["zmax"] == 4.5
    assert syndicats_dep["colorscale"][-4:-2] == [[0.6, SANS_DONNEE], [0.8, SANS_DONNEE]]
    assert syndicats_dep["colorscale"][2:4] == [[0.2, "#6A6AF4"], [0.4, "#6A6AF4"]]
    assert traces[0]["z"] == [3]  # the région without data


def test_fig040_porteur_incoherent_dans_sa_propre_couleur_hors_classes():
    couches = _couches().assign(incoherent=[False, False, True, False, False, False])
    traces = carte_porteurs(couches, URLS, COULEURS)["data"]
    departements = traces[1]  # CD Finistère, class 0, but its data are inconsistent
    assert departements["z"] == [4]
    assert departements["colorscale"][-2:] == [[0.8, "#E4794A"], [1.0, "#E4794A"]]


def test_fig022_porteurs_clic_donne_le_siren_et_superpositions_visibles():
    traces = carte_porteurs(_couches(), URLS, COULEURS)["data"]
    assert traces[3]["customdata"] == [["200046977", "SM Mégalis", "b"]]
    assert traces[3]["hovertemplate"] == "<b>%{customdata[1]}</b><br>%{customdata[2]}<extra></extra>"
    assert all(0.5 < t["marker"]["opacity"] < 1 for t in traces)
    largeurs = {t["legendgroup"]: t["marker"]["line"]["width"] for t in traces}
    assert largeurs["CR"] > largeurs["CD"] > largeurs["EPCI"]


def test_fig023_porteurs_legende_des_types_hors_de_la_figure():
    # The layers' legend is the page's (with the real outlines): plotly's own would show four
    # identical glyphs and eat the bottom of the map.
    layout = carte_porteurs(_couches(), URLS, COULEURS)["layout"]
    assert layout["showlegend"] is False and "legend" not in layout
    assert layout["margin"]["b"] == 0
    assert layout["geo"]["visible"] is False and layout["separators"] == ",\u202f"


def test_fig024_porteurs_selection_vide():
    figure = carte_porteurs(_couches().iloc[0:0], URLS, COULEURS)
    assert figure["data"] == [] and figure["layout"]["geo"]["fitbounds"] == "locations"


def test_fig025_cartes_valides_pour_plotly():
    import plotly.graph_objects as go  # test only: pages keep the plain dicts (see DASH-NOTES)

    cercles = go.Figure(carte_cercles(_stocks(), _points(), "/geo/d.json", "pass_distribues"))
    porteurs = go.Figure(carte_porteurs(_couches(), URLS, COULEURS))
    assert [t.type for t in cercles.data] == ["choropleth", "scattergeo"]
    assert [t.name for t in porteurs.data][:2] == ["Conseils régionaux", "Conseils départementaux"]


BORNES_DROM = {
    "971": (-7.39, 48.87, -5.70, 49.83),
    "972": (-7.26, 47.37, -5.84, 48.51),
    "973": (-7.21, 45.88, -5.88, 47.01),
    "974": (-7.42, 44.40, -5.68, 45.50),
    "976": (-7.18, 42.80, -5.92, 44.02),
}


def test_drl010_porteurs_fond_de_tous_les_territoires_sous_les_laureats():
    figure = carte_porteurs(_couches(), URLS, COULEURS, fond=("/geo/d.json", ["01", "22", "29", "2A"]))
    fond, *laureats = figure["data"]
    assert fond["name"] == "fond" and fond["locations"] == ["01", "22", "29", "2A"]
    assert fond["geojson"] == "/geo/d.json" and fond["hoverinfo"] == "skip"
    assert fond["colorscale"] == [[0, FOND], [1, FOND]] and "customdata" not in fond
    assert [t["legendgroup"] for t in laureats] == ["CR", "CD", "SM", "SM", "EPCI"]
    # the base is structure: a recolouring never sends it again
    assert all(chemin[1] != 0 for chemin, _ in correctif(figure))


def test_drl011_encarts_cadres_et_nommes():
    cadres = cadres_encarts(BORNES_DROM)
    assert len({(g, d) for g, _, d, _ in cadres.values()}) == 1  # one column: the same width
    for code, (g, b, d, h) in cadres.items():
        ouest, sud, est, nord = BORNES_DROM[code]
        assert g < ouest and b < sud and d > est and h > nord
    lignes, noms = traces_encarts(BORNES_DROM)
    assert lignes["mode"] == "lines" and lignes["lon"].count(None) == 5 and len(lignes["lon"]) == 30
    assert noms["text"] == ["Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"]
    assert lignes["hoverinfo"] == noms["hoverinfo"] == "skip"
    assert traces_encarts({}) == []


def test_drl012_cadrage_exact_centre_en_mercator():
    figure = cadrer(
        carte_classee(_df(), "/g.json", ["#DBDAFF", "#000091"], "Densité"), (-7.4, 41.3, 9.6, 51.1)
    )
    geo = figure["layout"]["geo"]
    assert "fitbounds" not in geo
    ouest, est = geo["lonaxis"]["range"]
    sud, nord = geo["lataxis"]["range"]
    assert ouest < -7.4 < 9.6 < est and est - ouest < 17 * 1.05  # a margin, not plotly's tenth
    assert sud < 41.3 < 51.1 < nord
    # Mercator's middle is north of the middle in degrees (46.2°)
    assert 46.3 < geo["center"]["lat"] < 46.6 and geo["center"]["lon"] == pytest.approx(1.1, abs=0.01)
    sans = cadrer(carte_classee(_df(), "/g.json", ["#DBDAFF"], "Densité"), None)
    assert sans["layout"]["geo"]["fitbounds"] == "locations"


def test_drl013_focus_contour_epais_sans_remplissage_ni_survol():
    trace = trace_focus("/geo/d.json", ["29"], "departement")
    assert trace["locations"] == ["29"] and trace["marker"]["line"]["width"] >= 3
    assert {c for _, c in trace["colorscale"]} == {"rgba(0,0,0,0)"} and trace["hoverinfo"] == "skip"
    figure = carte_classee(_df(), "/g.json", ["#DBDAFF", "#000091"], "Densité")
    avec = {**figure, "data": [*figure["data"], trace]}
    assert [c[0][1] for c in correctif(avec)] == [0] * len(correctif(figure))  # never patched
    assert signature(avec) != signature(figure)
    halo, trait = traces_focus("/geo/d.json", ["29"], "departement")
    assert trait == trace
    assert halo["marker"]["line"]["color"] == "#FFFFFF"
    assert halo["marker"]["line"]["width"] > trait["marker"]["line"]["width"]
