"""Briefing mode in the browser: run by keyboard alone, each slide checked, timer, PDF of the deck."""

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
import requests
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import create_app
from dashboard.web.acces.jetons import Jetons
from tests.browser.outils import verifier_page_saine

pytestmark = pytest.mark.browser
DECK = (
    "diapos=resume,carte,classement,chronologie,departement:29&vue=territoires&niveau=departement&vague=2019"
)


@pytest.fixture
def salle(dash_duo, base_demo):
    dash_duo.start_server(create_app(base_demo))
    return dash_duo


def _visible(d) -> list[str]:
    return d.driver.execute_script(
        "return [...document.querySelectorAll('#presentation .diapo')].filter(s => !s.hidden).map(s => s.id)"
    )


def _diapo_de_l_adresse(d) -> int | None:
    trouve = re.search(r"diapo=(\d+)", d.driver.execute_script("return location.search"))
    return int(trouve.group(1)) if trouve else None


def test_pre101_au_clavier_chaque_diapo(salle):
    d = salle
    d.wait_for_page(url=f"{d.server_url}/presentation?{DECK}")
    WebDriverWait(d.driver, 20).until(lambda drv: _visible(d) == ["diapo-1"])
    corps = d.find_element("body")
    attendus = [
        ("diapo-1", "synthèse", None),
        ("diapo-2", "Taux d'utilisation", ".choroplethlocation"),
        ("diapo-3", "premiers et derniers", "li"),
        ("diapo-4", "cumul mensuel", ".scatterlayer .trace"),
        ("diapo-5", "Finistère", ".funnellayer"),
    ]
    for numero, (identifiant, titre, contenu) in enumerate(attendus, start=1):
        WebDriverWait(d.driver, 20).until(lambda drv, i=identifiant: _visible(d) == [i])
        diapo = d.find_element(f"#{identifiant}")
        assert titre in diapo.find_element("css selector", ".diapo-titre").text
        pied = diapo.find_element("css selector", ".diapo-pied").text
        assert "Données au " in pied and "Source : " in pied and f"{numero} / 5" in pied
        if contenu:
            WebDriverWait(d.driver, 20).until(
                lambda drv, s=f"#{identifiant} {contenu}": drv.find_elements("css selector", s)
            )
        WebDriverWait(d.driver, 5).until(lambda drv, n=numero: _diapo_de_l_adresse(d) == n)  # a permalink
        if numero == 2:
            verifier_page_saine(d)
        corps.send_keys(Keys.SPACE if numero % 2 else Keys.ARROW_RIGHT)
    assert _visible(d) == ["diapo-5"]  # the last slide stays
    corps.send_keys(Keys.ARROW_LEFT)
    WebDriverWait(d.driver, 5).until(lambda drv: _visible(d) == ["diapo-4"])
    corps.send_keys(Keys.HOME)
    WebDriverWait(d.driver, 5).until(lambda drv: _visible(d) == ["diapo-1"])
    # no filter clutter: the site's header, filters and navigation are not shown
    assert not d.driver.find_elements("css selector", "#filtres")
    assert not d.find_element("header.entete").is_displayed()
    verifier_page_saine(d)


def test_pre102_un_lien_ouvre_sa_diapo_et_le_minuteur_avance(salle):
    d = salle
    d.wait_for_page(url=f"{d.server_url}/presentation?{DECK}&diapo=3&auto=5")
    WebDriverWait(d.driver, 20).until(lambda drv: _visible(d) == ["diapo-3"])
    assert "Suivante dans" in d.find_element("#presentation-minuteur").text
    WebDriverWait(d.driver, 10).until(lambda drv: _visible(d) == ["diapo-4"])
    d.find_element("body").send_keys("p")  # pause
    WebDriverWait(d.driver, 5).until(lambda drv: "En pause" in d.find_element("#presentation-minuteur").text)
    verifier_page_saine(d)


def test_pre103_le_deck_en_un_pdf(salle):
    d = salle
    reponse = requests.get(f"{d.server_url}/presentation.pdf?{DECK}", timeout=90)
    assert reponse.status_code == 200 and reponse.headers["Content-Type"] == "application/pdf"
    assert re.search(
        r'filename="pass-numerique-presentation-\d{8}-\d{4}\.pdf"', reponse.headers["Content-Disposition"]
    )
    assert reponse.content[:5] == b"%PDF-"
    assert len(re.findall(rb"/Type\s*/Page(?!s)", reponse.content)) == 5  # one page per slide


def test_pre104_preparer_depuis_la_carte(salle):
    """From the view on screen to its briefing deck in one click: the same filters go along."""
    d = salle
    d.wait_for_page(url=f"{d.server_url}/?vue=territoires&niveau=region&vague=2020")
    WebDriverWait(d.driver, 20).until(lambda drv: "vague 2020" in d.find_element("#resume").text)
    d.find_element("#national-presenter").click()
    WebDriverWait(d.driver, 20).until(lambda drv: drv.find_elements("css selector", "#presentation #diapo-1"))
    recherche = d.driver.execute_script("return decodeURIComponent(location.search)")
    assert "vague=2020" in recherche and "niveau=region" in recherche
    assert "vague 2020" in d.find_element("#diapo-1 .diapo-phrase").text


def test_pre105_le_pdf_ignore_l_hote_nomme_par_la_requete(salle, base_demo):
    """The server's Chromium reads the app on the loopback: a forged Host cannot point it elsewhere. (The
    local demo account does not answer a foreign Host — DNS rebinding —: the visitor holds a link.)"""
    forge = {"Host": "10.255.255.1:9"}
    pdf = f"{salle.server_url}/presentation.pdf?diapos=resume"
    assert requests.get(pdf, headers=forge, timeout=30).status_code == 401
    lien = Jetons(base_demo.effective_secret_key()).lien(
        "/presentation?diapos=resume&diapo=1", datetime.now(UTC) + timedelta(hours=1), None, None
    )
    visiteur = requests.Session()
    entree = visiteur.get(
        f"{salle.server_url}/presentation?diapos=resume&jeton={lien}", headers=forge, timeout=30
    )
    assert entree.status_code == 200
    reponse = visiteur.get(pdf, headers=forge, timeout=90)
    assert reponse.status_code == 200 and reponse.content[:5] == b"%PDF-"
    assert len(re.findall(rb"/Type\s*/Page(?!s)", reponse.content)) == 1


def test_pre106_le_dialogue_de_partage_se_ferme_et_reste_ferme(salle):
    """Open "Partager (lecture seule)", close it: it stays closed (its state is not an input)."""
    d = salle
    d.wait_for_page(url=f"{d.server_url}/presentation?diapos=resume")
    d.find_element("#presentation-partager").click()
    WebDriverWait(d.driver, 10).until(lambda drv: drv.find_elements("css selector", ".modal.show"))
    d.find_element(".modal.show .btn-close").click()
    WebDriverWait(d.driver, 10).until(lambda drv: not drv.find_elements("css selector", ".modal.show"))
    time.sleep(1.5)  # the answer of a callback fired by the closing would have reopened it by now
    assert not d.driver.find_elements("css selector", ".modal.show")
