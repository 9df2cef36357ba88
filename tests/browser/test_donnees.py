"""/donnees in the browser: upload, French report before anything is written, confirmation, history."""

import pytest
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import func, select

from dashboard import create_app
from dashboard.settings import ROOT
from dashboard.store.db import make_engine
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import ImportLot, SyndicatMembre
from tests.browser.outils import verifier_page_saine
from tests.conftest import settings_pour

pytestmark = pytest.mark.browser
IMPORTS = ROOT / "tests" / "fixtures" / "imports"


@pytest.fixture
def base_neuve(tmp_path):
    """A database with the reference geography and no programme data (the page writes into it)."""
    settings = settings_pour(f"sqlite:///{tmp_path / 'donnees.sqlite'}", tmp_path)
    initialiser(make_engine(settings.resolved_database_url), settings.geo_dir)
    return settings


def _compter(settings, table) -> int:
    with make_engine(settings.resolved_database_url).connect() as connection:
        return connection.scalar(select(func.count()).select_from(table))


def _deposer(dash_duo, kind: str, fichier) -> None:
    dash_duo.wait_for_element("#donnees-kind", timeout=20)
    dash_duo.driver.execute_script(
        "const s = document.getElementById('donnees-kind'); s.value = arguments[0];"
        "s.dispatchEvent(new Event('change', {bubbles: true}));",
        kind,
    )
    dash_duo.find_element("#donnees-upload input[type=file]").send_keys(str(fichier))


def _attendre_texte(dash_duo, selecteur: str, texte: str) -> str:
    WebDriverWait(dash_duo.driver, 30).until(lambda d: texte in dash_duo.find_element(selecteur).text)
    return dash_duo.find_element(selecteur).text


def test_don001_valider_puis_confirmer_un_import(dash_duo, base_neuve):
    dash_duo.start_server(create_app(base_neuve))
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/donnees")
    dash_duo.wait_for_text_to_equal("h1", "Données", timeout=20)
    assert "Aucun import pour l'instant." in dash_duo.find_element("#donnees-historique").text
    _deposer(dash_duo, "syndicats", IMPORTS / "valides" / "syndicats.csv")
    _attendre_texte(dash_duo, "#donnees-rapport", "Fichier valide")
    assert _compter(base_neuve, ImportLot) == 0  # validated, nothing written yet
    bouton = dash_duo.find_element("#donnees-confirmer")
    WebDriverWait(dash_duo.driver, 10).until(lambda d: bouton.is_enabled())
    bouton.click()
    _attendre_texte(dash_duo, "#donnees-rapport", "Import réalisé")
    historique = _attendre_texte(dash_duo, "#donnees-historique", "syndicats.csv")
    assert "Syndicats mixtes et leurs membres" in historique and "compte-local" in historique
    assert _compter(base_neuve, ImportLot) == 1 and _compter(base_neuve, SyndicatMembre) > 0
    verifier_page_saine(dash_duo)


def test_don002_fichier_refuse_rapport_francais_rien_ecrit(dash_duo, base_neuve):
    dash_duo.start_server(create_app(base_neuve))
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/donnees")
    _deposer(dash_duo, "laureats", IMPORTS / "mauvais" / "laureats__siren_luhn.csv")
    rapport = _attendre_texte(dash_duo, "#donnees-rapport", "Fichier refusé")
    assert "SIREN invalide" in rapport and "ligne 2, colonne siren, valeur « 224400029 »" in rapport
    assert not dash_duo.find_element("#donnees-confirmer").is_enabled()
    assert _compter(base_neuve, ImportLot) == 0
    verifier_page_saine(dash_duo)


def test_don003_charger_le_jeu_de_demonstration_depuis_la_page(dash_duo, base_neuve):
    dash_duo.start_server(create_app(base_neuve))
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/donnees")
    dash_duo.wait_for_element("#donnees-demo-charger", timeout=20).click()  # nothing typed: refused
    _attendre_texte(dash_duo, "#donnees-demo-resultat", "tapez le nom du jeu")
    assert _compter(base_neuve, ImportLot) == 0
    dash_duo.find_element("#donnees-demo-confirmation").send_keys("small")
    dash_duo.find_element("#donnees-demo-charger").click()
    WebDriverWait(dash_duo.driver, 60).until(
        lambda d: "« small » chargé" in dash_duo.find_element("#donnees-demo-resultat").text
    )
    assert "Jeu de démonstration « small » chargé." in dash_duo.find_element("#donnees-demo-resultat").text
    assert _compter(base_neuve, ImportLot) == 6  # one lot per demo file: the five KINDs and the lieux
    assert "Tunnel incohérent" in dash_duo.find_element("#donnees-qualite").text
    # Its progress showed in its own block, in French, not in the upload's.
    demo = dash_duo.driver.execute_script(
        "return document.getElementById('donnees-demo-progression-libelle').textContent"
    )
    assert demo.startswith(("Lieux de médiation", "Utilisations de pass")) and " %" in demo, demo
    assert dash_duo.find_element("#donnees-progression-libelle").text == ""
    dash_duo.driver.refresh()
    dash_duo.wait_for_text_to_equal("#donnees-demo", "Données de démonstration — fictives", timeout=20)
    verifier_page_saine(dash_duo)


def _choisir_de_nouveau(dash_duo, fichier) -> None:
    """Pick a file through the input as a user does: the input is clicked (opening the chooser), then the
    file is chosen."""
    entree = dash_duo.find_element("#donnees-upload input[type=file]")
    dash_duo.driver.execute_script(
        "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", entree
    )
    entree.send_keys(str(fichier))


def test_dpg006_nom_du_fichier_meme_fichier_deux_fois_et_remplacement_par_la_case(dash_duo, base_neuve):
    dash_duo.start_server(create_app(base_neuve))
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/donnees")
    fichier = IMPORTS / "valides" / "syndicats.csv"
    _deposer(dash_duo, "syndicats", fichier)
    choisi = _attendre_texte(dash_duo, "#donnees-fichier-choisi", "syndicats.csv")
    assert choisi.startswith("Fichier choisi : syndicats.csv (") and "validé de nouveau" not in choisi
    _attendre_texte(dash_duo, "#donnees-rapport", "Fichier valide")
    bouton = dash_duo.find_element("#donnees-confirmer")
    WebDriverWait(dash_duo.driver, 10).until(lambda d: bouton.is_enabled())
    bouton.click()
    _attendre_texte(dash_duo, "#donnees-rapport", "Import réalisé")
    assert _compter(base_neuve, ImportLot) == 1

    # The same file again: answered (already imported), in the page's words, not the command line's.
    _choisir_de_nouveau(dash_duo, fichier)
    rapport = _attendre_texte(dash_duo, "#donnees-rapport", "déjà importé")
    assert "cochez « Remplacer l'import précédent »" in rapport and "--remplacer" not in rapport
    # Picked a third time: the page says it validated it again.
    _choisir_de_nouveau(dash_duo, fichier)
    _attendre_texte(dash_duo, "#donnees-fichier-choisi", "même fichier que le précédent : validé de nouveau")

    # Ticking « Remplacer » validates it again as a replacement; the typed word is then asked for.
    assert not dash_duo.find_element("#donnees-remplacer-confirmation").is_displayed()
    dash_duo.find_element("label[for=donnees-remplacer]").click()
    _attendre_texte(dash_duo, "#donnees-fichier-choisi", "pour remplacer l'import précédent")
    _attendre_texte(dash_duo, "#donnees-rapport", "Fichier valide")
    champ = dash_duo.find_element("#donnees-remplacer-confirmation")
    WebDriverWait(dash_duo.driver, 10).until(lambda d: champ.is_displayed())
    champ.send_keys("REMPLACER")
    WebDriverWait(dash_duo.driver, 10).until(lambda d: bouton.is_enabled())
    bouton.click()
    _attendre_texte(dash_duo, "#donnees-rapport", "Import réalisé")
    historique = _attendre_texte(dash_duo, "#donnees-historique", "Date (heure de Paris)")
    assert "UTC" not in historique
    # The next file starts afresh: the box unticked, the word gone, its field hidden again.
    WebDriverWait(dash_duo.driver, 10).until(
        lambda d: (
            not dash_duo.find_element("#donnees-remplacer").is_selected()
            and not dash_duo.find_element("#donnees-remplacer-confirmation").is_displayed()
        )
    )
    assert dash_duo.find_element("#donnees-remplacer-confirmation").get_attribute("value") == ""
    with make_engine(base_neuve.resolved_database_url).connect() as connection:
        assert connection.scalar(select(func.max(ImportLot.remplace_lot_id))) == 1
    verifier_page_saine(dash_duo)
