"""The first paint of the national map without a callback's round trip: the layout brings the page
(dashboard/web/coque.py) with its first view (map, KPIs, legend); the routing still works afterwards. No
timing here (bench/ measures)."""

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import create_app
from tests.browser.outils import verifier_page_saine

pytestmark = pytest.mark.browser

# Before any script of the page: every callback request's body, and what the page showed when the first
# one left.
GUETTER = """
window.__chg = {corps: [], avant: null};
const original = window.fetch;
window.fetch = function (ressource, options) {
  const adresse = typeof ressource === 'string' ? ressource : (ressource && ressource.url) || '';
  if (adresse.includes('_dash-update-component')) {
    if (window.__chg.avant === null) {
      window.__chg.avant = {
        kpis: (document.querySelector('#kpis') || {}).textContent || '',
        legende: (document.querySelector('#carte-legende') || {}).textContent || '',
      };
    }
    window.__chg.corps.push(String((options && options.body) || ''));
  }
  return original.apply(this, arguments);
};
"""
LIRE = "return window.__chg"
FORMES = "return document.querySelectorAll('#carte path.choroplethlocation').length"


def test_pvu001_la_carte_et_les_kpi_arrivent_avec_la_page_sans_rappel_de_routage(dash_duo, base_demo):
    dash_duo.start_server(create_app(base_demo))
    dash_duo.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": GUETTER})
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/?vue=territoires&niveau=departement&vague=2019")
    WebDriverWait(dash_duo.driver, 30).until(lambda d: d.execute_script(FORMES) > 90)
    WebDriverWait(dash_duo.driver, 30).until(lambda d: len(d.execute_script(LIRE)["corps"]) >= 1)
    guet = dash_duo.driver.execute_script(LIRE)
    # The KPIs and the legend were on the page before its first callback left.
    assert "Lauréats" in guet["avant"]["kpis"] and "départements" in guet["avant"]["legende"]
    assert not [c for c in guet["corps"] if "_pages_content" in c]
    assert "Vague : 2019" in dash_duo.find_element("#filtres-actifs").text

    # The routing still follows a link to another page, and back.
    dash_duo.find_element("a.nav-link[href='/vigilance']").click()
    WebDriverWait(dash_duo.driver, 30).until(lambda d: d.execute_script(FORMES) == 0)
    dash_duo.wait_for_element("#vigilance-regle")
    dash_duo.driver.back()
    WebDriverWait(dash_duo.driver, 30).until(lambda d: d.execute_script(FORMES) > 90)
    assert [c for c in dash_duo.driver.execute_script(LIRE)["corps"] if "_pages_content" in c]
    verifier_page_saine(dash_duo)
