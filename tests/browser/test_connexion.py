"""Accounts in the real browser (no local demo account): sign in, what each role sees, the strict CSP
without a console error, signing out, and a shared read-only briefing link opened without an account."""

from dataclasses import replace

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import create_app
from tests.browser.outils import verifier_page_saine
from tests.conftest import copie_avec_comptes, port_libre

pytestmark = pytest.mark.browser
MDP = "mot-de-passe-navigateur"
COMPTES = {
    "admin": ("admin@exemple.fr", None),
    "coordinateur": ("coord@exemple.fr", "53"),
    "lecteur": ("lecteur@exemple.fr", None),
}


@pytest.fixture(scope="module")
def base_comptes(base_demo, tmp_path_factory):
    return copie_avec_comptes(base_demo, tmp_path_factory.mktemp("navigateur-comptes"), COMPTES, MDP)


@pytest.fixture
def serveur(dash_duo, base_comptes):
    # Links are built from where the server listens (no PASSNUM_URL here: dash_duo's localhost:port),
    # never from the Host header.
    port = port_libre()
    dash_duo.start_server(
        create_app(replace(base_comptes, host="localhost", port=port)), navigate=False, port=port
    )
    # Not `server_url = …`, which waits for the dashboard at "/": here "/" is the sign-in page first.
    dash_duo._url = dash_duo.server.url
    return dash_duo


def _se_connecter(d, identifiant: str, mot_de_passe: str = MDP, page: str = "/") -> None:
    d.driver.get(f"{d.server_url}{page}")
    WebDriverWait(d.driver, 20).until(lambda drv: drv.find_elements(By.ID, "identifiant"))
    assert "/connexion?suivant=" in d.driver.current_url
    d.driver.find_element(By.ID, "identifiant").send_keys(identifiant)
    champ = d.driver.find_element(By.ID, "mot_de_passe")
    champ.send_keys(mot_de_passe)
    champ.submit()


def test_cnx001_connexion_puis_carte_sans_erreur_de_console(serveur):
    d = serveur
    _se_connecter(d, COMPTES["lecteur"][0], "mauvais-mot-de-passe")
    WebDriverWait(d.driver, 20).until(lambda drv: drv.find_elements(By.ID, "connexion-erreur"))
    assert "Identifiant ou mot de passe incorrect" in d.find_element("#connexion-erreur").text
    refus = d.get_logs()  # the refused attempt is answered 401, which the console reports: only that
    assert [e["message"].endswith("status of 401 (UNAUTHORIZED)") for e in refus] == [True]
    _se_connecter(d, COMPTES["lecteur"][0], page="/?vague=2019")
    WebDriverWait(d.driver, 30).until(lambda drv: "vague 2019" in d.find_element("#resume").text)
    assert d.driver.current_url.endswith("/?vague=2019")  # back where the visitor was going
    assert "Lecteur" in d.find_element("#compte").text
    verifier_page_saine(d)  # strict CSP: any blocked script or style would be a console error


def test_cnx002_lecteur_sans_depot_coordinateur_borne_a_sa_region(serveur):
    d = serveur
    _se_connecter(d, COMPTES["lecteur"][0], page="/donnees")
    d.wait_for_element("#donnees-lecture-seule", timeout=30)
    assert not d.driver.find_elements(By.ID, "donnees-upload")
    assert not d.driver.find_elements(By.ID, "donnees-demo-charger")
    assert not d.driver.find_elements(By.ID, "donnees-audit")
    d.find_element("#compte button").click()  # sign out
    WebDriverWait(d.driver, 20).until(lambda drv: "/connexion" in drv.current_url)
    assert "déconnecté" in d.driver.find_element(By.TAG_NAME, "main").text
    _se_connecter(d, COMPTES["coordinateur"][0], page="/donnees")
    d.wait_for_element("#donnees-perimetre", timeout=30)
    assert "Bretagne" in d.find_element("#donnees-perimetre").text
    assert d.driver.find_elements(By.ID, "donnees-upload")
    assert not d.driver.find_elements(By.ID, "donnees-demo-charger")
    verifier_page_saine(d)


def test_cnx003_lien_de_presentation_sans_compte(serveur):
    d = serveur
    _se_connecter(d, COMPTES["admin"][0], page="/presentation?diapos=resume,departement:29")
    d.wait_for_element("#presentation-partager", timeout=30).click()
    d.wait_for_element("#presentation-partage-creer", timeout=10).click()
    WebDriverWait(d.driver, 20).until(lambda drv: drv.find_elements(By.ID, "presentation-partage-adresse"))
    adresse = d.find_element("#presentation-partage-adresse").get_attribute("value")
    assert "/presentation?" in adresse and "jeton=" in adresse
    d.driver.delete_all_cookies()
    d.driver.get(d.server_url + "/")
    WebDriverWait(d.driver, 20).until(lambda drv: "/connexion" in drv.current_url)  # no account: no map
    d.driver.get(adresse)
    WebDriverWait(d.driver, 30).until(
        lambda drv: drv.find_elements(By.CSS_SELECTOR, "#presentation #diapo-2")
    )
    assert "Lecture seule" in d.find_element("#compte").get_attribute("textContent")  # header hidden here
    assert not d.driver.find_elements(By.CSS_SELECTOR, "nav .nav-link")  # no way into the rest
    assert not d.driver.find_elements(By.ID, "presentation-partager")
    d.driver.get(d.server_url + "/donnees")
    assert "Accès refusé" in d.driver.find_element(By.TAG_NAME, "h1").text
