import re
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.carte import carte_porteurs
from dashboard.figures.graphiques import (
    LONGUEUR_NOM_AXE,
    MARGE_BARRE,
    POLICE,
    barres_structures,
    chronologie,
    chronologies_comparees,
    courbes_cohortes,
    entonnoir,
    entonnoir_des_totaux,
    entonnoirs_compares,
    mois_texte,
)

NNBSP = "\u202f"


def _mensuel():
    return pd.DataFrame(
        {
            "mois": [date(2021, 4, 1), date(2021, 3, 1), date(2022, 2, 1)],
            "pass_distribues": [10, 1234, 500],
            "pass_utilises": [6, 5, 0],
        }
    )


def parts(ticktext: str) -> list[str]:
    """The lines of a tick label, without their markup."""
    return [re.sub(r"<[^>]+>", "", ligne) for ligne in ticktext.split("<br>")]


def test_fig030_entonnoir_trois_etapes_chacune_avec_sa_base():
    figure = entonnoir(2_000_000, 1_234_567, 558_000, 300_000)
    funnel, _ = figure["data"]
    assert funnel["type"] == "funnel"
    assert funnel["y"] == ["Commandés", "Distribués", "Utilisés"]
    assert funnel["x"] == [2_000_000, 1_234_567, 558_000]
    # The bars carry the counts; each step's share is written under its name, on the axis.
    assert funnel["text"] == [f"2{NNBSP}000{NNBSP}000", f"1{NNBSP}234{NNBSP}567", f"558{NNBSP}000"]
    assert [parts(t) for t in figure["layout"]["yaxis"]["ticktext"]] == [
        ["Commandés"],
        ["Distribués", "61,7 % des commandés"],
        ["Utilisés", "45,2 % des distribués"],
        ["Expirés", "15,0 % des commandés"],
    ]
    assert figure["layout"]["yaxis"]["tickvals"] == ["Commandés", "Distribués", "Utilisés", "Expirés"]
    assert funnel["customdata"][1] == f"Pass distribués : 1{NNBSP}234{NNBSP}567 (61,7 % des commandés)"
    assert funnel["marker"]["color"] == "#000091" and funnel["connector"]["visible"] is True


def test_fig031_expires_barre_grise_a_part_sans_connecteur():
    figure = entonnoir(2_000_000, 1_234_567, 558_000, 300_000)
    expires = figure["data"][1]
    assert expires["y"] == ["Expirés"] and expires["x"] == [300_000]
    assert expires["text"] == [f"300{NNBSP}000"]
    assert expires["customdata"] == [f"Pass expirés : 300{NNBSP}000 (15,0 % des commandés)"]
    assert expires["marker"]["color"] == "#929292" and expires["connector"]["visible"] is False
    assert figure["layout"]["yaxis"]["categoryarray"] == ["Commandés", "Distribués", "Utilisés", "Expirés"]


def test_fig039_entonnoir_aux_taux_des_cartes_et_expires_inconnus():
    """The rates of the cards (cohorts) label the steps, whatever the plain ratios; unknown → "—"."""
    figure = entonnoir(1000, 600, 500, float("nan"), taux_distribution=0.55, taux_utilisation=0.458)
    funnel, expires = figure["data"]
    assert funnel["text"][1:] == ["600", "500"]
    assert [parts(t) for t in figure["layout"]["yaxis"]["ticktext"][1:]] == [
        ["Distribués", "55,0 % des commandés"],
        ["Utilisés", "45,8 % des distribués"],
        ["Expirés"],
    ]
    assert expires["text"] == ["—"] and expires["x"] == [0.0]
    assert expires["customdata"] == ["Pass expirés : —"]


def test_fig032_entonnoir_vide_sans_division_par_zero():
    figure = entonnoir(0, 0, 0, 0)
    assert figure["data"][0]["text"][1] == "0"
    assert figure["layout"]["yaxis"]["ticktext"][1] == "Distribués"  # no share of nothing
    assert figure["layout"]["annotations"][0]["text"] == "Aucun pass sur la sélection"
    assert "annotations" not in entonnoir(10, 5, 1, 0)["layout"]


def test_fig033_chronologie_mensuelle_en_barres_triees_par_mois():
    distribues, utilises = chronologie(_mensuel(), cumul=False)["data"]
    assert distribues["type"] == "bar" and utilises["type"] == "bar"
    assert distribues["x"] == ["2021-03-01", "2021-04-01", "2022-02-01"]
    assert distribues["y"] == [1234, 10, 500] and utilises["y"] == [5, 6, 0]
    assert distribues["customdata"][0] == f"Distribués en mars 2021 : 1{NNBSP}234"
    assert utilises["customdata"][2] == "Utilisés en février 2022 : 0"
    assert distribues["name"] == "Pass distribués"


def test_fig034_chronologie_cumulee_en_lignes():
    distribues, utilises = chronologie(_mensuel(), cumul=True)["data"]
    assert distribues["type"] == "scatter" and distribues["mode"] == "lines"
    assert distribues["y"] == [1234, 1244, 1744] and utilises["y"] == [5, 11, 11]
    assert distribues["customdata"][2] == f"Distribués (cumul) à fin février 2022 : 1{NNBSP}744"
    assert utilises["line"]["dash"] == "dash" and distribues["name"] == "Pass distribués (cumul)"


def test_fig035_chronologie_en_francais_sans_titre():
    layout = chronologie(_mensuel(), cumul=False)["layout"]
    assert layout["separators"] == f",{NNBSP}"
    assert layout["xaxis"]["tickformat"] == "%b %Y" and layout["xaxis"]["hoverformat"] == "%m/%Y"
    assert "title" not in layout


def test_fig036_chronologie_vide_annonce_aucune_activite():
    vide = _mensuel().iloc[0:0]
    figure = chronologie(vide, cumul=True)
    assert figure["data"] == []
    assert [a["text"] for a in figure["layout"]["annotations"]] == ["Aucune activité sur la période"]


def test_fig037_mois_en_francais_et_dates_pandas_acceptees():
    assert mois_texte(date(2020, 8, 1)) == "août 2020"
    serie = _mensuel().assign(mois=lambda d: pd.to_datetime(d["mois"]))  # as read from the database
    assert chronologie(serie, cumul=False)["data"][0]["x"][0] == "2021-03-01"


def test_fig038_figures_valides_pour_plotly():
    # plotly's own validator (test only: pages use the plain dicts) rejects any unknown property.
    types = [t.type for t in go.Figure(entonnoir(10, 5, 1, 2)).data]
    types += [t.type for t in go.Figure(chronologie(_mensuel(), cumul=True)).data]
    assert types == ["funnel", "funnel", "scatter", "scatter"]


def test_fig041_entonnoir_par_lieu_sans_taux_de_distribution_utilises_estimes():
    """Territories view: orders have no place; the redeemed step is the estimate behind the card's rate."""
    totaux = {
        "pass_commandes": 11768.0,
        "pass_distribues": 11925.0,
        "pass_utilises": 1747.0,  # redeemed here, a stock of the place
        "pass_expires": 7834.0,
        "taux_distribution": 0.796,
        "taux_utilisation": 0.458,
        "utilises_parmi_distribues": 5461.6,
    }
    figure = entonnoir_des_totaux(totaux, par_lieu=True)
    funnel = figure["data"][0]
    assert funnel["x"] == [11768.0, 11925.0, 5462.0]
    assert funnel["text"][1:] == [f"11{NNBSP}925", f"5{NNBSP}462"]
    assert parts(figure["layout"]["yaxis"]["ticktext"][2]) == ["Utilisés", "45,8 % des distribués", "estimé"]
    assert funnel["customdata"][2] == f"Pass utilisés : 5{NNBSP}462 (45,8 % des distribués, estimé)"
    assert entonnoir_des_totaux(totaux, flux=True, par_lieu=True)["data"][0]["text"][2] == f"1{NNBSP}747"


# --- Names from imported files reach plotly inert (a structure named `<a href=…>` made a live link) ---

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


# --- Toolbar room, labels never clipped (issue 18) ---------------------------------------------------


def _cohortes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "trimestre": ["T1 2021"] * 3 + ["T2 2021"] * 3,
            "k": [0, 3, 6] * 2,
            "distribues": [100] * 3 + [50] * 3,
            "part": [0.1, 0.4, 0.5, 0.2, 0.3, 0.6],
        }
    )


def _structures(n: int = 3) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "nom": [f"Maison départementale des solidarités n°{i}" for i in range(n)],
            "commune": ["Brest"] * n,
            "nb_pass": [900 - 100 * i for i in range(n)],
            "part": [0.924, 0.05, 0.026][:n],
        }
    )


def _toutes_les_figures() -> dict[str, dict]:
    mensuel = _mensuel().assign(mois=pd.to_datetime(_mensuel()["mois"]))
    return {
        "entonnoir": entonnoir(2_000_000, 1_234_567, 558_000, 300_000),
        "chronologie": chronologie(_mensuel(), cumul=False),
        "cumul": chronologie(_mensuel(), cumul=True),
        "cohortes": courbes_cohortes(_cohortes()),
        "structures": barres_structures(_structures()),
        "comparees": chronologies_comparees([("A", mensuel, 1000.0)], "pass_distribues", "pour 1 000"),
        "entonnoirs": entonnoirs_compares([("A", 1000.0, 50.0, 40.0, 20.0), ("B", 2000.0, 60.0, 30.0, 10.0)]),
    }


def test_gra006_chaque_graphique_garde_une_bande_pour_la_barre_d_outils():
    """The toolbar stands upright in the right margin: no figure draws data there."""
    for nom, figure in _toutes_les_figures().items():
        layout = figure["layout"]
        assert layout["margin"]["r"] >= MARGE_BARRE, nom
        assert layout["modebar"]["orientation"] == "v", nom
        assert layout["font"]["family"] == POLICE, nom


def test_gra007_barres_etiquettes_hors_zone_non_rognees():
    figure = barres_structures(_structures())
    (barres,) = figure["data"]
    assert barres["textposition"] == "outside" and barres["cliponaxis"] is False
    assert barres["text"][-1] == "92,4 %"  # plotly draws the first bar at the bottom
    # room after the longest bar for its label, inside the plot
    debut, fin = figure["layout"]["xaxis"]["range"]
    assert debut == 0 and fin >= 900 * 1.25
    assert figure["layout"]["yaxis"]["automargin"] is True


def test_gra008_noms_longs_abreges_sur_l_axe_entiers_au_survol():
    figure = barres_structures(_structures())
    axe = figure["layout"]["yaxis"]
    (barres,) = figure["data"]
    assert axe["tickvals"] == barres["y"]  # the bars stay keyed by the whole, unique names
    assert all(len(t) <= LONGUEUR_NOM_AXE for t in axe["ticktext"])
    assert axe["ticktext"][0].endswith("…") and axe["ticktext"][0].startswith("Maison départementale")
    assert "Maison départementale des solidarités n°0 (Brest)" in barres["customdata"][-1]


def test_gra009_entonnoir_compte_dans_ou_a_cote_de_sa_barre_avec_de_la_place():
    figure = entonnoir(2_000_000, 1_234_567, 558_000, 300_000)
    for trace in figure["data"]:
        assert trace["cliponaxis"] is False and trace["textposition"] == "auto"
    debut, fin = figure["layout"]["xaxis"]["range"]
    assert debut == -1_000_000 and fin > 1_000_000 * 1.2  # bars centred on 0, room on the right
    assert figure["layout"]["yaxis"]["automargin"] is True


def test_gra010_titres_d_axe_ecartes_de_leurs_graduations():
    for nom in ("cohortes", "comparees", "entonnoirs"):
        layout = _toutes_les_figures()[nom]["layout"]
        for axe in ("xaxis", "yaxis"):
            titre = layout[axe].get("title")
            if titre:
                assert titre["standoff"] >= 8, (nom, axe)
                assert layout[axe]["automargin"] is True, (nom, axe)
    cohortes = courbes_cohortes(_cohortes())["layout"]
    assert cohortes["xaxis"]["title"]["text"] == "Mois après la distribution"


def test_gra011_cumul_exporte_sous_son_propre_nom():
    """The toolbar's PNG of the cumulative chart is the server's export of that mode."""
    assert chronologie(_mensuel(), cumul=True)["layout"]["meta"] == {"export_png": "chronologie-cumul"}
    assert "meta" not in chronologie(_mensuel(), cumul=False)["layout"]


def test_com021_chronologie_marque_les_notes_du_comite():
    from datetime import date

    import pandas as pd

    from dashboard.figures.graphiques import chronologie

    mensuel = pd.DataFrame(
        {
            "mois": pd.to_datetime(["2023-10-01", "2023-11-01", "2023-12-01"]),
            "pass_distribues": [10, 20, 30],
            "pass_utilises": [1, 2, 3],
        }
    )
    sans = chronologie(mensuel, cumul=False)
    assert chronologie(mensuel, cumul=False, notes=[]) == sans
    assert "shapes" not in sans["layout"] and len(sans["data"]) == 2
    notes = [
        (date(2023, 12, 12), "décision : relance du CD 29"),
        (date(2023, 11, 14), "<b>gras</b> refusé"),
        (date(2023, 12, 12), "seconde note du jour"),
    ]
    figure = chronologie(mensuel, cumul=False, notes=notes)
    assert figure["data"][:2] == sans["data"]  # the series untouched
    marqueurs = figure["data"][2]
    assert marqueurs["name"] == "Notes du comité" and marqueurs["x"] == ["2023-11-14", "2023-12-12"]
    assert marqueurs["yaxis"] == "y2" and marqueurs["y"] == [1, 1]
    assert marqueurs["customdata"] == [
        "Note du 14/11/2023 :<br>&lt;b&gt;gras&lt;/b&gt; refusé",
        "Note du 12/12/2023 :<br>décision : relance du CD 29<br>seconde note du jour",
    ]
    lignes = figure["layout"]["shapes"]
    assert [(s["x0"], s["yref"], s["line"]["dash"]) for s in lignes] == [
        ("2023-11-14", "paper", "dot"),
        ("2023-12-12", "paper", "dot"),
    ]
    # A long note wraps in the hover label and is cut at 240 characters.
    longue = chronologie(mensuel, cumul=True, notes=[(date(2023, 12, 1), "mot " * 100)])
    survol = longue["data"][2]["customdata"][0]
    assert survol.endswith("…") and survol.count("<br>") >= 4


def _projection_prv() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "mois": pd.to_datetime(["2022-03-01", "2022-04-01"]),
            "distribues_prevus": [400.0, 300.0],
            "distribues_bas": [350.0, 200.0],
            "distribues_haut": [450.0, 420.0],
            "utilises_prevus": [20.0, 10.0],
            "utilises_bas": [10.0, 5.0],
            "utilises_haut": [30.0, 25.0],
        }
    )


def test_prv020_chronologie_avec_projection_apres_le_dernier_mois():
    traces = chronologie(_mensuel(), cumul=False, projection=_projection_prv())["data"]
    assert [t["type"] for t in traces[:2]] == ["bar", "bar"]
    prevision = traces[2:]
    assert len(prevision) == 4  # per flow: its band, its dotted line
    bande, ligne = prevision[0], prevision[1]
    # Tied to the last observed month (February 2022), then the forecast months.
    assert ligne["x"] == ["2022-02-01", "2022-03-01", "2022-04-01"]
    assert ligne["y"] == [500.0, 400.0, 300.0]
    assert ligne["line"]["dash"] == "dot" and ligne["name"] == "Prévision (estimée) : pass distribués"
    assert bande["fill"] == "toself" and bande["showlegend"] is False
    assert bande["y"] == [500.0, 450.0, 420.0, 200.0, 350.0, 500.0]  # high then low, back to the start
    assert ligne["customdata"][1] == (
        "Prévision (estimée) — pass distribués en mars 2022 : 400 (de 350 à 450)"
    )
    assert all(m > "2022-02-01" for m in ligne["x"][1:])
    assert prevision[3]["name"] == "Prévision (estimée) : pass utilisés"
    assert prevision[3]["y"] == [0.0, 20.0, 10.0]
    types = [
        t.type for t in go.Figure(chronologie(_mensuel(), cumul=False, projection=_projection_prv())).data
    ]
    assert types == ["bar", "bar", "scatter", "scatter", "scatter", "scatter"]


def test_prv021_projection_cumulee_part_du_total_observe():
    traces = chronologie(_mensuel(), cumul=True, projection=_projection_prv())["data"]
    ligne = traces[3]
    assert ligne["y"] == [1744.0, 2144.0, 2444.0]
    assert traces[5]["y"] == [11.0, 31.0, 41.0]


def test_prv022_sans_projection_ou_projection_vide_rien_de_plus():
    assert len(chronologie(_mensuel(), cumul=False)["data"]) == 2
    vide = _projection_prv().iloc[0:0]
    assert len(chronologie(_mensuel(), cumul=False, projection=vide)["data"]) == 2
    passee = _projection_prv().assign(mois=pd.to_datetime(["2021-01-01", "2021-02-01"]))
    assert len(chronologie(_mensuel(), cumul=False, projection=passee)["data"]) == 2
