"""The search box in a real browser: the header's, with the keyboard only (type, ↓, Entrée) to a page; the
/comparer page's, adding by name and by code; refusals said with names; nothing overflows on a phone."""

import re
from dataclasses import replace

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import create_app
from tests.browser.outils import verifier_page_saine, violations_axe
from tests.conftest import port_libre

pytestmark = pytest.mark.browser

SIX = "departement:29,departement:35,departement:56,departement:22,region:53,epci:243500139"


@pytest.fixture
def site(dash_duo, base_demo):
    port = port_libre()
    dash_duo.start_server(create_app(replace(base_demo, host="localhost", port=port)), port=port)
    return dash_duo


def _attendre(d, condition, delai=20):
    return WebDriverWait(d.driver, delai).until(lambda drv: condition())


def _ouvrir(d, chemin: str, attendu: str):
    d.wait_for_page(url=f"{d.server_url}{chemin}")
    _attendre(d, lambda: d.driver.find_elements("css selector", attendu))
    return d


def _options(d, champ: str) -> list:
    return d.driver.find_elements("css selector", f"#{champ}-liste [role=option]")


def _ids(d) -> list[str]:
    recherche = d.driver.execute_script("return decodeURIComponent(window.location.search)")
    trouve = re.search(r"ids=([^&]*)", recherche)
    return trouve.group(1).split(",") if trouve else []


def test_rch101_en_tete_au_clavier_taper_descendre_entree(site):
    d = _ouvrir(site, "/methodologie", "#recherche")
    champ = d.find_element("#recherche")
    assert champ.get_attribute("role") == "combobox"
    assert champ.get_attribute("aria-controls") == "recherche-liste"
    champ.send_keys("morbihan")
    _attendre(d, lambda: len(_options(d, "recherche")) >= 2)
    # the first result is highlighted, the list open and named to assistive tech
    _attendre(d, lambda: champ.get_attribute("aria-activedescendant") == "recherche-option-0")
    assert champ.get_attribute("aria-expanded") == "true"
    options = _options(d, "recherche")
    assert options[0].text.startswith("Morbihan (56)") and "département, Bretagne" in options[0].text
    assert options[0].get_attribute("aria-selected") == "true"
    assert violations_axe(d.driver) == []  # with the list open
    champ.send_keys(Keys.ARROW_DOWN)
    assert champ.get_attribute("aria-activedescendant") == "recherche-option-1"
    assert options[1].get_attribute("aria-selected") == "true"
    assert options[0].get_attribute("aria-selected") == "false"
    champ.send_keys(Keys.ARROW_UP, Keys.ARROW_UP)  # wraps to the last
    assert champ.get_attribute("aria-activedescendant") == f"recherche-option-{len(options) - 1}"
    champ.send_keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN)
    # Échap closes the list and keeps the text; ↓ opens it again
    champ.send_keys(Keys.ESCAPE)
    assert champ.get_attribute("aria-expanded") == "false"
    assert not d.driver.find_element("css selector", ".entete .rch-popup").is_displayed()
    assert champ.get_attribute("value") == "morbihan"
    champ.send_keys(Keys.ARROW_DOWN)
    assert champ.get_attribute("aria-expanded") == "true"
    assert champ.get_attribute("aria-activedescendant") == "recherche-option-1"
    cible, nom = options[1].get_attribute("data-fiche"), options[1].get_attribute("data-nom")
    assert cible.startswith(("/territoire/", "/porteur/"))
    champ.send_keys(Keys.ENTER)
    _attendre(d, lambda: d.driver.current_url == f"{d.server_url}{cible}")
    _attendre(d, lambda: d.driver.find_elements("css selector", "#fiche h1"))
    assert d.find_element("#fiche h1").text == nom
    assert d.find_element("#recherche").get_attribute("value") == ""
    verifier_page_saine(d)


def test_rch102_en_tete_actions_comparer_et_carte(site):
    d = _ouvrir(site, "/methodologie", "#recherche")
    champ = d.find_element("#recherche")
    champ.send_keys("Rennes Metropole")
    _attendre(d, lambda: _options(d, "recherche"))
    _attendre(d, lambda: champ.get_attribute("aria-activedescendant") == "recherche-option-0")
    assert _options(d, "recherche")[0].text == "Rennes Métropole — EPCI, Ille-et-Vilaine"
    liens = {
        a.text: a.get_attribute("href") for a in d.driver.find_elements("css selector", ".entete .rch-action")
    }
    assert liens["Voir sur la carte"] == (
        f"{d.server_url}/?vue=territoires&niveau=epci&region=53&focus=epci:243500139"
    )
    assert liens["Ouvrir la fiche"] == f"{d.server_url}/territoire/epci/243500139"
    d.driver.find_element("link text", "Ajouter à la comparaison").click()
    _attendre(d, lambda: _ids(d) == ["epci:243500139"])
    _attendre(d, lambda: "Rennes Métropole" in d.find_element("#comparer-selection").text)
    # from /comparer, the header's box adds to those compared
    champ = d.find_element("#recherche")
    champ.send_keys("56")
    _attendre(d, lambda: champ.get_attribute("aria-activedescendant") == "recherche-option-0")
    d.driver.find_element("link text", "Ajouter à la comparaison").click()
    _attendre(d, lambda: _ids(d) == ["epci:243500139", "departement:56"])
    _attendre(d, lambda: "Morbihan" in d.find_element("#comparer-tableau").text)
    # from an entity's page, the result is compared with it
    d.driver.get(f"{d.server_url}/territoire/departement/29")
    _attendre(d, lambda: d.driver.find_elements("css selector", "#fiche h1"))
    champ = d.find_element("#recherche")
    champ.send_keys("Morbihan")
    _attendre(d, lambda: champ.get_attribute("aria-activedescendant") == "recherche-option-0")
    lien = d.driver.find_element("link text", "Ajouter à la comparaison").get_attribute("href")
    assert lien == f"{d.server_url}/comparer?ids=departement:29,departement:56"


def test_rch103_comparer_ajoute_par_nom_et_par_code(site):
    d = _ouvrir(site, "/comparer?ids=departement:29,departement:35", "#comparer-tableau")
    champ = d.find_element("#comparer-ajout")
    champ.send_keys("Morbihan")
    _attendre(d, lambda: _options(d, "comparer-ajout"))
    _attendre(d, lambda: champ.get_attribute("aria-activedescendant") == "comparer-ajout-option-0")
    assert not champ.get_attribute("class").count("is-invalid")
    champ.send_keys(Keys.ENTER)
    _attendre(d, lambda: _ids(d) == ["departement:29", "departement:35", "departement:56"])
    _attendre(d, lambda: "Morbihan" in d.find_element("#comparer-tableau").text)
    assert d.find_element("#comparer-message").text == "Morbihan ajouté à la comparaison."
    assert champ.get_attribute("value") == ""
    bouton = "button[aria-label='Retirer Morbihan de la comparaison']"
    d.driver.find_element("css selector", bouton).click()
    _attendre(d, lambda: _ids(d) == ["departement:29", "departement:35"])
    # the code, Entrée pressed before the results come: the first result is added when they do
    champ.send_keys("56", Keys.ENTER)
    _attendre(d, lambda: _ids(d) == ["departement:29", "departement:35", "departement:56"])
    _attendre(d, lambda: "Morbihan" in d.find_element("#comparer-tableau").text)
    # without accents nor hyphen, with the button
    champ.send_keys("cotes darmor")
    _attendre(d, lambda: champ.get_attribute("aria-activedescendant") == "comparer-ajout-option-0")
    d.find_element("#comparer-ajouter").click()
    _attendre(d, lambda: _ids(d)[-1] == "departement:22")
    assert d.find_element("#comparer-message").text == "Côtes-d'Armor ajouté à la comparaison."
    # nothing found: said in words, the field is not turned red
    champ.send_keys("zzzz")
    _attendre(d, lambda: d.driver.find_elements("css selector", ".rch-vide"))
    assert "Aucun territoire ni lauréat ne correspond à « zzzz »" in d.find_element(".rch-vide").text
    assert "is-invalid" not in champ.get_attribute("class")
    verifier_page_saine(d)


def test_rch104_refus_nommes_jamais_par_identifiant(site):
    d = _ouvrir(site, f"/comparer?ids={SIX},departement:69,xx:1", "#comparer-tableau")
    avis = d.find_element("#comparer-ignores").text
    assert "Rhône (au-delà de 6)" in avis and "« xx:1 » (inconnu)" in avis
    assert "departement:69" not in avis
    champ = d.find_element("#comparer-ajout")
    champ.send_keys("Rhône")
    _attendre(d, lambda: champ.get_attribute("aria-activedescendant") == "comparer-ajout-option-0")
    assert _options(d, "comparer-ajout")[0].text.startswith("Rhône (69)")
    champ.send_keys(Keys.ENTER)
    _attendre(d, lambda: d.find_element("#comparer-message").text)
    assert d.find_element("#comparer-message").text == (
        "Rhône n'est pas ajouté : 6 territoires ou lauréats au plus. Retirez-en un d'abord."
    )
    assert len(_ids(d)) == 6 and "departement:69" not in d.find_element("#contenu").text
    verifier_page_saine(d)


def test_rch105_telephone_390_rien_ne_deborde(site):
    d = site
    d.driver.set_window_size(390, 844)
    _ouvrir(d, f"/comparer?ids={SIX}", "#comparer-tableau")
    largeur = d.driver.execute_script("return document.documentElement.clientWidth")
    assert d.driver.execute_script("return document.documentElement.scrollWidth") <= largeur
    bouton = d.driver.execute_script(
        "return document.getElementById('comparer-ajouter').getBoundingClientRect().right"
    )
    assert bouton <= largeur
    # A long name and type (« CA du Pays Basque — Communauté d'agglomération (EPCI) ») wraps in its chip.
    _ouvrir(d, "/comparer?ids=epci:200067106,departement:29", "#comparer-tableau")
    assert d.driver.execute_script("return document.documentElement.scrollWidth") <= largeur
    _ouvrir(d, f"/comparer?ids={SIX}", "#comparer-tableau")
    champ = d.find_element("#comparer-ajout")
    champ.send_keys("saint")
    _attendre(d, lambda: champ.get_attribute("aria-expanded") == "true")
    droite = d.driver.execute_script(
        "return document.querySelector('.comparer-ajout .rch-popup').getBoundingClientRect().right"
    )
    assert droite <= largeur
    assert d.driver.execute_script("return document.documentElement.scrollWidth") <= largeur
