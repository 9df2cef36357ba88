"""Territory, laureate and comparison pages in the browser: from the map to a page, to peers, a shared
link that opens the same comparison, exports, 404."""

import os
import re
import time
from dataclasses import replace

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import create_app
from dashboard.domain.filtres import Filtres
from dashboard.store.db import make_engine
from dashboard.store.indicateurs import table_indicateurs
from tests.browser.outils import (
    SCRIPT_DERNIER_CHEMIN,
    agir_sur_un_chemin,
    script_territoire,
    verifier_page_saine,
)
from tests.conftest import port_libre

pytestmark = pytest.mark.browser


@pytest.fixture
def site(dash_duo, base_demo):
    # Links are built from where the server listens (no PASSNUM_URL here: dash_duo's localhost:port),
    # never from the Host header.
    port = port_libre()
    dash_duo.start_server(create_app(replace(base_demo, host="localhost", port=port)), port=port)
    return dash_duo


def _ouvrir(d, chemin: str, attendu: str = "#fiche"):
    d.wait_for_page(url=f"{d.server_url}{chemin}")
    WebDriverWait(d.driver, 20).until(lambda drv: drv.find_elements("css selector", attendu))
    return d


def _ids_de_l_adresse(d) -> list[str]:
    recherche = d.driver.execute_script("return decodeURIComponent(window.location.search)")
    return re.search(r"ids=([^&]*)", recherche).group(1).split(",")


def test_fic101_de_la_carte_a_la_page_d_un_laureat(site, base_demo):
    d = site
    d.wait_for_page(url=f"{d.server_url}/?vue=porteurs")
    WebDriverWait(d.driver, 20).until(
        lambda drv: (
            drv.execute_script("return document.querySelectorAll('#carte path.choroplethlocation').length")
            > 10
        )
    )
    # an EPCI laureate drawn on top: its shape is clickable
    agir_sur_un_chemin(
        d.driver,
        SCRIPT_DERNIER_CHEMIN,
        "cliquer",
    )
    WebDriverWait(d.driver, 20).until(lambda drv: "/porteur/" in drv.current_url)
    WebDriverWait(d.driver, 20).until(lambda drv: drv.find_elements("css selector", "#fiche h1"))
    siren = d.driver.current_url.rsplit("/", 1)[-1]
    engine = make_engine(base_demo.resolved_database_url)
    table = table_indicateurs(engine, "porteur", "porteurs", Filtres()).set_index("code")
    assert d.find_element("#fiche h1").text == table.loc[siren, "nom"]
    assert "SIREN " + siren in d.find_element("#fiche-identite").text
    verifier_page_saine(d)


def test_fic102_page_territoire_complete_et_saine(site):
    d = _ouvrir(site, "/territoire/departement/29")
    assert d.find_element("#fiche h1").text == "Finistère"
    assert "Département · code 29" in d.find_element("#fiche-identite").text
    assert re.search(r"\d+(er|e) sur \d+ départements comparables", d.find_element("#fiche-rang").text)
    assert "Pass utilisés" in d.find_element("#kpis").text
    for graphique in ("entonnoir", "chronologie", "cohortes"):
        WebDriverWait(d.driver, 20).until(
            lambda drv, g=graphique: drv.find_elements("css selector", f"#fiche-{g} .main-svg")
        )
    assert [e.text for e in d.driver.find_elements("css selector", "#fiche nav a")][:2] == [
        "Carte nationale",
        "Bretagne",
    ]
    verifier_page_saine(d)


def test_fic103_code_inconnu_page_404_francaise(site):
    d = _ouvrir(site, "/territoire/departement/999", "#page-introuvable")
    assert "Page introuvable" in d.find_element("#page-introuvable").text
    assert "code inconnu" in d.find_element("#page-introuvable").text
    verifier_page_saine(d, page_404=True)


def test_fic104_pairs_puis_lien_partage_meme_comparaison(site):
    """Done-when of the issue: from a territory, add three peers, send the link, see the same thing."""
    d = _ouvrir(site, "/territoire/departement/29")
    d.find_element("#fiche-comparer").click()
    WebDriverWait(d.driver, 20).until(lambda drv: drv.find_elements("css selector", "#comparer-tableau"))
    ids = _ids_de_l_adresse(d)
    assert ids[0] == "departement:29" and len(ids) == 4
    entetes = [
        e.text.split("\n")[0]
        for e in d.driver.find_elements("css selector", "#comparer-tableau th[scope=col]")
    ]
    # add one more from the suggestions
    suggestion = d.driver.find_elements("css selector", "#comparer-suggestions a")[0]
    ajoute = suggestion.text.removeprefix("Ajouter ")
    d.driver.execute_script("arguments[0].click()", suggestion)
    WebDriverWait(d.driver, 20).until(lambda drv: len(_ids_de_l_adresse(d)) == 5)
    # the table is redrawn while it is read: a stale element is read again
    WebDriverWait(d.driver, 20, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda drv: ajoute in d.find_element("#comparer-tableau").text
    )
    lien = d.find_element("#comparer-lien").get_attribute("value")
    assert lien.endswith("/comparer?ids=" + ",".join(_ids_de_l_adresse(d)))
    # the colleague opens the link in a new browser page
    d.driver.get("about:blank")
    d.driver.get(lien)
    WebDriverWait(d.driver, 20).until(lambda drv: drv.find_elements("css selector", "#comparer-tableau"))
    recus = [
        e.text.split("\n")[0]
        for e in d.driver.find_elements("css selector", "#comparer-tableau th[scope=col]")
    ]
    assert recus == [*entetes, ajoute]
    WebDriverWait(d.driver, 20).until(
        lambda drv: len(drv.find_elements("css selector", "#comparer-chronologies .scatterlayer .trace")) == 5
    )
    verifier_page_saine(d)


def test_fic105_ajouter_et_retirer_au_clavier_l_adresse_suit(site):
    d = _ouvrir(site, "/comparer?ids=departement:29,departement:35,xx:1", "#comparer-tableau")
    assert "xx:1" in d.driver.find_element("css selector", ".alert-warning").text  # said, not hidden
    saisie = d.find_element("#comparer-ajout")
    saisie.send_keys("Morbihan (département, 56)", Keys.ENTER)
    WebDriverWait(d.driver, 20).until(
        lambda drv: _ids_de_l_adresse(d) == ["departement:29", "departement:35", "departement:56"]
    )
    WebDriverWait(d.driver, 20).until(lambda drv: "Morbihan" in d.find_element("#comparer-tableau").text)
    retirer = d.driver.find_element(
        "css selector", "button[aria-label='Retirer Ille-et-Vilaine de la comparaison']"
    )
    d.driver.execute_script("arguments[0].focus()", retirer)
    retirer.send_keys(Keys.ENTER)  # a key, not a click
    WebDriverWait(d.driver, 20).until(
        lambda drv: _ids_de_l_adresse(d) == ["departement:29", "departement:56"]
    )
    assert "Ille-et-Vilaine" not in d.find_element("#comparer-tableau").text
    verifier_page_saine(d)
    d.driver.get(f"{d.server_url}/comparer?ids=departement:29")
    WebDriverWait(d.driver, 20).until(lambda drv: drv.find_elements("css selector", "#comparer-vide"))
    assert d.driver.find_elements("css selector", "#comparer-suggestions a")


def test_fic106_export_csv_telecharge_et_estampille(site):
    d = _ouvrir(site, "/territoire/departement/29")
    bouton = d.driver.find_element(
        "css selector", "button[aria-label='Exporter « Lieux de médiation » en CSV']"
    )
    # charts drawn late move the page: press the button where it is when pressed
    d.driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", bouton)
    fichier = None
    for _ in range(100):
        fichiers = [f for f in os.listdir(d.download_path) if f.endswith(".csv")]
        if fichiers:
            fichier = os.path.join(d.download_path, fichiers[0])
            break
        time.sleep(0.1)
    assert fichier and re.search(r"pass-numerique-finistere-lieux-\d{8}-\d{4}\.csv$", fichier)
    with open(fichier, encoding="utf-8-sig") as flux:
        texte = flux.read()
    assert "Finistère" in texte and "Date des données" in texte and "SIRET;Nom;Commune;Pass;Part" in texte


def test_fic107_clic_sur_un_epci_et_liens_du_tableau(site):
    d = site
    d.wait_for_page(url=f"{d.server_url}/?vue=territoires&niveau=epci&region=53")
    WebDriverWait(d.driver, 20).until(
        lambda drv: (
            drv.execute_script("return document.querySelectorAll('#carte path.choroplethlocation').length")
            > 5
        )
    )
    # the région in view has its page
    lien_region = d.driver.find_element("css selector", "#carte-fil a[href='/territoire/region/53']")
    assert lien_region.text == "Page de la région Bretagne"
    # every name of the table links to its page
    WebDriverWait(d.driver, 20).until(
        lambda drv: drv.find_elements("css selector", "#tableau .ag-cell[col-id=nom] a")
    )
    liens = [
        a.get_attribute("href")
        for a in d.driver.find_elements("css selector", "#tableau .ag-cell[col-id=nom] a")
    ]
    assert liens and all(re.search(r"/territoire/epci/\d{9}$", h) for h in liens)
    # a click on an EPCI (the last level) opens its page
    code = d.driver.execute_script(
        "return [...document.querySelectorAll('#carte path.choroplethlocation')]"
        ".map(p => p.__data__.loc).find(c => c === '242900314') || null"
    ) or d.driver.execute_script(
        "return document.querySelector('#carte path.choroplethlocation').__data__.loc"
    )
    agir_sur_un_chemin(
        d.driver,
        script_territoire(code),
        "cliquer",
    )
    WebDriverWait(d.driver, 20).until(lambda drv: drv.current_url.endswith(f"/territoire/epci/{code}"))
    WebDriverWait(d.driver, 20).until(lambda drv: drv.find_elements("css selector", "#fiche h1"))
    assert "EPCI" in d.find_element("#fiche-identite").text
    verifier_page_saine(d)
