"""The accessibility audit the statement /accessibilite cites (dashboard.domain.accessibilite): axe-core
with all its rules on every page at 1920×1080 and 390×844, a text alternative for every chart, 200 % zoom
without loss, no frame nor media, keyboard-only walks of the tasks not walked elsewhere (export, drill
down through the région filter, upload). One app server and one Chromium for the whole module."""

from __future__ import annotations

import os
import re
import time
from dataclasses import replace

import pytest
from selenium import webdriver
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import func, select

from dashboard import create_app
from dashboard.domain.accessibilite import GRAPHIQUES_SANS_ALTERNATIVE, PAGES_AUDITEES
from dashboard.settings import ROOT
from dashboard.store.db import make_engine
from dashboard.store.schema import ImportLot
from tests.browser.conftest import pytest_setup_options
from tests.browser.outils import attendre_grilles, violations_axe
from tests.conftest import settings_pour

pytestmark = pytest.mark.browser
TOUS_IMPACTS = frozenset({"minor", "moderate", "serious", "critical"})
CHEMINS = [chemin for _, chemin in PAGES_AUDITEES]
IMPORTS = ROOT / "tests" / "fixtures" / "imports"

# The page is drawn: Dash has nothing loading, the page has its title, every chart its SVG.
PAGE_PRETE = """
const contenu = document.querySelector('#_pages_content') || document.querySelector('main');
if (!contenu || !contenu.querySelector('h1, h2') || document.querySelector('[data-dash-is-loading="true"]')) {
  return false;
}
const graphiques = document.querySelectorAll('.dash-graph');
return [...graphiques].every(g => g.querySelector('.main-svg'));
"""


# Served without an account (a second server, without the local demo account): the sign-in page, and the
# statement, which must be readable before signing in.
SANS_COMPTE = {"/connexion"}


@pytest.fixture(scope="module")
def serveurs(base_demo):
    """{False: the server with the local demo account (every page), True: without any account}."""
    from dash.testing.application_runners import ThreadedRunner

    with ThreadedRunner() as local, ThreadedRunner() as anonyme:
        local.start(create_app(base_demo), start_timeout=30)
        anonyme.start(create_app(replace(base_demo, compte_local=False)), start_timeout=30)
        yield {False: local.url.rstrip("/"), True: anonyme.url.rstrip("/")}


@pytest.fixture(scope="module")
def serveur(serveurs):
    return serveurs[False]


def adresse(serveurs: dict, chemin: str) -> str:
    return serveurs[chemin in SANS_COMPTE] + chemin


@pytest.fixture(scope="module")
def telechargements(tmp_path_factory):
    return tmp_path_factory.mktemp("telechargements")


@pytest.fixture(scope="module")
def navigateur(telechargements):
    options = pytest_setup_options()
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # the console, read by test_rga006
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(telechargements), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(options=options)
    driver.set_window_size(1920, 1080)
    yield driver
    driver.quit()


def _ouvrir(driver, url: str, largeur: int = 1920, hauteur: int = 1080):
    driver.set_window_size(largeur, hauteur)
    driver.get(url)
    WebDriverWait(driver, 40).until(lambda d: d.execute_script(PAGE_PRETE))
    attendre_grilles(driver)
    return driver


def _axe(navigateur, serveurs, chemin, largeur, hauteur):
    d = _ouvrir(navigateur, adresse(serveurs, chemin), largeur, hauteur)
    violations = violations_axe(d, TOUS_IMPACTS)
    assert violations == [], f"{chemin} en {largeur}×{hauteur} :\n" + "\n".join(violations)


@pytest.mark.parametrize("chemin", CHEMINS)
def test_rga001_axe_sans_violation_chaque_page_ordinateur(navigateur, serveurs, chemin):
    _axe(navigateur, serveurs, chemin, 1920, 1080)


@pytest.mark.parametrize("chemin", CHEMINS)
def test_rga002_axe_sans_violation_chaque_page_telephone(navigateur, serveurs, chemin):
    _axe(navigateur, serveurs, chemin, 390, 844)


# Each chart's text alternative: a table or a sentence in its section, or elements its container names
# (aria-describedby) whose text gives its values — the summary sentence, the legend, the KPI cards.
SANS_ALTERNATIVE = """
const texte = id => { const e = document.getElementById(id); return e ? e.textContent.trim() : ''; };
const decrit = e => {
  const ids = (e.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
  return ids.length > 0 && ids.every(i => texte(i).length >= 20) && ids.some(i => /\\d/.test(texte(i)));
};
return [...document.querySelectorAll('.dash-graph')].filter(g => {
  const section = g.closest('section');  // a table or a sentence beside the chart
  if (section && section.querySelector('table, figcaption, .diapo-phrase')) { return false; }
  return ![g.closest('[aria-describedby]'), g.querySelector('[aria-describedby]')].some(e => e && decrit(e));
}).map(g => g.id);
"""


@pytest.mark.parametrize(
    "chemin",
    [
        "/",
        "/territoire/departement/29",
        "/porteur/242900314",
        "/comparer?ids=departement:29,departement:56",
        "/presentation?diapos=resume,carte,classement,chronologie,departement:29&diapo=4",
    ],
)
def test_rga003_chaque_graphique_a_son_alternative_textuelle(navigateur, serveur, chemin):
    d = _ouvrir(navigateur, serveur + chemin)
    assert d.execute_script("return document.querySelectorAll('.dash-graph').length") > 0
    sans = {
        re.sub(r"-\d+$", "", i) for i in d.execute_script(SANS_ALTERNATIVE)
    }  # diapo-carte-2 → diapo-carte
    print(chemin, sorted(sans))
    assert sans <= GRAPHIQUES_SANS_ALTERNATIVE, sorted(sans - GRAPHIQUES_SANS_ALTERNATIVE)


# 1920×1080 at 200 %: the same page in a 960×540 CSS pixel window.
DEBORDEMENT = """
const DEFILANTS = '.table-responsive, .ag-root-wrapper, [tabindex="0"]';  // boxes that scroll sideways
const largeur = document.documentElement.clientWidth;
return {largeur: largeur, defilement: document.documentElement.scrollWidth,
        dehors: [...document.querySelectorAll('main *')].filter(e => {
          const r = e.getBoundingClientRect();
          return r.width > 0 && r.right > largeur + 1 && !e.closest(DEFILANTS);
        }).map(e => e.id || e.className).slice(0, 5)};
"""


@pytest.mark.parametrize("chemin", CHEMINS)
def test_rga004_zoom_200_pourcent_sans_perte(navigateur, serveurs, chemin):
    d = _ouvrir(navigateur, adresse(serveurs, chemin), 960, 540 + 87)  # the inner height of a 540 px viewport
    mesure = d.execute_script(DEBORDEMENT)
    assert mesure["defilement"] <= mesure["largeur"], mesure
    assert mesure["dehors"] == [], mesure
    if chemin == "/":  # the filters (behind their button on a narrow screen), the map and the table
        for selecteur in ("#carte .main-svg", "#tableau"):
            assert d.execute_script(
                f"return document.querySelector('{selecteur}').getBoundingClientRect().width > 0"
            )
        bouton = d.find_element("css selector", "#filtres-ouvrir")
        assert bouton.is_displayed()


def test_rga005_ni_cadre_ni_media(navigateur, serveurs):
    for chemin in CHEMINS:
        d = _ouvrir(navigateur, adresse(serveurs, chemin))
        assert d.execute_script("return document.querySelectorAll('iframe, frame, video, audio').length") == 0


def _tabuler_jusqu_a(driver, predicat: str, maximum: int = 200):
    """TAB until the focused element satisfies `predicat` (JS on `e`); returns it, its focus ring visible."""
    for _ in range(maximum):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        if driver.execute_script(f"const e = document.activeElement; return !!({predicat});"):
            actif = driver.switch_to.active_element
            contour = driver.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
            assert contour not in ("none", ""), "prise de focus invisible"
            return actif
    raise AssertionError(f"jamais atteint au clavier : {predicat}")


def test_clv001_exporter_le_tableau_au_clavier(navigateur, serveur, telechargements):
    d = _ouvrir(navigateur, serveur + "/?vue=territoires&niveau=region")
    avant = set(os.listdir(telechargements))
    bouton = _tabuler_jusqu_a(d, "e.id && e.id.includes('\"format\":\"csv\"') && e.id.includes('national')")
    bouton.send_keys(Keys.ENTER)
    fin = time.monotonic() + 30
    while time.monotonic() < fin:
        nouveaux = [n for n in set(os.listdir(telechargements)) - avant if n.endswith(".csv")]
        if nouveaux:
            break
        time.sleep(0.2)
    assert nouveaux, "aucun CSV téléchargé"


def test_clv002_descendre_dans_une_region_au_clavier(navigateur, serveur):
    """The map's keyboard alternative for drilling down: the région filter (its départements only, the
    trail and the région's page link), then « Remonter d'un niveau » back to the whole of France."""
    d = _ouvrir(navigateur, serveur + "/?vue=territoires&niveau=departement")
    region = _tabuler_jusqu_a(d, "e.id === 'filtre-region'")
    region.send_keys("Bretagne")  # a native select follows the typed text
    WebDriverWait(d, 20).until(lambda drv: "region=53" in drv.execute_script("return location.search"))
    WebDriverWait(d, 20).until(lambda drv: drv.execute_script(CHEMINS_CARTE) == 4)  # 22, 29, 35, 56
    assert "Page de la région Bretagne" in d.find_element("css selector", "#carte-fil").text
    remonter = _tabuler_jusqu_a(d, "e.id === 'carte-remonter'")
    remonter.send_keys(Keys.ENTER)
    WebDriverWait(d, 20).until(lambda drv: "region=" not in drv.execute_script("return location.search"))
    WebDriverWait(d, 20).until(lambda drv: drv.execute_script(CHEMINS_CARTE) > 4)


CHEMINS_CARTE = "return document.querySelectorAll('#carte path.choroplethlocation').length"


def test_rga006_declaration_lisible_sans_compte(navigateur, serveurs):
    """A legal page: read without an account, whole, clean, the frame's callbacks never refused (no
    console error); everything else still asks to sign in."""
    navigateur.get_log("browser")  # what earlier tests left in the console
    d = _ouvrir(navigateur, serveurs[True] + "/accessibilite")
    assert "/connexion" not in d.current_url
    assert d.find_element("css selector", "#accessibilite h1").text == "Déclaration d'accessibilité"
    assert d.find_element("css selector", "#accessibilite-taux").text.endswith("%")
    assert violations_axe(d, TOUS_IMPACTS) == []
    assert [e for e in d.get_log("browser") if e["level"] == "SEVERE"] == []
    d.get(serveurs[True] + "/methodologie")
    WebDriverWait(d, 20).until(lambda drv: "/connexion" in drv.current_url)


@pytest.fixture(scope="module")
def base_ecriture(base_sqlite_initialisee, tmp_path_factory):
    """A copy of the reference database (geography, no programme data) that the import writes into."""
    import sqlite3

    dossier = tmp_path_factory.mktemp("import-clavier")
    source = base_sqlite_initialisee.resolved_database_url.removeprefix("sqlite:///")
    with sqlite3.connect(source) as src, sqlite3.connect(dossier / "import.sqlite") as dst:
        src.backup(dst)
    return settings_pour(f"sqlite:///{dossier / 'import.sqlite'}", dossier)


def test_clv003_importer_un_fichier_au_clavier(navigateur, base_ecriture):
    """/donnees with the keyboard: the kind of file (typed in its list), the file control (the file is
    then chosen in the browser's own dialog: given to the control here), the validation report, the
    confirmation pressed with ENTER, the import written."""
    from dash.testing.application_runners import ThreadedRunner

    with ThreadedRunner() as serveur:
        serveur.start(create_app(base_ecriture), start_timeout=30)
        d = _ouvrir(navigateur, serveur.url.rstrip("/") + "/donnees")
        sorte = _tabuler_jusqu_a(d, "e.id === 'donnees-kind'")
        sorte.send_keys("Syndicats")
        assert d.find_element("css selector", "#donnees-kind").get_attribute("value") == "syndicats"
        depot = _tabuler_jusqu_a(d, "e.type === 'file' && e.closest('#donnees-upload')")
        assert "fichier" in (depot.get_attribute("aria-label") or "").lower()
        depot.send_keys(str(IMPORTS / "valides" / "syndicats.csv"))
        WebDriverWait(d, 30).until(lambda drv: "Fichier valide" in _texte(drv, "#donnees-rapport"))
        confirmer = _tabuler_jusqu_a(d, "e.id === 'donnees-confirmer' && !e.disabled")
        confirmer.send_keys(Keys.ENTER)
        WebDriverWait(d, 60).until(lambda drv: "Import réalisé" in _texte(drv, "#donnees-rapport"))
        WebDriverWait(d, 30).until(lambda drv: "syndicats.csv" in _texte(drv, "#donnees-historique"))
    with make_engine(base_ecriture.resolved_database_url).connect() as connexion:
        assert connexion.scalar(select(func.count()).select_from(ImportLot)) == 1


def _texte(driver, selecteur: str) -> str:
    return driver.execute_script(
        "const e = document.querySelector(arguments[0]); return e ? e.innerText : '';", selecteur
    )
