"""ProConnect in the real browser: the button on /connexion, reached and followed with the keyboard, the
local OpenID provider's page (tests/oidc), and back on the dashboard scoped to the coordinator's région —
without a console error nor a request to another host on our pages; then signing out at the provider."""

from dataclasses import replace

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import create_app
from dashboard.store import comptes
from dashboard.store.db import make_engine
from tests.browser.outils import verifier_page_saine
from tests.conftest import copie_avec_comptes
from tests.oidc.lanceur import fournisseur_oidc  # noqa: F401 — the session's provider (fixture)

pytestmark = pytest.mark.browser
MARIE = "marie.dupont@bretagne.gouv.fr"


@pytest.fixture(scope="module")
def base_proconnect(base_demo, tmp_path_factory):
    """Accounts only (no local demo account): an administrator, and Marie Dupont granted by e-mail as the
    coordinator of Bretagne (53), who signs in through ProConnect."""
    settings = copie_avec_comptes(
        base_demo,
        tmp_path_factory.mktemp("navigateur-proconnect"),
        {"admin": ("admin@exemple.fr", None)},
        "x" * 16,
    )
    engine = make_engine(settings.resolved_database_url)
    comptes.ajouter_compte(engine, MARIE, "Marie Dupont", "coordinateur", "", "53", "test")
    engine.dispose()
    return settings


@pytest.fixture
def serveur(dash_duo, base_proconnect, fournisseur_oidc):  # noqa: F811
    # The provider knows this port's redirect URI: links are built from where the server listens.
    port = fournisseur_oidc.port_navigateur
    settings = fournisseur_oidc.settings(replace(base_proconnect, host="localhost", port=port))
    dash_duo.start_server(create_app(settings), navigate=False, port=port)
    dash_duo._url = dash_duo.server.url  # "/" is the sign-in page first: do not wait for the dashboard
    return dash_duo, fournisseur_oidc.issuer


def test_pco101_bouton_proconnect_au_clavier_puis_tableau_de_bord_de_sa_region(serveur):
    d, issuer = serveur
    d.driver.get(f"{d.server_url}/donnees")
    WebDriverWait(d.driver, 20).until(lambda drv: drv.find_elements(By.ID, "connexion-proconnect"))
    assert "/connexion?suivant=%2Fdonnees" in d.driver.current_url
    bouton = d.driver.find_element(By.ID, "connexion-proconnect")
    assert bouton.text.split() == ["S’identifier", "avec", "ProConnect"]
    aide = d.driver.find_element(By.LINK_TEXT, "Qu’est-ce que ProConnect ?")
    assert aide.get_attribute("href") == "https://www.proconnect.gouv.fr/"
    assert aide.get_attribute("target") == "_blank"
    verifier_page_saine(d)  # the button drawn offline, under the strict CSP, without an axe violation
    # The keyboard: back from the identifier field (autofocus), over the help link, to the button.
    champ = d.driver.find_element(By.ID, "identifiant")
    champ.click()
    champ.send_keys(Keys.SHIFT, Keys.TAB)
    d.driver.switch_to.active_element.send_keys(Keys.SHIFT, Keys.TAB)
    assert d.driver.switch_to.active_element.get_attribute("id") == "connexion-proconnect"
    d.driver.switch_to.active_element.send_keys(Keys.ENTER)
    # The provider's own page.
    WebDriverWait(d.driver, 20).until(lambda drv: drv.current_url.startswith(issuer))
    WebDriverWait(d.driver, 20).until(lambda drv: drv.find_elements(By.NAME, "login"))
    d.driver.find_element(By.NAME, "login").send_keys("marie-dupont")
    mot = d.driver.find_element(By.NAME, "password")
    mot.send_keys("peu-importe")
    mot.submit()
    # Back on the page asked for, as the coordinator of Bretagne.
    WebDriverWait(d.driver, 30).until(lambda drv: drv.current_url == f"{d.server_url}/donnees")
    d.wait_for_element("#donnees-perimetre", timeout=30)
    assert "Bretagne" in d.find_element("#donnees-perimetre").text
    compte = d.find_element("#compte").text
    assert "Marie Dupont" in compte and "Coordinateur régional" in compte and "Bretagne" in compte
    assert d.driver.find_elements(By.ID, "donnees-upload")  # a coordinator imports for their région
    assert not d.driver.find_elements(By.ID, "donnees-demo-charger")
    # The provider's pages are not ours: what they logged is theirs.
    assert [e for e in d.get_logs() if not e["message"].startswith(issuer)] == []
    verifier_page_saine(d)
    # Signing out goes on to the provider, then back to /connexion?fin=1.
    d.find_element("#compte button").click()
    WebDriverWait(d.driver, 20).until(lambda drv: drv.current_url.startswith(issuer))
    confirmer = WebDriverWait(d.driver, 20).until(
        lambda drv: drv.find_elements(By.CSS_SELECTOR, "button[name=logout], button[value=yes]")
    )
    confirmer[0].click()
    WebDriverWait(d.driver, 20).until(lambda drv: drv.current_url.startswith(f"{d.server_url}/connexion"))
    assert "de ProConnect" in d.driver.find_element(By.TAG_NAME, "main").text
    d.driver.get(f"{d.server_url}/donnees")
    WebDriverWait(d.driver, 20).until(lambda drv: "/connexion?suivant=" in drv.current_url)
