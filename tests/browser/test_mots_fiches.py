"""The words of the territory and laureate pages in the browser: the tab names the page, one breadcrumb,
the entity's own row among its peers, a syndicat's members linked to their pages."""

from dataclasses import replace

import pytest
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from dashboard import create_app
from dashboard.store.db import make_engine
from dashboard.store.schema import Porteur
from tests.browser.outils import verifier_page_saine
from tests.conftest import port_libre

pytestmark = pytest.mark.browser


@pytest.fixture
def site(dash_duo, base_demo):
    port = port_libre()
    dash_duo.start_server(create_app(replace(base_demo, host="localhost", port=port)), port=port)
    return dash_duo


def _titre(d, attendu: str) -> None:
    WebDriverWait(d.driver, 30).until(lambda drv: drv.title == attendu)


def test_mot020_titre_fil_unique_pairs_et_membres_dans_le_navigateur(site, base_demo):
    d = site
    d.wait_for_page(url=f"{d.server_url}/territoire/departement/29")
    WebDriverWait(d.driver, 30).until(lambda drv: drv.find_elements("css selector", "#fiche h1"))
    _titre(d, "Finistère (29) — Pass numérique")
    fils = d.driver.find_elements("css selector", 'nav[aria-label="Fil d\'Ariane"]')
    assert [f.text for f in fils] == ["Carte nationale › Bretagne › Finistère"]
    moi = d.find_element("#fiche-pairs-entite")
    assert moi.is_displayed() and "Finistère" in moi.text and "table-active" in moi.get_attribute("class")
    assert "epci —" not in d.find_element("#fiche").text.lower()

    engine = make_engine(base_demo.resolved_database_url)
    with engine.connect() as connexion:
        siren, nom = connexion.execute(
            select(Porteur.siren, Porteur.nom).where(Porteur.type == "SM").order_by(Porteur.siren)
        ).first()
    d.wait_for_page(url=f"{d.server_url}/porteur/{siren}")
    WebDriverWait(d.driver, 30).until(lambda drv: drv.find_elements("css selector", "#fiche-membres a"))
    _titre(d, f"{nom} (lauréat) — Pass numérique")
    assert not d.driver.find_elements("css selector", "#kpi-laureats")
    assert d.find_element("#kpi-population_couverte").text.startswith("Population couverte")
    lien = d.driver.find_elements("css selector", "#fiche-membres a")[0]
    membre, adresse = lien.text, lien.get_attribute("href")
    assert "/territoire/" in adresse
    verifier_page_saine(d)
    d.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", lien)
    lien.click()  # navigation inside the app: the tab's title follows
    WebDriverWait(d.driver, 30).until(lambda drv: drv.current_url == adresse)
    WebDriverWait(d.driver, 30).until(
        lambda drv: drv.find_element("css selector", "#fiche h1").text == membre
    )
    WebDriverWait(d.driver, 30).until(lambda drv: drv.title.startswith(f"{membre} ("))
