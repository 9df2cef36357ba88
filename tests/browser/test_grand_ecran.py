"""A 4K wall screen shown at 100 % (3 840 CSS pixels): the interface grows with it instead of shrinking
to a quarter of the screen."""

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import create_app

pytestmark = pytest.mark.browser

TAILLE_TEXTE = "return parseFloat(getComputedStyle(document.querySelector(arguments[0])).fontSize)"


def test_gec001_le_texte_grandit_sur_un_ecran_4k_et_pas_sur_un_portable(dash_duo, base_demo):
    dash_duo.start_server(create_app(base_demo))
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/methodologie")
    WebDriverWait(dash_duo.driver, 20).until(lambda d: d.find_elements("css selector", "h1"))
    tailles = {}
    for largeur, hauteur in ((1366, 768), (3840, 2160)):
        dash_duo.driver.set_window_size(largeur, hauteur)
        WebDriverWait(dash_duo.driver, 5).until(
            lambda d, voulue=largeur: d.execute_script("return window.innerWidth") == voulue
        )
        tailles[largeur] = dash_duo.driver.execute_script(TAILLE_TEXTE, "body")
    assert tailles[1366] <= 16
    assert tailles[3840] >= 2 * tailles[1366]
    dash_duo.driver.set_window_size(1920, 1080)
