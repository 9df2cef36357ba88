"""The charts' toolbar in the browser: French, no cloud, and its image button downloads the server's
stamped PNG (dashboard.components.graphique, assets/graphique-export.js)."""

import os
import re
import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import create_app
from tests.browser.outils import attendre_grilles, verifier_page_saine

pytestmark = pytest.mark.browser
INTERDITS = ("chart studio", "cloud", "share", "partager", "download plot", "zoom in", "plotly")
SCRIPT_TITRES = """
const titres = {};
document.querySelectorAll('.js-plotly-plot').forEach(g => {
  const id = g.closest('.dash-graph').id;
  titres[id] = [...g.querySelectorAll('.modebar-btn')].map(b => b.getAttribute('data-title'));
});
return titres;
"""


@pytest.fixture
def site(dash_duo, base_demo):
    dash_duo.start_server(create_app(base_demo))
    return dash_duo


def _ouvrir(d, chemin: str, graphiques: int):
    d.wait_for_page(url=f"{d.server_url}{chemin}")
    WebDriverWait(d.driver, 30).until(
        lambda drv: (
            len(drv.find_elements("css selector", ".js-plotly-plot .modebar-btn")) > 0
            and len(drv.find_elements("css selector", ".js-plotly-plot")) == graphiques
        )
    )
    attendre_grilles(d.driver)  # the page no longer moves under the pointer
    return d


def _png_telecharge(d, motif: str, delai: float = 60) -> bytes:
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        for nom in os.listdir(d.download_path):
            if re.fullmatch(motif, nom):
                with open(os.path.join(d.download_path, nom), "rb") as flux:
                    return flux.read()
        time.sleep(0.2)
    raise AssertionError(f"aucun fichier {motif} dans {os.listdir(d.download_path)}")


def _cliquer_export(d, id_graphique: str) -> None:
    graphique = d.driver.find_element("css selector", f"#{id_graphique} .js-plotly-plot")
    d.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", graphique)
    ActionChains(d.driver).move_to_element(graphique).perform()  # the toolbar shows on hover
    bouton = d.driver.find_element(
        "css selector", f'#{id_graphique} .modebar-btn[data-title="Télécharger l\'image (PNG)"]'
    )
    WebDriverWait(d.driver, 10).until(lambda _: bouton.is_displayed())
    bouton.click()


def test_gra019_barre_d_outils_en_francais_sans_nuage_page_nationale(site):
    d = _ouvrir(site, "/", graphiques=3)
    titres = d.driver.execute_script(SCRIPT_TITRES)
    assert set(titres) == {"carte", "entonnoir", "chronologie"}
    for id_graphique, boutons in titres.items():
        assert boutons.count("Télécharger l'image (PNG)") == 1, (id_graphique, boutons)
        assert "Zoom avant" in boutons and "Zoom arrière" in boutons, (id_graphique, boutons)
        for titre in boutons:
            assert not any(mot in titre.lower() for mot in INTERDITS), (id_graphique, titre)
    verifier_page_saine(d)


def test_gra020_l_image_de_la_barre_d_outils_est_le_png_estampille_du_serveur(site):
    d = _ouvrir(site, "/", graphiques=3)
    _cliquer_export(d, "entonnoir")
    contenu = _png_telecharge(d, r"pass-numerique-porteurs-entonnoir-\d{8}-\d{4}\.png")
    assert contenu.startswith(b"\x89PNG\r\n\x1a\n") and len(contenu) > 10_000
    # a territory page: the toolbar presses the page's own PNG button of the chart
    d = _ouvrir(site, "/territoire/departement/29", graphiques=5)
    titres = d.driver.execute_script(SCRIPT_TITRES)
    assert all(b.count("Télécharger l'image (PNG)") == 1 for b in titres.values()), titres
    _cliquer_export(d, "fiche-cohortes")
    contenu = _png_telecharge(d, r"pass-numerique-finistere-cohortes-\d{8}-\d{4}\.png")
    assert contenu.startswith(b"\x89PNG\r\n\x1a\n") and len(contenu) > 10_000
    verifier_page_saine(d)
