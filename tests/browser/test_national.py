"""The national view in the browser: filters, permalinks, drill-down, keyboard, consistency."""

import re

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from dashboard import create_app
from tests.browser.outils import (
    agir_sur_un_chemin,
    script_territoire,
    verifier_page_saine,
)
from tests.browser.test_pages import SCRIPT_CHEMINS

pytestmark = pytest.mark.browser
SCRIPT_SIRENS = """
const sirens = new Set();
document.querySelectorAll('#carte path.choroplethlocation').forEach(p => {
  const t = p.closest('g.trace').__data__[0].trace;  // the trace's calcdata holds it, not each point
  if (!t.customdata) return;  // the grey base of France, the focus outline: no laureate
  sirens.add(t.customdata[t.locations.indexOf(p.__data__.loc)][0]);
});
return sirens.size;
"""


@pytest.fixture
def page(dash_duo, base_demo):
    dash_duo.start_server(create_app(base_demo))

    def ouvrir(query: str = ""):
        dash_duo.wait_for_page(url=f"{dash_duo.server_url}/{query}")
        WebDriverWait(dash_duo.driver, 20).until(lambda d: "Au " in dash_duo.find_element("#resume").text)
        return dash_duo

    return ouvrir


def _kpi(dash_duo, identifiant: str) -> str:
    return _texte(dash_duo, f"#kpi-{identifiant} .kpi-valeur")


def _lignes_tableau(dash_duo) -> int:
    return dash_duo.driver.execute_script(
        "return document.querySelectorAll('#tableau .ag-center-cols-container [role=row]').length"
    )


def _texte(dash_duo, selecteur: str) -> str:
    """The element's text read in the page itself: no element handle that a re-render could leave stale."""
    return dash_duo.driver.execute_script(
        "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;", selecteur
    )


def _attendre_changement(dash_duo, selecteur: str, avant: str) -> str:
    WebDriverWait(dash_duo.driver, 20).until(lambda d: _texte(dash_duo, selecteur) not in (avant, None))
    return _texte(dash_duo, selecteur)


def test_nat001_un_filtre_met_a_jour_carte_kpis_et_tableau_ensemble(page):
    d = page()
    WebDriverWait(d.driver, 20).until(lambda drv: drv.execute_script(SCRIPT_SIRENS) == 56)
    assert _kpi(d, "laureats") == "56"
    avant = d.find_element("#resume").text
    d.find_element("label[for='_dbcprivate_checklist_filtre-type_input_CD']").click()
    _attendre_changement(d, "#resume", avant)
    laureats = int(_kpi(d, "laureats"))
    assert 0 < laureats < 56
    WebDriverWait(d.driver, 20).until(lambda drv: drv.execute_script(SCRIPT_SIRENS) == laureats)
    WebDriverWait(d.driver, 20).until(
        lambda drv: _lignes_tableau(d) == min(laureats, 20) or _lignes_tableau(d) == laureats
    )
    assert "conseils départementaux" in d.find_element("#resume").text
    assert "type=CD" in d.driver.execute_script("return window.location.search")
    verifier_page_saine(d)


def test_nat002_un_lien_partage_restaure_sa_vue(page):
    d = page(
        "?vue=territoires&niveau=departement&region=76&vague=2019&indicateur=taux_utilisation&classes=quantiles"
    )
    assert d.find_element("#filtre-region").get_attribute("value") == "76"
    assert d.find_element("#_dbcprivate_checklist_filtre-vague_input_2019").is_selected()
    WebDriverWait(d.driver, 20).until(lambda drv: len(drv.execute_script(SCRIPT_CHEMINS)) == 13)
    assert "départements d'Occitanie" in d.find_element("#resume").text
    search = d.driver.execute_script("return window.location.search")
    assert re.search(r"vue=territoires", search) and "region=76" in search and "vague=2019" in search


def test_nat003_descendre_puis_remonter(page):
    d = page("?vue=territoires&niveau=region")
    WebDriverWait(d.driver, 20).until(lambda drv: len(drv.execute_script(SCRIPT_CHEMINS)) == 18)
    agir_sur_un_chemin(
        d.driver,
        script_territoire("76"),
        "cliquer",
    )
    WebDriverWait(d.driver, 20).until(lambda drv: len(drv.execute_script(SCRIPT_CHEMINS)) == 13)
    assert d.find_element("#filtre-region").get_attribute("value") == "76"
    assert d.find_element("#_dbcprivate_radioitems_filtre-niveau_input_departement").is_selected()
    d.find_element("#carte-remonter").click()
    WebDriverWait(d.driver, 20).until(lambda drv: len(drv.execute_script(SCRIPT_CHEMINS)) == 18)
    assert d.find_element("#filtre-region").get_attribute("value") == "toutes"


def test_nat004_filtres_au_clavier_seul(page):
    d = page("?vue=territoires&niveau=region")
    case = d.find_element("#_dbcprivate_checklist_filtre-vague_input_2020")
    d.driver.execute_script("arguments[0].focus()", case)
    case.send_keys(Keys.SPACE)  # a key, not a click
    WebDriverWait(d.driver, 20).until(lambda drv: "vague 2020" in d.find_element("#resume").text)
    region = d.find_element("#filtre-region")
    d.driver.execute_script("arguments[0].focus()", region)
    region.send_keys("Bretagne")  # a native select follows typed text
    WebDriverWait(d.driver, 20).until(
        lambda drv: "region=53" in drv.execute_script("return window.location.search")
    )
    assert "vague=2020" in d.driver.execute_script("return window.location.search")
    # every control of the panel can take the keyboard focus
    non_focusables = d.driver.execute_script(
        "return [...document.querySelectorAll('#filtres input, #filtres select, #filtres a')]"
        ".filter(e => e.tabIndex < 0 && e.type !== 'hidden').map(e => e.id)"
    )
    assert non_focusables == []
    verifier_page_saine(d)


def test_nat005_classes_sans_objet_pour_un_stock(page):
    d = page("?vue=territoires&niveau=region")
    assert d.find_element("#filtre-classes").is_enabled()
    indicateur = Select(d.find_element("#filtre-indicateur"))
    indicateur.select_by_value("pass_distribues")  # a stock: circles, no classes
    WebDriverWait(d.driver, 20).until(lambda drv: not d.find_element("#filtre-classes").is_enabled())
    assert not d.find_element("#filtre-figer").is_enabled()
    WebDriverWait(d.driver, 20).until(
        lambda drv: "indicateur=pass_distribues" in drv.execute_script("return window.location.search")
    )
    indicateur.select_by_value("pass_pour_1000_habitants")  # a ratio: classes again
    WebDriverWait(d.driver, 20).until(lambda drv: d.find_element("#filtre-classes").is_enabled())


def _survoler(dash_duo, code: str) -> str:
    return agir_sur_un_chemin(
        dash_duo.driver,
        script_territoire(code),
    )


def test_nat006_survol_nom_tire_de_la_geometrie_valeur_du_patch(page):
    """Names come from the GeoJSON (they never travel in callbacks); after a filter change the patched
    values show, in French."""
    d = page("?vue=territoires&niveau=departement&indicateur=pass_distribues")
    WebDriverWait(d.driver, 20).until(lambda drv: len(drv.execute_script(SCRIPT_CHEMINS)) == 101)
    texte = _survoler(d, "29")
    assert texte.startswith("Finistère") and "Pass distribués : " in texte
    avant = _kpi(d, "pass_distribues")
    d.find_element("#_dbcprivate_checklist_filtre-vague_input_2020").click()
    apres = _attendre_changement(d, "#kpi-pass_distribues .kpi-valeur", avant)
    ActionChains(d.driver).move_by_offset(0, 0).move_to_element(d.find_element("#resume")).perform()
    texte_2020 = _survoler(d, "29")
    assert texte_2020.startswith("Finistère") and re.search(r"Pass distribués : [\d\u202f—]+", texte_2020)
    assert apres != avant
    verifier_page_saine(d)


SCRIPT_CODES = (
    "return [...document.querySelectorAll('#carte path.choroplethlocation')].map(p => p.__data__.loc)"
)
SCRIPT_SURVOL = "const h = document.querySelector('#carte .hoverlayer'); return h ? h.textContent : ''"


def test_drl040_clic_sur_un_departement_ses_seuls_epci_sans_survol_fige(dash_duo, base_demo):
    from dashboard.store.donnees import territoires

    app = create_app(base_demo)
    epci = territoires(app.server.config["PASSNUM_CONTEXTE"].engine).loc["epci"]
    finistere = set(epci.index[epci["code_departement"] == "29"])
    bretagne = set(epci.index[epci["code_region"] == "53"])
    assert len(finistere) == 21 and len(bretagne) > len(finistere)
    dash_duo.start_server(app)
    d = dash_duo
    d.wait_for_page(url=f"{d.server_url}/?vue=territoires&niveau=departement&region=53")
    WebDriverWait(d.driver, 20).until(
        lambda drv: sorted(drv.execute_script(SCRIPT_CODES)) == ["22", "29", "35", "56"]
    )
    assert "Finistère" in agir_sur_un_chemin(d.driver, script_territoire("29"))  # its label shows
    agir_sur_un_chemin(d.driver, script_territoire("29"), "cliquer")
    WebDriverWait(d.driver, 20).until(lambda drv: set(drv.execute_script(SCRIPT_CODES)) == finistere)
    WebDriverWait(d.driver, 20).until(
        lambda drv: "departement=29" in drv.execute_script("return location.search")
    )
    ActionChains(d.driver).pause(1).perform()  # the mouse stays still over the new map
    assert "Finistère" not in d.driver.execute_script(SCRIPT_SURVOL)
    assert d.driver.execute_script(SCRIPT_SURVOL).strip() == ""
    assert "Bretagne › Finistère" in _texte(d, "#carte-fil")
    assert d.find_element("#_dbcprivate_radioitems_filtre-niveau_input_epci").is_selected()
    d.find_element("#carte-remonter").click()  # one step up: the départements of Bretagne
    WebDriverWait(d.driver, 20).until(
        lambda drv: sorted(drv.execute_script(SCRIPT_CODES)) == ["22", "29", "35", "56"]
    )
    assert "departement=" not in d.driver.execute_script("return location.search")
    assert d.find_element("#filtre-region").get_attribute("value") == "53"
    verifier_page_saine(d)
