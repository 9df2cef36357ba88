"""Territory and laureate pages: what they compute (store.entites) agrees with the national view, the
exports are stamped, unknown codes are real 404s."""

import base64

import pandas as pd
import pytest

from dashboard import create_app
from dashboard.components.fiche import page as page_fiche
from dashboard.domain.filtres import Filtres
from dashboard.domain.liens import lire_identifiant
from dashboard.store import entites as fiches
from dashboard.store.db import make_engine
from dashboard.store.indicateurs import table_indicateurs
from tests.conftest import client_rappels
from tests.rappels import corps_rappel


@pytest.fixture(scope="module")
def engine(base_demo):
    return make_engine(base_demo.resolved_database_url)


@pytest.fixture(scope="module")
def app_demo(base_demo):
    app = create_app(base_demo)
    app.server.test_client().get("/")
    return app


def _un_territoire_actif(engine, niveau: str) -> str:
    table = table_indicateurs(engine, niveau, "territoires", Filtres())
    return table.sort_values("pass_utilises", ascending=False)["code"].iloc[0]


def test_fic001_identifiants():
    assert lire_identifiant("departement:44") == ("departement", "44")
    assert lire_identifiant(" epci:200067106 ") == ("epci", "200067106")
    assert lire_identifiant("departement:2A") == ("departement", "2A")
    for faux in ("commune:44109", "departement:", "porteur:12", "departement:44;drop", "'"):
        with pytest.raises(ValueError, match="non compris"):
            lire_identifiant(faux)


def test_fic002_entite_connue_et_inconnue(engine):
    finistere = fiches.entite(engine, "departement", "29")
    assert finistere.nom == "Finistère" and finistere.region == "53"
    assert finistere.parents == (("region", "53", "Bretagne"),) and finistere.population > 900_000
    assert finistere.chemin == "/territoire/departement/29" and finistere.identifiant == "departement:29"
    assert fiches.entite(engine, "departement", "999") is None
    assert fiches.entite(engine, "commune", "29019") is None
    assert fiches.entite(engine, "porteur", "123456789") is None


@pytest.mark.parametrize("niveau", ["region", "departement", "epci"])
def test_fic003_territoire_egal_a_sa_ligne_de_la_vue_nationale(engine, niveau):
    code = _un_territoire_actif(engine, niveau)
    ent = fiches.entite(engine, niveau, code)
    ligne = fiches.indicateurs(engine, ent)
    nationale = table_indicateurs(engine, niveau, "territoires", Filtres()).set_index("code").loc[code]
    assert ligne["pass_utilises"] == nationale["pass_utilises"] > 0
    serie = fiches.serie_mensuelle(engine, ent)
    assert serie["pass_distribues"].sum() == nationale["pass_distribues"]
    assert serie["pass_utilises"].sum() == nationale["pass_utilises"]
    mois = pd.to_datetime(serie["mois"])
    assert (mois.diff().dropna().dt.days <= 31).all()  # every month, zeros included


def test_fic004_porteur_repartitions_et_cohortes(engine):
    table = table_indicateurs(engine, "porteur", "porteurs", Filtres())
    siren = table.sort_values("pass_utilises", ascending=False)["code"].iloc[0]
    ent = fiches.entite(engine, "porteur", siren)
    assert ent.type_pair.startswith("porteur-") and ent.population > 0
    ligne = fiches.indicateurs(engine, ent)
    lieux = fiches.repartition_structures(engine, ent, "lieu")
    distributeurs = fiches.repartition_structures(engine, ent, "distributeur")
    # Every pass is in a row; the rows with a SIRET are the structures the indicators count.
    assert lieux["nb_pass"].sum() == ligne["pass_utilises"]
    assert lieux["siret"].notna().sum() == ligne["lieux_actifs"]
    assert distributeurs["nb_pass"].sum() == ligne["pass_distribues"]
    assert distributeurs["siret"].notna().sum() == ligne["structures_distributrices"]
    assert lieux["nb_pass"].is_monotonic_decreasing and lieux["part"].sum() == pytest.approx(1)
    cohortes = fiches.courbes_cohortes(engine, fiches.serie_mensuelle(engine, ent))
    assert not cohortes.empty and cohortes["part"].between(0, 1).all()
    # each curve levels off at most at the laureate's usage rate (min 1)
    assert cohortes["part"].max() <= min(1, ligne["taux_utilisation"]) + 1e-9
    conventions = fiches.conventions_du_porteur(engine, siren)
    assert conventions["subvention_etat_eur"].sum() == pytest.approx(ligne["subvention_etat_engagee_eur"])


def test_fic005_pairs_meme_type_population_comparable_classes(engine):
    ent = fiches.entite(engine, "departement", "29")
    pairs = fiches.pairs(engine, ent)
    assert pairs["est_entite"].sum() == 1
    rapport = pairs["population"] / ent.population
    assert ((rapport >= 0.5) & (rapport <= 2)).all() or len(pairs) == fiches.MIN_PAIRS + 1
    classes = pairs.dropna(subset=["valeur"])
    assert classes["valeur"].is_monotonic_decreasing
    assert classes["rang"].tolist() == list(range(1, len(classes) + 1))
    medianes = fiches.medianes(engine, ent, ["taux_utilisation"])
    assert list(medianes.index) == ["national", "regional"]


def test_fic006_adresses_inconnues_en_404_francais(app_demo):
    client = app_demo.server.test_client()
    assert client.get("/territoire/departement/29").status_code == 200
    assert client.get("/territoire/departement/999").status_code == 404
    assert client.get("/territoire/commune/29019").status_code == 404
    assert client.get("/porteur/000000000").status_code == 404
    assert client.get("/pas-une-page").status_code == 404
    assert client.get("/").status_code == 200 and client.get("/donnees").status_code == 200


def _exporter(app, format_: str, nom: str, identifiant: str) -> dict:
    bouton = {"type": "export", "page": "fiche", "format": format_, "nom": nom}
    corps = corps_rappel(
        app,
        "fiche-telechargement",
        {"fiche-id.data": identifiant},
        declencheur=(bouton, "n_clicks"),
        composants=[(bouton, "n_clicks", 1)],
    )
    reponse = client_rappels(app).post("/_dash-update-component", json=corps)
    assert reponse.status_code == 200, reponse.get_data(as_text=True)[:300]
    return reponse.get_json()["response"]["fiche-telechargement"]["data"]


def test_fic007_exports_csv_et_xlsx_estampilles(app_demo):
    donnees = _exporter(app_demo, "csv", "lieux", "departement:29")
    assert donnees["filename"].startswith("pass-numerique-finistere-lieux-")
    texte = base64.b64decode(donnees["content"]).decode("utf-8-sig")
    assert "Finistère" in texte and "Date des données" in texte and "DÉMONSTRATION" in texte
    assert "SIRET;Nom;Commune;Pass;Part" in texte
    ligne = base64.b64decode(_exporter(app_demo, "csv", "indicateurs", "departement:29")["content"])
    assert "\r\nFinistère;29;" in ligne.decode("utf-8-sig")  # the entity's own row, named and coded
    xlsx = _exporter(app_demo, "xlsx", "pairs", "departement:29")
    assert xlsx["filename"].endswith(".xlsx") and base64.b64decode(xlsx["content"])[:2] == b"PK"


def test_fic008_export_refuse_un_identifiant_forge(app_demo):
    bouton = {"type": "export", "page": "fiche", "format": "csv", "nom": "lieux"}
    for forge in ("departement:999", "'; DROP TABLE porteur; --", None, 42):
        corps = corps_rappel(
            app_demo,
            "fiche-telechargement",
            {"fiche-id.data": forge},
            declencheur=(bouton, "n_clicks"),
            composants=[(bouton, "n_clicks", 1)],
        )
        reponse = client_rappels(app_demo).post("/_dash-update-component", json=corps)
        # nothing to send, and no error: 204, or 200 without a file
        assert reponse.status_code in (200, 204), reponse.status_code
        assert "filename" not in reponse.get_data(as_text=True)


@pytest.mark.browser  # kaleido drives Debian's chromium
def test_fic009_export_png_d_un_graphique(app_demo):
    donnees = _exporter(app_demo, "png", "cohortes", "departement:29")
    assert donnees["filename"].startswith("pass-numerique-finistere-cohortes-")
    assert donnees["filename"].endswith(".png")
    assert base64.b64decode(donnees["content"])[:8] == b"\x89PNG\r\n\x1a\n"


def test_fic010_methodologie_lue_dans_le_registre(app_demo):
    from dashboard.domain.indicateurs import VISIBLES
    from dashboard.pages import methodologie

    texte = str(methodologie.layout())
    for ind in VISIBLES:
        assert ind.libelle in texte and ind.formule in texte
    assert "40 %" in texte and "70 %" in texte  # the business thresholds, from the registry
    assert "21,63 € pour 21,625 €" in texte and "12,3 % pour 12,25 %" in texte  # rounding, half up
    assert app_demo.server.test_client().get("/methodologie").status_code == 200


def test_fic030_lauréat_incoherent_sans_taux_ni_cohortes(base_demo):
    """A laureate whose files report more passes redeemed than handed out: its counts are shown, its
    rates say "—", its cohort chart says why it is empty."""
    from dashboard import create_app
    from dashboard.store.attribution import attribution
    from dashboard.vues import fiche as vue_fiche

    contexte = create_app(base_demo).server.config["PASSNUM_CONTEXTE"]
    incoherents = sorted(attribution(contexte.engine).incoherents)
    assert incoherents, "the demo has an inconsistent laureate (CD de la Vienne)"
    ent = vue_fiche.entite_de(contexte, "porteur", incoherents[0])
    fiche = vue_fiche.calculer_fiche(contexte, ent)
    assert fiche.incoherente
    cartes = {c.id: c.valeur for c in fiche.kpis.chiffres}
    assert cartes["kpi-taux_utilisation"] == "—" and cartes["kpi-taux_distribution"] == "—"
    assert cartes["kpi-pass_utilises"] != "—"
    figure = vue_fiche.figure_cohortes(fiche)
    assert figure["data"] == [] and "incohérentes" in figure["layout"]["annotations"][0]["text"]


def test_fic031_territoire_sans_activite_sa_page_s_affiche(base_demo):
    """A territory where nothing happened (Corse, Mayotte in the demo; pandas 3 refused to put its name in
    the empty row of numbers, and its page was blank): its page shows its name, "—" for its rates and 0
    for its counts, at every level."""
    from dashboard import create_app
    from dashboard.vues import fiche as vue_fiche

    contexte = create_app(base_demo).server.config["PASSNUM_CONTEXTE"]
    engine = contexte.engine
    territoires = table_indicateurs(engine, "departement", "territoires", Filtres())
    actifs = set(territoires.loc[territoires["pass_distribues"].fillna(0) > 0, "code"])
    essais = [("region", "94"), ("departement", "976"), ("departement", "2A")]
    essais = [(n, c) for n, c in essais if n != "departement" or c not in actifs]
    assert essais
    for niveau, code in essais:
        ent = vue_fiche.entite_de(contexte, niveau, code)
        fiche = vue_fiche.calculer_fiche(contexte, ent)
        assert fiche.ligne["nom"] == ent.nom and fiche.ligne["niveau"] == niveau
        cartes = {c.id: c.valeur for c in fiche.kpis.chiffres}
        assert cartes["kpi-taux_utilisation"] == "—"
        rendu = str(page_fiche(fiche))
        assert ent.nom in rendu and "les pass sont numérotés" not in rendu


def _lignes_csv(donnees: dict) -> list[list[str]]:
    import csv
    import io

    texte = base64.b64decode(donnees["content"]).decode("utf-8-sig")
    lignes = list(csv.reader(io.StringIO(texte), delimiter=";"))
    debut = lignes.index(["SIRET", "Nom", "Commune", "Pass", "Part"])
    return lignes[:debut], lignes[debut + 1 :]


def test_fic032_exports_par_structure_sous_secret_statistique(app_demo, engine):
    """What leaves the building: no count of 1 to 10 passes of a structure or a place, and the total minus
    what is published never gives one away; the page's stamp says the rule."""
    from dashboard.domain.secret import ANONYME, MENTION, SECRET, SEUIL

    vus = 0
    for niveau, vue in (("porteur", "porteurs"), ("departement", "territoires")):
        for code in table_indicateurs(engine, niveau, vue, Filtres())["code"]:
            for role, nom in (("distributeur", "distributeurs"), ("lieu", "lieux")):
                entier = fiches.repartition_structures(engine, fiches.entite(engine, niveau, code), role)
                if vus >= 4 or not ((entier["nb_pass"] > 0) & (entier["nb_pass"] < SEUIL)).any():
                    continue
                entete, lignes = _lignes_csv(_exporter(app_demo, "csv", nom, f"{niveau}:{code}"))
                assert any(MENTION in cellule for ligne in entete for cellule in ligne)
                # Every row, in order; a hidden row whose count the total would give away is not named.
                for ligne, nom_attendu in zip(lignes, entier["nom"], strict=True):
                    assert ligne[1] == nom_attendu or (ligne[1] == ANONYME and ligne[3] == SECRET)
                publies = [int(ligne[3]) for ligne in lignes if ligne[3] != SECRET]
                caches = entier["nb_pass"][[ligne[3] == SECRET for ligne in lignes]]
                assert all(n == 0 or n >= SEUIL for n in publies)
                assert all(ligne[4] == SECRET for ligne in lignes if ligne[3] == SECRET)
                assert sum(publies) + caches.sum() == entier["nb_pass"].sum()
                nommes = [ligne[3] == SECRET and ligne[1] != ANONYME for ligne in lignes]
                assert not any(nommes) or (len(caches) >= 2 and caches.sum() >= SEUIL)
                vus += 1
                dernier = (nom, f"{niveau}:{code}", len(caches))
    assert vus >= 3, "la démonstration devrait compter des structures à moins de 11 pass"
    import io

    from openpyxl import load_workbook

    nom, identifiant, nb_caches = dernier
    feuille = load_workbook(
        io.BytesIO(base64.b64decode(_exporter(app_demo, "xlsx", nom, identifiant)["content"]))
    )
    valeurs = [c.value for c in feuille.active["D"]]
    assert valeurs.count(SECRET) == nb_caches
