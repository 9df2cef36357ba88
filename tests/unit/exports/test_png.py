"""The stamped figure of a PNG export, as built before rendering (the rendering itself: the integration
tests in tests/integration/test_exports_png.py)."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pandas as pd
import pytest

from dashboard.exports.estampille import MENTION_DEMO, EnteteExport
from dashboard.exports.png import carte_avec_legende, figure_estampillee
from dashboard.figures.graphiques import MARGE_BARRE, courbes_cohortes, entonnoir

ENTETE = EnteteExport(
    titre="Pass numérique — Finistère (département) — Cohortes",
    filtres=("Département : Finistère (29)",),
    date_donnees=date(2023, 12, 30),
    source="Opérateur du Pass numérique",
    genere_le=datetime(2026, 12, 4, 9, 0, tzinfo=UTC),
)
COURBES = {
    "data": [{"type": "scatter", "x": [0, 3, 6], "y": [10, 40, 50]}],
    "layout": {
        "margin": {"l": 8, "r": 36, "t": 0, "b": 8},
        "xaxis": {"title": {"text": "Mois après la distribution", "standoff": 10}, "automargin": True},
    },
}


def _pied(figure: dict) -> dict:
    return figure["layout"]["annotations"][-1]


def test_gra012_bandeau_demo_au_dessus_du_titre():
    demo = figure_estampillee(COURBES, replace(ENTETE, demo=True))["layout"]["title"]
    assert MENTION_DEMO in demo["text"] and "color:#CE0500" in demo["text"]
    assert ENTETE.titre in demo["subtitle"]["text"]  # the whole title follows, line by line
    sans = figure_estampillee(COURBES, ENTETE)["layout"]["title"]
    assert MENTION_DEMO not in sans["text"] and ENTETE.titre in sans["text"]
    assert "subtitle" not in sans


def test_gra013_titre_long_sur_une_ligne_la_suite_en_sous_titre():
    """plotly.js draws a title of several lines one line too high per extra line (cut off at the top):
    the title keeps one line, the subtitle the rest."""
    long = replace(ENTETE, titre="Pass numérique — " + "Communauté d'agglomération du Pays de Quimperlé " * 3)
    titre = figure_estampillee(COURBES, long, largeur=800)["layout"]["title"]
    assert "<br>" not in titre["text"]
    assert titre["subtitle"]["text"].count("<br>") >= 1
    assert titre["subtitle"]["font"]["size"] == titre["font"]["size"]
    texte = (titre["text"] + " " + titre["subtitle"]["text"].replace("<br>", " ")).replace("<b>", "")
    assert "Pays de Quimperlé" in texte.replace("</b>", "")


def test_gra014_estampille_sous_le_titre_de_l_axe_x():
    """The stamp starts below the tick labels AND the axis title (it overlapped the cohort chart's)."""
    sans_titre = {**COURBES, "layout": {**COURBES["layout"], "xaxis": {"automargin": True}}}
    decalage_sans = -_pied(figure_estampillee(sans_titre, ENTETE))["yshift"]
    decalage_avec = -_pied(figure_estampillee(COURBES, ENTETE))["yshift"]
    assert decalage_avec >= decalage_sans + 14 + 10  # the title's line and its standoff
    cohortes = courbes_cohortes(
        pd.DataFrame({"trimestre": ["T1 2021"] * 2, "k": [0, 3], "distribues": [10, 10], "part": [0.1, 0.3]})
    )
    estampillee = figure_estampillee(cohortes, ENTETE)
    assert -_pied(estampillee)["yshift"] >= decalage_avec
    assert estampillee["layout"]["margin"]["b"] > -_pied(estampillee)["yshift"]


def test_gra015_pas_de_bande_de_barre_d_outils_dans_l_image():
    figure = entonnoir(100, 60, 30, 5)
    assert figure["layout"]["modebar"]
    estampillee = figure_estampillee(figure, ENTETE)
    assert "modebar" not in estampillee["layout"]
    # the band goes, the stamp's side margin comes
    assert estampillee["layout"]["margin"]["r"] == figure["layout"]["margin"]["r"] - MARGE_BARRE + 16
    assert figure["layout"]["modebar"]  # the input is never modified


def test_gra016_carte_exportee_avec_sa_legende_de_classes():
    carte = {"data": [{"type": "choropleth", "locations": ["29"], "z": [1]}], "layout": {"geo": {}}}
    avec = carte_avec_legende(
        carte, "Taux d'utilisation (%)", [("#000091", "de 10 % à 20 % (3 départements)")]
    )
    legende = avec["data"][-1]
    assert legende["type"] == "scattergeo" and legende["legend"] == "legend2"
    assert legende["marker"]["color"] == "#000091" and legende["name"] == "de 10 % à 20 % (3 départements)"
    assert "Taux d'utilisation" in avec["layout"]["legend2"]["title"]["text"]
    assert len(carte["data"]) == 1  # a copy
    assert carte_avec_legende(carte, "x", []) == carte


def test_gra021_un_demarrage_sans_reponse_est_arrete_puis_retente_une_fois(monkeypatch):
    from dashboard.exports import png as module

    appels: list[str] = []

    def demarrer():
        appels.append("demarrer")
        if appels.count("demarrer") == 1:
            raise TimeoutError("le moteur de rendu n'a pas répondu en 45 s")

    monkeypatch.setattr(module, "_demarrer_moteur", demarrer)
    monkeypatch.setattr(module, "arreter_moteur", lambda: appels.append("arreter"))
    module._demarrer_avec_reprise()
    assert appels == ["demarrer", "arreter", "demarrer"]

    appels.clear()

    def toujours_muet():
        appels.append("demarrer")
        raise TimeoutError("muet")

    monkeypatch.setattr(module, "_demarrer_moteur", toujours_muet)
    with pytest.raises(TimeoutError):
        module._demarrer_avec_reprise()
    assert appels == ["demarrer", "arreter", "demarrer"]
