"""The national page's table in the browser: its sort, search and columns kept in the address (a reload
shows the same table), its row count, its box fitted to its rows, its column chooser by keyboard."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import create_app
from tests.browser.outils import verifier_page_saine

pytestmark = pytest.mark.browser

LIGNES = """
const grille = document.getElementById('tableau');
const compte = document.getElementById('tableau-compte');
if (!grille || !compte) { return {noms: [], valeurs: [], compte: ''}; }
const cellule = (ligne, col) => {
  const c = ligne.querySelector(`[col-id="${col}"]`);
  // textContent: a grid off screen is not rendered (content-visibility), its innerText is empty
  return c ? c.textContent.trim() : null;
};
const parIndex = (selecteur) => {
  const lignes = {};
  grille.querySelectorAll(selecteur + ' [role=row][row-index]').forEach(
    (l) => { lignes[l.getAttribute('row-index')] = l; });
  return Object.keys(lignes).map(Number).sort((a, b) => a - b).map((i) => lignes[i]);
};
const noms = parIndex('.ag-pinned-left-cols-container').map((l) => cellule(l, 'nom'));
const valeurs = parIndex('.ag-center-cols-container').map((l) => cellule(l, arguments[0]));
return {noms, valeurs, compte: compte.innerText};
"""


@pytest.fixture
def page(dash_duo, base_demo):
    dash_duo.start_server(create_app(base_demo))

    def ouvrir(query: str = ""):
        dash_duo.wait_for_page(url=f"{dash_duo.server_url}/{query}")
        _attendre(dash_duo, lambda: _tableau(dash_duo)["noms"] and _tableau(dash_duo)["compte"])
        return dash_duo

    return ouvrir


def _attendre(dash_duo, condition, delai: float = 20):
    WebDriverWait(dash_duo.driver, delai).until(lambda _d: condition())


def _tableau(dash_duo, colonne: str = "pass_distribues") -> dict:
    return dash_duo.driver.execute_script(LIGNES, colonne)


def _adresse(dash_duo) -> str:
    return dash_duo.driver.execute_script("return decodeURIComponent(window.location.search)")


def _nombre(texte: str) -> int:
    return int("".join(c for c in texte if c.isdigit()))


def _entete(dash_duo, colonne: str):
    return dash_duo.driver.find_element(By.CSS_SELECTOR, f"#tableau .ag-header-cell[col-id='{colonne}']")


def _cliquer_entete(dash_duo, colonne: str) -> None:
    libelle = _entete(dash_duo, colonne).find_element(By.CSS_SELECTOR, ".ag-header-cell-label")
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", libelle
    )
    libelle.click()


def test_tab101_tri_et_recherche_retrouves_apres_rechargement(page):
    d = page("?vue=territoires&niveau=departement")
    total = _nombre(_tableau(d)["compte"])
    assert _tableau(d)["compte"] == f"{total} départements" and total > 20
    _cliquer_entete(d, "pass_distribues")  # croissant
    _attendre(d, lambda: "tri=pass_distribues:asc" in _adresse(d))
    _cliquer_entete(d, "pass_distribues")  # décroissant
    _attendre(d, lambda: "tri=pass_distribues:desc" in _adresse(d))
    d.find_element("#tableau-recherche").send_keys("ar")
    _attendre(d, lambda: "recherche=ar" in _adresse(d) and "sur" in _tableau(d)["compte"])
    _attendre(d, lambda: len(_tableau(d)["noms"]) == _nombre(_tableau(d)["compte"].split(" sur ")[0]))
    avant = _tableau(d)
    trouves = _nombre(avant["compte"].split(" sur ")[0])
    assert avant["compte"] == f"{trouves} départements sur {total}" and 1 < trouves < total
    assert all("ar" in n.lower() for n in avant["noms"])  # "Ardèche", "Charente"… (no code holds "ar")
    distribues = [_nombre(v) if v != "—" else -1 for v in avant["valeurs"]]
    assert distribues == sorted(distribues, reverse=True) and distribues[0] > 0

    d.driver.get(d.driver.current_url)  # the same address, opened afresh
    _attendre(d, lambda: _tableau(d)["noms"] == avant["noms"])
    apres = _tableau(d)
    assert apres == avant
    assert d.find_element("#tableau-recherche").get_attribute("value") == "ar"
    assert _entete(d, "pass_distribues").get_attribute("aria-sort") == "descending"
    verifier_page_saine(d)


def _mesures(dash_duo) -> dict:
    return dash_duo.driver.execute_script(
        """
        const g = document.getElementById('tableau');
        const lignes = [...g.querySelectorAll('.ag-pinned-left-cols-container [role=row]')];
        return {boite: g.getBoundingClientRect().height,
                entete: g.querySelector('.ag-header').getBoundingClientRect().height,
                lignes: lignes.reduce((s, l) => s + l.getBoundingClientRect().height, 0),
                bas: Math.max(...lignes.map((l) => l.getBoundingClientRect().bottom)),
                fin: g.getBoundingClientRect().bottom};
        """
    )


def test_tab102_trois_lignes_une_boite_a_leur_taille(page):
    d = page("?region=52")  # Pays de la Loire: three laureates in the small demo
    assert _tableau(d)["compte"] == "3 lauréats"
    _attendre(d, lambda: len(_tableau(d)["noms"]) == 3)
    _attendre(
        d,
        lambda: d.driver.execute_script("return document.getElementById('tableau').style.height") != "560px",
    )
    mesures = _mesures(d)
    contenu = mesures["entete"] + mesures["lignes"]
    assert contenu - 2 <= mesures["boite"] <= contenu + 24, mesures  # a scrollbar's room at most
    assert mesures["boite"] < 260 and mesures["fin"] - mesures["bas"] < 26, mesures
    # a narrower window (headers wrapped to narrower columns): the box still fits its rows
    d.driver.set_window_size(1366, 768)
    d.driver.get(d.driver.current_url)
    _attendre(d, lambda: len(_tableau(d)["noms"]) == 3)
    _attendre(d, lambda: abs(_mesures(d)["boite"] - _mesures(d)["entete"] - _mesures(d)["lignes"]) <= 24)
    d.driver.set_window_size(1920, 1080)
    # many rows: a capped box that scrolls
    d.wait_for_page(url=f"{d.server_url}/?vue=territoires&niveau=epci")
    _attendre(d, lambda: _tableau(d)["compte"].endswith("EPCI"))
    _attendre(
        d,
        lambda: d.driver.execute_script("return document.getElementById('tableau').style.height") == "560px",
    )


def test_tab103_choix_des_colonnes_au_clavier_garde_dans_l_adresse(page):
    d = page()
    entetes = d.driver.execute_script(
        "return [...document.querySelectorAll('#tableau .ag-header-cell')].map(e => e.getAttribute('col-id'))"
    )
    assert entetes[:4] == ["nom", "taux_utilisation", "type", "region"] and "code" not in entetes
    bouton = d.find_element("#tableau-colonnes-bouton")
    bouton.send_keys(Keys.ENTER)
    _attendre(d, lambda: bouton.get_attribute("aria-expanded") == "true")
    case = d.find_element("#tableau-colonnes input[value='code']")
    _attendre(d, case.is_displayed)
    case.send_keys(Keys.SPACE)
    _attendre(d, lambda: "colonnes=" in _adresse(d) and "code" in _adresse(d).split("colonnes=")[1])
    _attendre(d, lambda: _tableau(d, "code")["valeurs"][:1] not in ([], [None]))
    siren = _tableau(d, "code")["valeurs"][0]
    assert len(siren) == 9 and siren.isdigit()
    d.driver.get(d.driver.current_url)
    _attendre(d, lambda: _tableau(d, "code")["valeurs"][:1] == [siren])
    verifier_page_saine(d)
