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


# --- Full screen, phone, the printed map (issue #18) ---------------------------------------------

COMMANDES_VISIBLES = """
const barre = document.querySelector('#presentation .presentation-commandes');
return [...barre.querySelectorAll('button, a, span')].filter(e => {
  let s = getComputedStyle(e), r = e.getBoundingClientRect(), n = e;
  while (n && n !== document.body) {
    const t = getComputedStyle(n);
    if (t.visibility === 'hidden' || t.display === 'none' || parseFloat(t.opacity) === 0) { return false; }
    n = n.parentElement;
  }
  return r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight;
}).map(e => e.id || e.textContent);
"""


def _plein_ecran(d) -> bool:
    return d.driver.execute_script(
        "return document.fullscreenElement === document.getElementById('presentation') && "
        "document.getElementById('presentation').classList.contains('presentation-plein-ecran')"
    )


def test_dia101_plein_ecran_sans_commandes_jusqu_a_un_geste(salle):
    from selenium.webdriver.common.action_chains import ActionChains

    d = salle
    d.wait_for_page(url=f"{d.server_url}/presentation?{DECK}")
    WebDriverWait(d.driver, 20).until(lambda drv: _visible(d) == ["diapo-1"])
    assert len(d.driver.execute_script(COMMANDES_VISIBLES)) >= 5  # out of full screen: the bar is there
    d.find_element("#presentation-plein-ecran").click()
    WebDriverWait(d.driver, 10).until(lambda drv: _plein_ecran(d))
    time.sleep(0.6)  # past the fade
    assert d.driver.execute_script(COMMANDES_VISIBLES) == []
    # the slide takes the whole screen
    hauteurs = d.driver.execute_script(
        "return [document.getElementById('diapo-1').getBoundingClientRect().height, innerHeight]"
    )
    assert abs(hauteurs[0] - hauteurs[1]) <= 1
    # the keyboard still drives the deck, and does not bring the controls back
    corps = d.find_element("body")
    corps.send_keys(Keys.ARROW_RIGHT)
    WebDriverWait(d.driver, 5).until(lambda drv: _visible(d) == ["diapo-2"])
    corps.send_keys(Keys.END)
    WebDriverWait(d.driver, 5).until(lambda drv: _visible(d) == ["diapo-5"])
    corps.send_keys(Keys.HOME)
    WebDriverWait(d.driver, 5).until(lambda drv: _visible(d) == ["diapo-1"])
    assert _plein_ecran(d) and d.driver.execute_script(COMMANDES_VISIBLES) == []
    # a mouse move shows them, stillness hides them again
    ActionChains(d.driver).move_by_offset(40, 30).perform()
    WebDriverWait(d.driver, 3).until(lambda drv: len(drv.execute_script(COMMANDES_VISIBLES)) >= 5)
    WebDriverWait(d.driver, 6).until(lambda drv: drv.execute_script(COMMANDES_VISIBLES) == [])
    # h shows them, h hides them
    corps.send_keys("h")
    WebDriverWait(d.driver, 3).until(lambda drv: len(drv.execute_script(COMMANDES_VISIBLES)) >= 5)
    corps.send_keys("h")
    WebDriverWait(d.driver, 3).until(lambda drv: drv.execute_script(COMMANDES_VISIBLES) == [])
    # Esc leaves full screen: the bar is back
    corps.send_keys(Keys.ESCAPE)
    WebDriverWait(d.driver, 5).until(lambda drv: not _plein_ecran(d))
    WebDriverWait(d.driver, 3).until(lambda drv: len(drv.execute_script(COMMANDES_VISIBLES)) >= 5)
    verifier_page_saine(d)


DEBORDEMENTS = """
const largeur = document.documentElement.clientWidth;
const dehors = [...document.querySelectorAll('#presentation *')].filter(e => {
  if (e.closest('svg') || e.closest('[hidden]')) { return false; }
  const r = e.getBoundingClientRect();
  return r.width > 0 && r.right > largeur + 1;
}).map(e => e.className || e.tagName);
return [document.documentElement.scrollWidth, largeur, dehors.slice(0, 5)];
"""


def test_dia102_au_telephone_rien_ne_deborde(salle):
    d = salle
    d.driver.set_window_size(390, 844)
    try:
        for numero in range(1, 6):
            d.driver.get(f"{d.server_url}/presentation?{DECK}&diapo={numero}")
            WebDriverWait(d.driver, 20).until(lambda drv, n=numero: _visible(d) == [f"diapo-{n}"])
            time.sleep(0.5)
            defilement, largeur, dehors = d.driver.execute_script(DEBORDEMENTS)
            assert largeur <= 390 and defilement <= largeur and dehors == [], (numero, dehors)
            # the KPI values never break between number and unit
            for chiffre in d.driver.find_elements("css selector", f"#diapo-{numero} .chiffre"):
                assert chiffre.size["height"] < 2 * float(chiffre.value_of_css_property("line-height")[:-2])
    finally:
        d.driver.set_window_size(1920, 1080)


def test_dia103_la_page_imprimee_dit_sa_selection_et_compte_comme_sa_legende(salle):
    """The PDF prints `impression=1`: every slide states the selection; the map's count is its legend's."""
    d = salle
    d.wait_for_page(
        url=f"{d.server_url}/presentation?impression=1&vue=territoires&vague=2019&region=53&taux=0.2-0.8"
    )
    WebDriverWait(d.driver, 20).until(lambda drv: len(drv.find_elements("css selector", ".diapo")) == 5)
    selections = [e.text for e in d.driver.find_elements("css selector", ".diapo .diapo-selection")]
    attendu = "Bretagne, vague 2019, taux d'utilisation entre 20 % et 80 %."
    assert selections[:4] == [attendu] * 4 and selections[4].startswith("Bretagne en entier")
    titre = d.find_element("#diapo-2 .diapo-titre").text
    effectifs = [e.text for e in d.driver.find_elements("css selector", "#diapo-2 .legende-effectif")]

    def nombre(texte: str) -> int:
        chiffres = re.match(r"[\d\u202f\u00a0 ]+", texte)
        return int(re.sub(r"\D", "", chiffres.group(0))) if chiffres else 0

    assert effectifs and nombre(titre.rsplit("— ", 1)[1]) == sum(nombre(e) for e in effectifs)
    assert d.find_element("#diapo-2 .diapo-compte").text.startswith(titre.rsplit("— ", 1)[1])
