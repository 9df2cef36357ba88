"""The page's JavaScript in the browser (dashboard/web/scripts.py): the reduced plotly.js registers every
trace type the dashboard writes, Dash's full plotly.js is never fetched, and AG Grid comes after the map
and still shows its rows (assets/grille-differee.js)."""

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import create_app
from tests.browser.outils import verifier_page_saine
from tests.unit.web.test_scripts import traces_ecrites

pytestmark = pytest.mark.browser

ETAT = """
const ressources = performance.getEntriesByType('resource');
const trouver = (motif) => ressources.filter(r => r.name.includes(motif));
const grille = trouver('/dash_ag_grid/dash_ag_grid.');
const geometrie = trouver('/geo/epci.');
return {
  carte: document.querySelectorAll('#carte path.choroplethlocation').length,
  lignes: document.querySelectorAll('#tableau .ag-center-cols-container [role=row]').length,
  traces: window.Plotly ? Object.keys(Plotly.PlotSchema.get().traces) : [],
  plotly_complet: trouver('package_data/plotly.min.js').length,
  plotly_reduit: trouver('/statique/plotly-').length,
  grille_chargee: grille.length === 1 && Boolean(window.dash_ag_grid.reel),
  // the grid's bundle is asked for after the map's shapes arrived (an order, not a duration)
  grille_apres_la_carte: grille.length === 1 && geometrie.length === 1
    && grille[0].startTime > geometrie[0].responseEnd,
};
"""


def test_jsp101_plotly_reduit_et_grille_apres_la_carte(dash_duo, base_demo):
    dash_duo.start_server(create_app(base_demo))
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/?vue=territoires&niveau=epci")
    etat = {}

    def pret(_driver) -> bool:
        etat.update(dash_duo.driver.execute_script(ETAT))
        return etat["carte"] > 0 and etat["lignes"] > 0

    try:
        WebDriverWait(dash_duo.driver, 60).until(pret)
    except TimeoutException as exc:
        raise AssertionError(f"carte ou tableau absent : {etat}") from exc
    assert traces_ecrites() <= set(etat["traces"])
    assert etat["plotly_complet"] == 0 and etat["plotly_reduit"] == 1
    assert etat["grille_chargee"] and etat["grille_apres_la_carte"]
    verifier_page_saine(dash_duo)
