"""The national view computed from its state on the demo dataset (what the callbacks return)."""

import json

import pytest

from dashboard import create_app
from dashboard.domain.etat import EtatVue, lire_query
from dashboard.domain.indicateurs import totaliser
from dashboard.pages import national, national_calcul
from tests.conftest import GEO_DIR

MANIFESTE = json.loads((GEO_DIR / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def contexte(base_demo):
    return create_app(base_demo).server.config["PASSNUM_CONTEXTE"]


def _locations(figure) -> list[str]:
    return [c for t in figure["data"] if t["type"] == "choropleth" for c in t["locations"]]


def test_vna001_porteurs_chaque_laureat_dessine_kpis_egaux_au_tableau(contexte):
    vue = national_calcul.calculer(contexte, EtatVue())
    assert len(vue.table) == 56
    sirens = {ligne[0] for t in vue.figure["data"] for ligne in t["customdata"]}
    assert sirens == set(vue.table["code"])
    assert {t["geojson"] for t in vue.figure["data"]} <= {"/geo/" + f for f in MANIFESTE["fichiers"].values()}
    totaux = totaliser(vue.table)
    assert totaux["pass_distribues"] == vue.table["pass_distribues"].sum()
    texte_kpis = str(vue.kpis)
    assert "56" in texte_kpis and "Données au 23/12/2023" in texte_kpis
    assert vue.resume.startswith("Au 23/12/2023, 56 lauréats")


def test_vna002_territoires_tous_les_departements_meme_sans_donnee(contexte):
    vue = national_calcul.calculer(contexte, lire_query("?vue=territoires&niveau=departement"))
    codes = _locations(vue.figure)
    assert len(codes) == len(set(codes)) == 101
    sans = [t for t in vue.figure["data"] if t["name"] == "sans donnée"]
    assert sans and len(sans[0]["locations"]) == 101 - vue.table["taux_utilisation"].notna().sum()


def test_vna003_lien_du_coordinateur_occitanie_vague_2019(contexte):
    etat = lire_query(
        "?vue=territoires&niveau=departement&region=76&vague=2019&indicateur=taux_utilisation"
        "&classes=quantiles"
    )
    vue = national_calcul.calculer(contexte, etat)
    occitanie = national_calcul.noms_territoires(contexte.engine, "departement")
    attendus = set(occitanie.loc[occitanie["code_region"] == "76", "code"])
    assert set(_locations(vue.figure)) == attendus and len(attendus) == 13
    assert set(vue.table["code"]) <= attendus
    assert "départements d'Occitanie" in vue.resume and "vague 2019" in vue.resume


def test_vna004_stock_en_cercles_proportionnels(contexte):
    vue = national_calcul.calculer(
        contexte, lire_query("?vue=territoires&niveau=region&indicateur=pass_distribues")
    )
    cercles = [t for t in vue.figure["data"] if t["type"] == "scattergeo"]
    assert cercles, "a stock is drawn as circles, never as a choropleth of raw counts"
    assert all(t["type"] != "choropleth" or set(t.get("z") or [0]) <= {0} for t in vue.figure["data"])
    tailles = [s for t in cercles for s in t["marker"]["size"]]
    assert max(tailles) == pytest.approx(40)
    assert len(_locations(vue.figure)) == 18  # every région under the circles, Corse included


def test_vna005_seuils_metier_et_classes_figees(contexte):
    seuils = national_calcul.calculer(contexte, lire_query("?classes=seuils"))
    assert seuils.bornes[:2] == (0.4, 0.7)
    figees = national_calcul.calculer(contexte, lire_query("?bornes=0.3,0.5,0.9&vague=2020"))
    assert figees.bornes[:3] == (0.3, 0.5, 0.9)


def test_vna006_descendre_par_un_clic(contexte):
    regions = lire_query("?vue=territoires&niveau=region")
    departements = national_calcul.drill(regions, "76", contexte.engine)
    assert (departements.niveau, departements.filtres.regions) == ("departement", ("76",))
    epci = national_calcul.drill(departements, "31", contexte.engine)
    assert (epci.niveau, epci.filtres.regions) == ("epci", ("76",))
    assert national_calcul.drill(EtatVue(), "76", contexte.engine) == EtatVue()  # porteurs view: no drill


def test_vna007_entete_d_export(contexte):
    entete = national.entete_export(contexte, lire_query("?vague=2019&region=76"))
    assert "Vague : 2019" in entete.filtres and "Région : Occitanie" in entete.filtres
    assert "DÉMONSTRATION" in entete.source and entete.date_donnees.isoformat() == "2023-12-23"
