"""The map repainted in place after a filter change (assets/recoloration-carte.js): each shape gets the
colour of the class the server computes for the new filters, the hover shows the new value, and a new
structure (another level) is still drawn by plotly. No timing here (bench/ measures)."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import create_app
from dashboard.domain.etat import lire_etat
from dashboard.vues import nationale
from tests.browser.outils import agir_sur_un_chemin, script_territoire, verifier_page_saine

pytestmark = pytest.mark.browser

SCRIPT_REMPLISSAGES = """
const r = {};
document.querySelectorAll('#carte path.choroplethlocation').forEach(p => {
  if (p.closest('g.trace').__data__[0].trace.name === 'valeurs') {
    r[p.__data__.loc] = getComputedStyle(p).fill;
  }
});
return r;
"""
# The drawn figure's computed points: plotly makes new ones on a full redraw, the recolouring keeps them.
SCRIPT_MARQUER = "document.querySelector('#carte .js-plotly-plot').calcdata.__rpt = true"
SCRIPT_MARQUE = "return document.querySelector('#carte .js-plotly-plot').calcdata.__rpt === true"
SCRIPT_ZOOM = """
const fini = arguments[arguments.length - 1];
const gd = document.querySelector('#carte .js-plotly-plot');
gd.querySelectorAll('path.choroplethlocation').forEach(p => p.removeAttribute('fill'));
window.Plotly.relayout(gd, {'geo.projection.scale': 1.1}).then(() => fini(true));
"""
# The largest drawn shapes first: the easiest to hover.
SCRIPT_PAR_TAILLE = """
const aire = p => { const b = p.getBoundingClientRect(); return b.width * b.height; };
return [...document.querySelectorAll('#carte path.choroplethlocation')]
  .filter(p => p.closest('g.trace').__data__[0].trace.name === 'valeurs')
  .sort((a, b) => aire(b) - aire(a)).map(p => p.__data__.loc);
"""


def _rgb(couleur: str) -> str:
    h = couleur.lstrip("#")
    return f"rgb({int(h[0:2], 16)}, {int(h[2:4], 16)}, {int(h[4:6], 16)})"


def _attendu(contexte, search: str) -> tuple[dict[str, str], dict[str, str]]:
    """code → fill and code → hover value of the map the server computes for the address's state: the
    class z of each territory, coloured by its step of the figure's scale."""
    vue = nationale.calculer(contexte, lire_etat(dict(parse_qsl(search.lstrip("?")))))
    trace = next(t for t in vue.figure["data"] if t["name"] == "valeurs")
    echelle = trace["colorscale"]
    remplissages = {c: _rgb(echelle[2 * z][1]) for c, z in zip(trace["locations"], trace["z"], strict=True)}
    return remplissages, dict(zip(trace["locations"], trace["customdata"], strict=True))


def _attendre_adresse(d, condition) -> None:
    WebDriverWait(d.driver, 20).until(lambda drv: condition(drv.execute_script("return location.search")))


def _attendre_carte(d, contexte, marque: bool | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Waits until the drawn fills are the server's for the address shown; returns the expected maps."""
    attendus = {}

    def conforme(drv):
        attendus["r"] = _attendu(contexte, drv.execute_script("return location.search"))
        return drv.execute_script(SCRIPT_REMPLISSAGES) == attendus["r"][0]

    WebDriverWait(d.driver, 30, poll_frequency=0.5).until(conforme)
    if marque is not None:
        assert d.driver.execute_script(SCRIPT_MARQUE) is marque
    return attendus["r"]


def _ouvrir(dash_duo, base_demo, niveau: str):
    """The dashboard served, the territories' utilisation rate at `niveau` opened: (dash_duo, context)."""
    app = create_app(base_demo)
    dash_duo.start_server(app)
    dash_duo.wait_for_page(
        url=f"{dash_duo.server_url}/?vue=territoires&niveau={niveau}&indicateur=taux_utilisation"
    )
    return dash_duo, app.server.config["PASSNUM_CONTEXTE"]


def test_rpt001_une_repeinte_donne_les_couleurs_et_survols_du_serveur(dash_duo, base_demo):
    d, contexte = _ouvrir(dash_duo, base_demo, "departement")
    avant, survols_avant = _attendre_carte(d, contexte)
    assert len(avant) == 101
    d.driver.execute_script(SCRIPT_MARQUER)

    d.find_element("#_dbcprivate_checklist_filtre-vague_input_2020").click()
    _attendre_adresse(d, lambda adresse: "vague=2020" in adresse)
    apres, survols = _attendre_carte(d, contexte, marque=True)  # recoloured in place, not redrawn
    changes = {c for c in apres if apres[c] != avant[c]}
    assert changes, "le filtre devait changer des classes"
    assert {c for c in survols if survols[c] != survols_avant[c]}

    # The hover of a shape whose value changed shows the new one, with its name from the geometry.
    code = next(c for c in d.driver.execute_script(SCRIPT_PAR_TAILLE) if survols[c] != survols_avant[c])
    ActionChains(d.driver).move_to_element(d.find_element("#resume")).perform()
    texte = agir_sur_un_chemin(d.driver, script_territoire(code))
    WebDriverWait(d.driver, 10).until(lambda drv: f": {survols[code]}" in (texte or ""))
    assert f": {survols_avant[code]}" not in texte

    # A redraw by plotly itself (a zoom) gives the same fills: the drawn figure holds the new values.
    d.driver.execute_async_script(SCRIPT_ZOOM)
    assert d.driver.execute_script(SCRIPT_REMPLISSAGES) == apres

    # Another level: a new structure, drawn by plotly, with the server's classes too.
    d.find_element("#_dbcprivate_radioitems_filtre-niveau_input_region").click()
    _attendre_adresse(d, lambda adresse: "niveau=region" in adresse)
    regions, _ = _attendre_carte(d, contexte, marque=False)
    assert len(regions) == 18
    d.driver.execute_script(SCRIPT_MARQUER)
    d.find_element("#_dbcprivate_checklist_filtre-vague_input_2020").click()  # back to every wave
    _attendre_adresse(d, lambda adresse: "vague=" not in adresse)
    _attendre_carte(d, contexte, marque=True)
    verifier_page_saine(d)


# Records, at the first change of a fill of the map, what the KPI box showed then.
SCRIPT_GUETTER_ORDRE = """
window.__rpt = {kpis: null};
const carte = document.querySelector('#carte .js-plotly-plot');
const obs = new MutationObserver(() => {
  if (window.__rpt.kpis === null) {
    window.__rpt.kpis = document.querySelector('#kpis').textContent;
    obs.disconnect();
  }
});
obs.observe(carte, {attributes: true, attributeFilter: ['fill'], subtree: true});
"""


def test_rpt002_la_carte_repeinte_des_l_arrivee_de_la_reponse_et_la_derniere_l_emporte(dash_duo, base_demo):
    """The map's values are applied as soon as the callback's response is read, before the renderer
    updates the other outputs (the KPIs still show the old figures when the fills change); of two quick
    changes, the map ends with the server's classes for the last one."""
    d, contexte = _ouvrir(dash_duo, base_demo, "epci")
    avant, _ = _attendre_carte(d, contexte)
    kpis_avant = d.driver.execute_script("return document.querySelector('#kpis').textContent")
    d.driver.execute_script(SCRIPT_MARQUER)
    d.driver.execute_script(SCRIPT_GUETTER_ORDRE)

    d.find_element("#_dbcprivate_checklist_filtre-vague_input_2020").click()
    _attendre_adresse(d, lambda adresse: "vague=2020" in adresse)
    apres, _ = _attendre_carte(d, contexte, marque=True)
    assert apres != avant
    WebDriverWait(d.driver, 10).until(
        lambda drv: drv.execute_script("return document.querySelector('#kpis').textContent") != kpis_avant
    )
    # When the fills changed, the KPIs were still the old ones: the map did not wait for them.
    assert d.driver.execute_script("return window.__rpt.kpis") == kpis_avant

    # Two changes in a row: the older response, overtaken, is not applied over the newer one.
    d.find_element("#_dbcprivate_checklist_filtre-vague_input_2019").click()
    d.find_element("#_dbcprivate_checklist_filtre-vague_input_2020").click()
    _attendre_adresse(d, lambda adresse: "vague=2019" in adresse and "2020" not in adresse)
    _attendre_carte(d, contexte, marque=True)
    verifier_page_saine(d)


# The timeline chart: its drawn values (what plotly has drawn), its text alternative, its place.
SCRIPT_CHRONOLOGIE = """
const gd = document.querySelector('#chronologie .js-plotly-plot');
const p = document.getElementById(gd.getAttribute('aria-describedby'));
const b = gd.getBoundingClientRect();
return {dessin: JSON.stringify(gd.data.map(t => t.y)), texte: p.textContent,
        visible: b.top < window.innerHeight && b.bottom > 0};
"""

SCRIPT_VERS_CHRONOLOGIE = "document.getElementById('chronologie').scrollIntoView({behavior: 'instant'})"


def test_rpt003_un_graphique_hors_de_vue_est_dessine_quand_il_y_entre(dash_duo, base_demo):
    """A chart below the fold is not drawn, nor redrawn after a filter change (its drawing would hold back
    the next click): its text alternative says the new values at once, and it is drawn when scrolled into
    view."""
    d, contexte = _ouvrir(dash_duo, base_demo, "departement")
    _attendre_carte(d, contexte)
    # Below the fold, the timeline is first drawn when it comes into view.
    assert d.driver.execute_script(SCRIPT_CHRONOLOGIE)["dessin"] == "[]"
    d.driver.execute_script(SCRIPT_VERS_CHRONOLOGIE)
    WebDriverWait(d.driver, 20).until(lambda drv: drv.execute_script(SCRIPT_CHRONOLOGIE)["dessin"] != "[]")
    d.driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'})")  # not smooth (Bootstrap)
    avant = d.driver.execute_script(SCRIPT_CHRONOLOGIE)
    assert avant["visible"] is False

    d.find_element("#_dbcprivate_checklist_filtre-vague_input_2019").click()
    _attendre_adresse(d, lambda adresse: "vague=2019" in adresse)
    _attendre_carte(d, contexte)
    WebDriverWait(d.driver, 20).until(
        lambda drv: drv.execute_script(SCRIPT_CHRONOLOGIE)["texte"] != avant["texte"]
    )
    attente = d.driver.execute_script(SCRIPT_CHRONOLOGIE)
    assert attente["dessin"] == avant["dessin"]  # not drawn while out of view

    d.driver.execute_script(SCRIPT_VERS_CHRONOLOGIE)
    WebDriverWait(d.driver, 20).until(
        lambda drv: drv.execute_script(SCRIPT_CHRONOLOGIE)["dessin"] != avant["dessin"]
    )
    dessine = d.driver.execute_script(SCRIPT_CHRONOLOGIE)
    assert dessine["visible"] is True
    assert dessine["texte"] == attente["texte"]  # the drawing says what its text said
    verifier_page_saine(d)


SCRIPT_MARQUER_BLOCS = """
document.querySelector('#kpi-laureats .kpi-valeur').__rpt = true;
document.querySelector('#carte-legende .legende-libelle').__rpt = true;
const details = document.querySelector('#national-enveloppe details');
details.open = true;
return document.querySelector('#kpi-laureats .kpi-valeur').textContent;
"""
SCRIPT_BLOCS = """
return {
  laureats: document.querySelector('#kpi-laureats .kpi-valeur').textContent,
  kpi_garde: document.querySelector('#kpi-laureats .kpi-valeur').__rpt === true,
  legende_gardee: document.querySelector('#carte-legende .legende-libelle').__rpt === true,
  details_ouvert: document.querySelector('#national-enveloppe details').open,
  enveloppe: document.querySelector('#national-enveloppe').textContent,
};
"""


def test_rpt004_kpi_legende_et_enveloppe_mis_a_jour_sans_etre_remontes(dash_duo, base_demo):
    """After a filter change the KPIs, the legend and the « Enveloppe » card show the server's figures for
    the new filters, in the same elements (updated, not mounted again: a « details » the reader opened
    stays open)."""
    d, contexte = _ouvrir(dash_duo, base_demo, "departement")
    _attendre_carte(d, contexte)
    WebDriverWait(d.driver, 20).until(
        lambda drv: drv.execute_script("return !!document.querySelector('#national-enveloppe details')")
    )
    avant = d.driver.execute_script(SCRIPT_MARQUER_BLOCS)
    enveloppe_avant = d.driver.execute_script(SCRIPT_BLOCS)["enveloppe"]

    d.find_element("#_dbcprivate_checklist_filtre-vague_input_2019").click()
    _attendre_adresse(d, lambda adresse: "vague=2019" in adresse)
    _attendre_carte(d, contexte)
    vue = nationale.calculer(
        contexte, lire_etat({"vue": "territoires", "niveau": "departement", "vague": "2019"})
    )
    laureats = next(c.valeur for c in vue.kpis.chiffres if c.id == "kpi-laureats")
    assert laureats != avant
    WebDriverWait(d.driver, 20).until(
        lambda drv: drv.execute_script(SCRIPT_BLOCS)["enveloppe"] != enveloppe_avant
    )
    blocs = d.driver.execute_script(SCRIPT_BLOCS)
    assert blocs["laureats"] == laureats
    assert "2019" in blocs["enveloppe"]
    assert blocs["kpi_garde"] and blocs["legende_gardee"] and blocs["details_ouvert"]
    verifier_page_saine(d)
