"""Each page in Debian's headless chromium: rendered, no console error, offline, axe-core clean."""

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import create_app
from tests.browser.outils import verifier_page_saine

pytestmark = pytest.mark.browser

SCRIPT_CHEMINS = """
const rect = el => el.getBoundingClientRect();
const chemins = [...document.querySelectorAll('#carte path.choroplethlocation')];
return chemins.map(p => ({code: p.__data__ && p.__data__.loc, x0: rect(p).left, x1: rect(p).right,
                          y0: rect(p).top, y1: rect(p).bottom, fill: getComputedStyle(p).fill}));
"""


def _chemins_carte(dash_duo, nombre: int):
    WebDriverWait(dash_duo.driver, 20).until(lambda d: len(d.execute_script(SCRIPT_CHEMINS)) >= nombre)
    return dash_duo.driver.execute_script(SCRIPT_CHEMINS)


TERRITOIRES = "/?vue=territoires&niveau=departement"


def test_nav001_carte_nationale_des_departements(dash_duo, base_demo):
    dash_duo.start_server(create_app(base_demo))
    dash_duo.wait_for_page(url=dash_duo.server_url + TERRITOIRES)
    dash_duo.wait_for_text_to_equal("h1", "Carte nationale", timeout=20)
    chemins = _chemins_carte(dash_duo, 101)
    assert len(chemins) == 101
    assert all(c["x1"] - c["x0"] > 0 and c["y1"] - c["y0"] > 0 for c in chemins), "territoire invisible"
    assert 3 <= len({c["fill"] for c in chemins}) <= 6  # the classes, and grey for "sans donnée"
    legende = dash_duo.find_element("#legende").text
    assert "départements" in legende and "sans donnée" in legende
    verifier_page_saine(dash_duo)


def test_nav002_encarts_outre_mer_a_l_ouest_de_la_metropole(dash_duo, base_demo):
    dash_duo.start_server(create_app(base_demo))
    dash_duo.wait_for_page(url=dash_duo.server_url + TERRITOIRES)
    par_code = {c["code"]: c for c in _chemins_carte(dash_duo, 101)}
    finistere = par_code["29"]
    for drom in ("971", "972", "973", "974", "976"):
        assert par_code[drom]["x1"] < finistere["x0"], f"l'encart {drom} n'est pas à l'ouest de la Bretagne"
    # The insets are visible at a readable size, not specks.
    assert all(par_code[d]["x1"] - par_code[d]["x0"] > 15 for d in ("971", "972", "973", "974", "976"))


def test_nav006_base_sans_donnees_du_programme(dash_duo, app_dash):
    """Reference geography only: the national view says so instead of failing."""
    dash_duo.start_server(app_dash)
    _attendre(dash_duo, "#resume", "Aucun lauréat ne correspond aux filtres.")
    assert "Lauréats\n0" in dash_duo.find_element("#kpis").text
    verifier_page_saine(dash_duo)


def _attendre(dash_duo, selecteur: str, texte: str) -> str:
    WebDriverWait(dash_duo.driver, 20).until(lambda d: texte in dash_duo.find_element(selecteur).text)
    return dash_duo.find_element(selecteur).text


def test_nav003_page_introuvable_en_francais(dash_duo, app_dash):
    dash_duo.start_server(app_dash)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/nulle-part")
    dash_duo.wait_for_text_to_equal("#page-introuvable h1", "Page introuvable", timeout=20)
    lien = dash_duo.find_element("#page-introuvable a")
    assert lien.get_attribute("href").endswith("/")
    verifier_page_saine(dash_duo, page_404=True)


def test_nav004_lien_d_evitement_au_clavier(dash_duo, app_dash):
    from selenium.webdriver.common.keys import Keys

    dash_duo.start_server(app_dash)
    dash_duo.wait_for_text_to_equal("h1", "Carte nationale", timeout=20)
    dash_duo.find_element("body").send_keys(Keys.TAB)
    actif = dash_duo.driver.switch_to.active_element
    assert actif.text == "Aller au contenu"
    assert actif.is_displayed()


@pytest.mark.parametrize(
    "chemin",
    [
        "/",
        "/donnees",
        "/nulle-part",
        "/comparer",
        "/territoire/region/53",
        "/porteur/242900314",
        "/methodologie",
    ],
)
def test_nav005_badge_demo_sur_chaque_page(dash_duo, base_demo, chemin):
    dash_duo.start_server(create_app(base_demo))
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}{chemin}")
    dash_duo.wait_for_text_to_equal("#donnees-demo", "Données de démonstration — fictives", timeout=20)
    assert dash_duo.find_element("#date-donnees").text.startswith("Données au ")
    if chemin == "/donnees":
        qualite = dash_duo.find_element("#donnees-qualite").text
        for attendu in ("Déploiement bloqué", "Tunnel incohérent", "Données anciennes"):
            assert attendu in qualite
    verifier_page_saine(dash_duo, page_404=chemin == "/nulle-part")
