"""The page's JavaScript in the browser (dashboard/web/scripts.py): the reduced plotly.js registers every
trace type the dashboard writes, Dash's full plotly.js is never fetched, and AG Grid comes after the map
and still shows its rows (assets/grille-differee.js)."""

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import create_app
from tests.browser.outils import verifier_page_saine
from tests.unit.web.test_scripts import traces_ecrites

pytestmark = pytest.mark.browser

ETAT = """
const noms = performance.getEntriesByType('resource').map(r => r.name);
const grille = noms.findIndex(n => n.includes('/dash_ag_grid/dash_ag_grid.'));
return {
  carte: document.querySelectorAll('#carte path.choroplethlocation').length,
  lignes: document.querySelectorAll('#tableau .ag-center-cols-container [role=row]').length,
  traces: window.Plotly ? Object.keys(Plotly.PlotSchema.get().traces) : [],
  plotly_complet: noms.filter(n => n.includes('package_data/plotly.min.js')).length,
  plotly_reduit: noms.filter(n => n.includes('/statique/plotly-')).length,
  grille_dans_la_page: [...document.scripts].some(s => s.src.includes('/dash_ag_grid/dash_ag_grid.')
    && !s.src.endsWith('?')) && !window.dash_ag_grid.reel,
  grille_chargee: grille >= 0 && Boolean(window.dash_ag_grid.reel),
};
"""


def test_jsp101_plotly_reduit_et_grille_apres_la_carte(dash_duo, base_demo):
    dash_duo.start_server(create_app(base_demo))
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/?vue=territoires&niveau=epci")
    etat = {}

    def pret(_driver) -> bool:
        etat.update(dash_duo.driver.execute_script(ETAT))
        return etat["carte"] > 0 and etat["lignes"] > 0

    WebDriverWait(dash_duo.driver, 30).until(pret)
    assert traces_ecrites() <= set(etat["traces"])
    assert etat["plotly_complet"] == 0 and etat["plotly_reduit"] == 1
    assert etat["grille_chargee"] and not etat["grille_dans_la_page"]
    verifier_page_saine(dash_duo)
