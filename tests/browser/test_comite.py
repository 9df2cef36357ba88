"""The monthly committee in the browser: a note added on a territory's page shows in the list and on the
monthly chart (a marker drawn by plotly), a deletion is undone with « Annuler »; the deck opened with
`comite=dernier` starts on « Depuis le dernier comité »."""

from __future__ import annotations

import sqlite3

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import create_app
from tests.browser.outils import verifier_page_saine
from tests.conftest import settings_pour

pytestmark = pytest.mark.browser
TEXTE = "décision : relance du CD 29 (essai navigateur)"
SCRIPT_NOTES_GRAPHIQUE = """
const gd = document.querySelector('#fiche-chronologie .js-plotly-plot');
const trace = gd && gd.data.find(t => t.name === 'Notes du comité');
if (!trace) return null;
const points = gd.querySelectorAll('.scatterlayer .trace:last-child path.point').length;
return {x: trace.x, survols: trace.customdata, points: points};
"""


@pytest.fixture
def bureau(dash_duo, base_demo, tmp_path):
    """The small demo copied (the test writes notes), served with the local administrator account."""
    copie = tmp_path / "copie.sqlite"
    source = base_demo.resolved_database_url.removeprefix("sqlite:///")
    with sqlite3.connect(source) as src, sqlite3.connect(copie) as dst:
        src.backup(dst)
    dash_duo.start_server(create_app(settings_pour(f"sqlite:///{copie}", tmp_path)))
    return dash_duo


def _notes(d) -> list[str]:
    """Read in one script: the list is redrawn after each write (no stale element)."""
    return d.driver.execute_script(
        "return [...document.querySelectorAll('#notes-liste li.note')].map(li => li.innerText)"
    )


def test_com100_note_ajoutee_liste_chronologie_puis_annuler(bureau):
    d = bureau
    d.wait_for_page(url=f"{d.server_url}/territoire/departement/29")
    d.wait_for_element("#notes-comite textarea", timeout=30)
    avant = _notes(d)
    date_defaut = d.find_element("#notes-comite input[type=date]").get_attribute("value")
    assert date_defaut == "2023-11-21"  # the demo's last committee
    zone = d.find_element("#notes-comite textarea")
    zone.send_keys(TEXTE)
    # By keyboard: Tab from the text reaches « Ajouter la note », Enter presses it.
    zone.send_keys(Keys.TAB)
    assert d.driver.switch_to.active_element.text == "Ajouter la note"
    d.driver.switch_to.active_element.send_keys(Keys.ENTER)
    WebDriverWait(d.driver, 20).until(lambda drv: len(_notes(d)) == len(avant) + 1)
    nouvelle = [n for n in _notes(d) if TEXTE in n]
    assert len(nouvelle) == 1 and nouvelle[0].startswith("21/11/2023")
    assert "Compte local de démonstration" in nouvelle[0]
    d.wait_for_text_to_equal("#notes-message", "Note du 21/11/2023 ajoutée.")
    assert d.find_element("#notes-comite textarea").get_attribute("value") == ""
    # On the monthly chart: a marker on 21/11/2023 whose hover says the note, drawn in the DOM.
    graphique = WebDriverWait(d.driver, 20).until(
        lambda drv: (
            (g := drv.execute_script(SCRIPT_NOTES_GRAPHIQUE)) and TEXTE in " ".join(g["survols"]) and g
        )
    )
    assert "2023-11-21" in graphique["x"] and graphique["points"] == len(graphique["x"])
    # A wrong click: « Supprimer », then « Annuler » (focused) brings the note back.
    bouton = d.driver.find_element(
        "xpath", f"//li[contains(., '{TEXTE}')]//button[normalize-space()='Supprimer']"
    )
    bouton.click()
    WebDriverWait(d.driver, 20).until(lambda drv: not [n for n in _notes(d) if TEXTE in n])
    d.wait_for_text_to_equal("#notes-message", "Note supprimée.Annuler")
    annuler = d.find_element("#notes-message button")
    assert d.driver.switch_to.active_element == annuler
    annuler.send_keys(Keys.ENTER)
    WebDriverWait(d.driver, 20).until(lambda drv: [n for n in _notes(d) if TEXTE in n])
    d.wait_for_text_to_equal("#notes-message", "Note restaurée.")
    verifier_page_saine(d)


def test_com101_deck_comite_dernier_ouvre_depuis_le_dernier_comite(bureau):
    d = bureau
    d.wait_for_page(url=f"{d.server_url}/")
    lien = d.wait_for_element("#preparer-comite", timeout=30)
    assert "comite=dernier" in lien.get_attribute("href")
    lien.click()
    WebDriverWait(d.driver, 30).until(
        lambda drv: (
            drv.execute_script(
                "const s = [...document.querySelectorAll('#presentation .diapo')].filter(s => !s.hidden);"
                "return s.length === 1 && s[0].id === 'diapo-1' ?"
                " s[0].querySelector('.diapo-titre').textContent : null"
            )
            == "Depuis le dernier comité (21/11/2023)"
        )
    )
    lignes = d.driver.find_elements("css selector", "#diapo-1 #comite-ecarts tbody tr")
    assert [ligne.get_attribute("id") for ligne in lignes][:3] == [
        "comite-pass_commandes",
        "comite-pass_distribues",
        "comite-pass_utilises",
    ]
    titres = [h.text for h in d.driver.find_elements("css selector", "#diapo-1 .diapo-liste-comite h3")]
    assert titres[1:] == ["Notes ajoutées depuis", "Nouveaux points de vigilance"]
    d.find_element("body").send_keys(Keys.ARROW_RIGHT)
    WebDriverWait(d.driver, 10).until(lambda drv: drv.find_element("css selector", "#diapo-2").is_displayed())
    assert d.find_element("#diapo-2 .diapo-titre").text == "Notes du comité du 21/11/2023"
    verifier_page_saine(d)
