"""The national view on a phone and a laptop, and the active-filter tags: figures before filters on a phone
(the filters in a drawer that opens, works, keeps the focus and closes on Esc), the map in the first
screen at 1366×768, the tags above the map that remove their filter."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from dashboard import create_app
from tests.browser.outils import verifier_page_saine

pytestmark = pytest.mark.browser

ETIQUETTES = (
    "return [...document.querySelectorAll('#filtres-actifs .etiquette-filtre')].map(e => e.innerText)"
)
HAUT = "return arguments[0].getBoundingClientRect().top + window.scrollY"
VISIBLE = (
    "const r = arguments[0].getBoundingClientRect(); const s = getComputedStyle(arguments[0]);"
    "return r.width > 0 && r.right > 0 && r.left < window.innerWidth && s.visibility === 'visible';"
)


@pytest.fixture
def page(dash_duo, base_demo):
    dash_duo.start_server(create_app(base_demo))

    def ouvrir(query: str = "", largeur: int = 1920, hauteur: int = 1080):
        dash_duo.driver.set_window_size(largeur, hauteur)
        dash_duo.wait_for_page(url=f"{dash_duo.server_url}/{query}")
        WebDriverWait(dash_duo.driver, 20).until(lambda d: "Au " in dash_duo.find_element("#resume").text)
        WebDriverWait(dash_duo.driver, 20).until(
            lambda d: d.execute_script("return !!document.querySelector('#carte .main-svg')")
        )
        return dash_duo

    return ouvrir


def _visible(d, selecteur: str) -> bool:
    return d.driver.execute_script(VISIBLE, d.find_element(selecteur))


def _fenetre(d) -> tuple[int, int]:
    return tuple(d.driver.execute_script("return [window.innerWidth, window.innerHeight]"))


def test_dsf001_telephone_la_carte_avant_les_filtres(page):
    d = page(largeur=390, hauteur=844)
    largeur, hauteur = _fenetre(d)
    assert largeur <= 400
    carte = d.find_element("#carte")
    haut_carte = d.driver.execute_script(HAUT, carte)
    assert haut_carte < hauteur, f"la carte commence à {haut_carte} px"  # before: ~2 000 px of filters first
    # No filter control is laid out on the page: they wait in the closed drawer.
    for controle in ("#filtre-indicateur", "#filtre-region", "#filtre-taux-min", "#filtre-reinitialiser"):
        assert not _visible(d, controle), controle
    assert _visible(d, "#filtres-ouvrir")
    # Nothing wider than the phone.
    assert d.driver.execute_script("return document.documentElement.scrollWidth") <= largeur
    verifier_page_saine(d)


def test_dsf002_le_tiroir_des_filtres_s_ouvre_marche_et_se_ferme_sur_echap(page):
    d = page(largeur=390, hauteur=844)
    bouton = d.find_element("#filtres-ouvrir")
    assert bouton.get_attribute("aria-expanded") == "false"
    bouton.click()
    WebDriverWait(d.driver, 5).until(lambda drv: _visible(d, "#filtre-region"))
    assert bouton.get_attribute("aria-expanded") == "true"
    assert d.find_element("#filtres-tiroir").get_attribute("aria-modal") == "true"
    dans_tiroir = "return document.getElementById('filtres-tiroir').contains(document.activeElement)"
    assert d.driver.execute_script(dans_tiroir)
    # The focus stays inside: Shift+Tab from the first control goes to the last one, not to the page.
    ActionChains(d.driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    assert d.driver.execute_script(dans_tiroir)
    assert d.driver.execute_script("return document.activeElement.id") == "filtre-reinitialiser"
    # A control in the drawer filters the view.
    avant = d.find_element("#kpi-laureats .kpi-valeur").text
    Select(d.find_element("#filtre-region")).select_by_visible_text("Bretagne")
    WebDriverWait(d.driver, 20).until(lambda drv: "de Bretagne" in d.find_element("#resume").text)
    WebDriverWait(d.driver, 20).until(lambda drv: d.find_element("#kpi-laureats .kpi-valeur").text != avant)
    assert int(d.find_element("#kpi-laureats .kpi-valeur").text) < int(avant)
    WebDriverWait(d.driver, 20).until(lambda drv: "(1 actif)" in d.find_element("#filtres-ouvrir").text)
    # Esc closes it and gives the focus back to its button.
    ActionChains(d.driver).send_keys(Keys.ESCAPE).perform()
    WebDriverWait(d.driver, 5).until(lambda drv: not _visible(d, "#filtre-region"))
    assert d.driver.execute_script("return document.activeElement.id") == "filtres-ouvrir"
    assert bouton.get_attribute("aria-expanded") == "false"
    assert d.driver.execute_script("return document.querySelectorAll('.offcanvas-backdrop').length") == 0
    # The table redrawn for the filter: its count says the laureates of the KPI, its rows are drawn.
    laureats = d.find_element("#kpi-laureats .kpi-valeur").text
    WebDriverWait(d.driver, 20).until(lambda drv: d.find_element("#tableau-compte").text.startswith(laureats))
    WebDriverWait(d.driver, 20).until(
        lambda drv: drv.execute_script("return document.querySelectorAll('#tableau .ag-row').length") > 0
    )
    time.sleep(1)  # ag-grid lays its rows out in the next animation frames
    verifier_page_saine(d)


def test_dsf003_portable_la_carte_commence_dans_le_premier_ecran(page):
    d = page(largeur=1366, hauteur=768)
    _, hauteur = _fenetre(d)
    haut_carte = d.driver.execute_script(HAUT, d.find_element("#carte"))
    assert haut_carte < hauteur * 0.6, f"la carte commence à {haut_carte} px sur {hauteur}"
    # Wide screen: the panel is the sidebar, always shown; the drawer's button is not.
    assert _visible(d, "#filtre-region")
    assert not d.find_element("#filtres-ouvrir").is_displayed()
    assert d.driver.execute_script("return document.documentElement.scrollWidth") <= 1366


def test_dsf004_l_etiquette_d_un_filtre_le_retire(page):
    d = page("?region=53&taux=0.2-0.8")
    etiquettes = lambda: d.driver.execute_script(ETIQUETTES)  # noqa: E731  (read at once: no stale handle)
    WebDriverWait(d.driver, 10).until(lambda drv: len(etiquettes()) == 2)
    assert etiquettes()[0].startswith("Région : Bretagne")
    assert etiquettes()[1].startswith("Taux d'utilisation : de 20,0 % à 80,0 %")
    laureats = d.find_element("#kpi-laureats .kpi-valeur").text
    d.driver.execute_script("document.querySelector('#filtres-actifs .etiquette-filtre').click()")
    WebDriverWait(d.driver, 20).until(lambda drv: len(etiquettes()) == 1)
    assert etiquettes()[0].startswith("Taux d'utilisation")
    assert d.find_element("#filtre-region").get_attribute("value") == "toutes"
    WebDriverWait(d.driver, 20).until(
        lambda drv: "region=" not in drv.execute_script("return window.location.search")
    )
    assert "taux=0.2-0.8" in d.driver.execute_script("return window.location.search")
    WebDriverWait(d.driver, 20).until(
        lambda drv: d.find_element("#kpi-laureats .kpi-valeur").text != laureats
    )
    assert int(d.find_element("#kpi-laureats .kpi-valeur").text) > int(laureats)
    # By keyboard: Enter on the remaining tag removes the last filter.
    d.driver.execute_script("document.querySelector('#filtres-actifs .etiquette-filtre').focus()")
    ActionChains(d.driver).send_keys(Keys.ENTER).perform()  # a key, not a click
    WebDriverWait(d.driver, 20).until(lambda drv: etiquettes() == [])
    assert d.find_element("#filtre-taux-min").get_attribute("value") == ""
    verifier_page_saine(d)


def test_dsf005_la_police_de_l_application_est_chargee_et_utilisee(page):
    d = page()
    WebDriverWait(d.driver, 10).until(
        lambda drv: drv.execute_script("return document.fonts.check('16px \"Source Sans 3\"')")
    )
    charges = d.driver.execute_script(
        "return [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert any("Source Sans 3" in f for f in charges)
    assert "Source Sans 3" in d.driver.execute_script("return getComputedStyle(document.body).fontFamily")
    police_carte = d.driver.execute_script(
        "return document.querySelector('#carte .js-plotly-plot')._fullLayout.font.family"
    )
    assert police_carte.startswith("'Source Sans 3'")
