"""/calendrier in the browser, on the small demo: the grid's statuses read without colour, a filter and
the sort redraw it, the list to chase up matches the grid, the header links to the page."""

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import create_app
from dashboard.domain.calendrier import LETTRES, LIBELLES
from tests.browser.outils import verifier_page_saine

pytestmark = pytest.mark.browser

SCRIPT_CELLULES = """
return [...document.querySelectorAll('#calendrier-grille td.cal-cellule')].map(td => [
  td.dataset.statut, td.querySelector('[aria-hidden=true]').textContent,
  td.querySelector('.visually-hidden').textContent, td.title]);
"""
SCRIPT_SCORES = """
return [...document.querySelectorAll('#calendrier-grille tbody tr')].map(tr =>
  tr.querySelector('.cal-score').textContent);
"""


def _choisir(dash_duo, identifiant: str, valeur: str) -> None:
    dash_duo.driver.execute_script(
        "const s = document.getElementById(arguments[0]); s.value = arguments[1];"
        "s.dispatchEvent(new Event('change', {bubbles: true}));",
        identifiant,
        valeur,
    )


def _nombre(texte: str) -> float:
    return (
        float("inf")
        if texte == "—"
        else float(texte.replace("\u202f", "").replace(" %", "").replace(",", "."))
    )


def test_cal201_grille_lisible_sans_la_couleur_filtres_et_relance(dash_duo, base_demo):
    dash_duo.start_server(create_app(base_demo))
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/donnees")
    lien = dash_duo.wait_for_element("#donnees-lien-calendrier", timeout=20)
    assert dash_duo.driver.find_element("css selector", "nav a[href='/calendrier']").text == "Calendrier"
    lien.click()
    dash_duo.wait_for_text_to_equal("h1", "Calendrier des remontées", timeout=20)
    dash_duo.wait_for_element("#calendrier-grille", timeout=20)

    cellules = dash_duo.driver.execute_script(SCRIPT_CELLULES)
    vues = {statut for statut, *_ in cellules}
    assert {"recu", "retard"} <= vues
    for statut, lettre, texte, titre in cellules:
        if statut:  # a letter for the eye, the status in words for screen readers and the tooltip
            assert lettre == LETTRES[statut] and LIBELLES[statut] in texte and titre == texte
        else:
            assert lettre == "" and "aucun retour attendu" in texte
    scores = [_nombre(s) for s in dash_duo.driver.execute_script(SCRIPT_SCORES)]
    assert scores == sorted(scores)  # default: lowest score first
    nb_lignes = len(scores)
    verifier_page_saine(dash_duo)

    _choisir(dash_duo, "calendrier-tri", "score:desc")
    WebDriverWait(dash_duo.driver, 20).until(
        lambda d: [_nombre(s) for s in d.execute_script(SCRIPT_SCORES)] != scores
    )
    decroissants = [_nombre(s) for s in dash_duo.driver.execute_script(SCRIPT_SCORES) if s != "—"]
    assert decroissants == sorted(decroissants, reverse=True)

    _choisir(dash_duo, "calendrier-mois", "24")
    WebDriverWait(dash_duo.driver, 20).until(
        lambda d: len(d.find_elements("css selector", "#calendrier-grille thead th.cal-mois")) == 24
    )
    grille = dash_duo.find_element("#calendrier-compte-grille").text
    assert grille.startswith(f"Grille : {len(dash_duo.driver.execute_script(SCRIPT_SCORES))} lauréat")
    # Every laureate of the selection, even those owing nothing over the months shown.
    _choisir(dash_duo, "calendrier-laureats", "tous")
    WebDriverWait(dash_duo.driver, 20).until(
        lambda d: "attendus" not in d.find_element("css selector", "#calendrier-compte-grille").text
    )

    def _compte_et_grille(d):  # read once both are redrawn (the count is rewritten after the grid)
        compte = d.find_element("css selector", "#calendrier-compte").text
        tous = len(d.execute_script(SCRIPT_SCORES))
        return (compte, tous) if compte.startswith(f"{tous} lauréat") else False

    compte, tous = WebDriverWait(
        dash_duo.driver, 20, ignored_exceptions=(StaleElementReferenceException,)
    ).until(_compte_et_grille)
    assert tous >= nb_lignes
    a_relancer = int(compte.split("dont ")[1].split(" ")[0])
    relance = dash_duo.driver.find_elements("css selector", "#calendrier-relance-table tbody tr")
    assert len(relance) == a_relancer
