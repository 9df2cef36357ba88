"""`/vigilance` in the real browser on the small demo: the ranked points with their links (and the block
on a laureate's page), an administrator who changes a threshold and sees the list change (checked,
confirmed, journaled), a reader who sees the rules and cannot change them — not even by a forged request."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait
from sqlalchemy import delete, insert, select

from dashboard import create_app
from dashboard.store import vigilance as store
from dashboard.store.comptes import journal
from dashboard.store.db import make_engine
from dashboard.store.schema import Comite
from tests.browser.outils import verifier_page_saine
from tests.conftest import copie_avec_comptes, port_libre
from tests.rappels import corps_rappel

pytestmark = pytest.mark.browser
MDP = "mot-de-passe-vigilance"
COMPTES = {"admin": ("admin@exemple.fr", None), "lecteur": ("lecteur@exemple.fr", None)}
POINTS = "#vigilance-liste > li"


@pytest.fixture
def base_comptes(base_demo, tmp_path):
    """A copy of the small demo per test (the administrator writes to it)."""
    return copie_avec_comptes(base_demo, tmp_path, COMPTES, MDP)


@pytest.fixture
def serveur(dash_duo, base_comptes):
    port = port_libre()
    app = create_app(replace(base_comptes, host="localhost", port=port))
    dash_duo.start_server(app, navigate=False, port=port)
    dash_duo._url = dash_duo.server.url
    dash_duo.app_vigilance = app
    return dash_duo


def _se_connecter(d, identifiant: str, page: str) -> None:
    d.driver.get(f"{d.server_url}{page}")
    WebDriverWait(d.driver, 20).until(lambda drv: drv.find_elements(By.ID, "identifiant"))
    d.driver.find_element(By.ID, "identifiant").send_keys(identifiant)
    champ = d.driver.find_element(By.ID, "mot_de_passe")
    champ.send_keys(MDP)
    champ.submit()
    WebDriverWait(d.driver, 30).until(lambda drv: drv.find_elements(By.ID, "vigilance-compte"))


def _appuyer(d, selecteur: str) -> None:
    """Press a button by keyboard (Enter), as someone without a mouse would."""
    bouton = d.find_element(selecteur)
    d.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", bouton)
    bouton.send_keys(Keys.ENTER)


def _nombre_de_points(d, attendu: int | None = None) -> int:
    if attendu is not None:
        WebDriverWait(d.driver, 20).until(
            lambda drv: len(drv.find_elements(By.CSS_SELECTOR, POINTS)) == attendu
        )
    return len(d.driver.find_elements(By.CSS_SELECTOR, POINTS))


def test_vig201_liste_classee_avec_ses_liens(serveur, base_comptes):
    d = serveur
    engine = make_engine(base_comptes.resolved_database_url)
    attendus = store.points(engine)
    _se_connecter(d, COMPTES["lecteur"][0], "/vigilance")
    WebDriverWait(d.driver, 20).until(lambda drv: drv.find_elements(By.CSS_SELECTOR, POINTS))
    assert "Vigilance" in [a.text for a in d.driver.find_elements(By.CSS_SELECTOR, "nav .nav-link")]
    premiers = d.driver.find_elements(By.CSS_SELECTOR, POINTS)
    assert len(premiers) == min(len(attendus), 50)
    assert f"{len(attendus)} points" in d.find_element("#vigilance-compte").text
    # In the order of the ranking, each with its rule, figure and link to its laureate.
    for li, p in zip(premiers[:5], attendus.head(5).itertuples(), strict=True):
        assert (li.get_attribute("data-regle"), li.get_attribute("data-siren")) == (p.regle, p.siren)
        assert p.chiffre in li.text and "Règle : " in li.text
        lien = li.find_element(By.CSS_SELECTOR, "a.vigilance-lien")
        assert lien.get_attribute("href").endswith(f"/porteur/{p.siren}") and lien.text == p.nom
    dernier = store.dernier_comite(engine)  # the demo's committees
    attendu = "Aucun comité enregistré" if dernier is None else f"Depuis le comité du {dernier:%d/%m/%Y}"
    assert attendu in d.find_element("#vigilance-comite").text
    verifier_page_saine(d)

    Select(d.find_element("#vigilance-regle")).select_by_value("entonnoir_incoherent")
    n = int((attendus["regle"] == "entonnoir_incoherent").sum())
    _nombre_de_points(d, n)
    WebDriverWait(d.driver, 10).until(
        lambda drv: drv.current_url.endswith("/vigilance?regle=entonnoir_incoherent")
    )
    siren = d.driver.find_element(By.CSS_SELECTOR, POINTS).get_attribute("data-siren")
    d.driver.find_element(By.CSS_SELECTOR, f"{POINTS} a.vigilance-lien").click()
    WebDriverWait(d.driver, 30).until(lambda drv: drv.find_elements(By.ID, "fiche-vigilance"))
    assert d.driver.current_url.endswith(f"/porteur/{siren}")
    bloc = d.find_element("#fiche-vigilance")
    assert "Points de vigilance" in bloc.text and "Données incohérentes" in bloc.text
    verifier_page_saine(d)


def test_vig202_un_administrateur_change_un_seuil_et_la_liste_change(serveur, base_comptes):
    d = serveur
    engine = make_engine(base_comptes.resolved_database_url)
    avant = int((store.points(engine)["regle"] == "utilisation_faible").sum())
    _se_connecter(d, COMPTES["admin"][0], "/vigilance?regle=utilisation_faible")
    assert _nombre_de_points(d, avant) == avant > 0
    champ = d.find_element('[id*="\\"parametre\\":\\"facteur\\""]')
    champ.clear()
    champ.send_keys("deux")
    _appuyer(d, "#vigilance-enregistrer")
    erreur = d.wait_for_element("#vigilance-erreur", timeout=20)
    assert erreur.text == "Facteur de la médiane (« Utilisation faible ») : « deux » n'est pas un nombre."
    assert not d.find_element("#vigilance-confirmation").is_displayed()

    champ.clear()
    champ.send_keys("0,9")
    _appuyer(d, "#vigilance-enregistrer")
    a_confirmer = d.wait_for_element("#vigilance-a-confirmer", timeout=20)
    assert "Utilisation faible : facteur de la médiane 0,5 → 0,9" in a_confirmer.text
    assert _nombre_de_points(d) == avant  # nothing written before the confirmation
    _appuyer(d, "#vigilance-confirmer")
    d.wait_for_element("#vigilance-enregistre", timeout=20)
    WebDriverWait(d.driver, 10).until(  # the rule said as now set (found again: it is drawn anew)
        lambda drv: (
            "inférieur à 0,9 fois la médiane"
            in drv.find_element(By.ID, "vigilance-regle-utilisation_faible").text
        )
    )
    apres = int((store.points(engine)["regle"] == "utilisation_faible").sum())
    assert apres > avant
    assert _nombre_de_points(d, apres) == apres
    entree = next(e for e in journal(engine) if e["action"] == "regle_vigilance_modifiee")
    assert entree["acteur"] == COMPTES["admin"][0] and entree["cible"] == "utilisation_faible"
    assert entree["details"]["apres"]["parametres"] == {"facteur": 0.9}
    verifier_page_saine(d)


def test_vig203_un_lecteur_voit_les_regles_sans_pouvoir_les_modifier(serveur, base_comptes):
    d = serveur
    engine = make_engine(base_comptes.resolved_database_url)
    comite = date(2023, 6, 30)
    # The only committee for this test (the demo's, later, are put back after it).
    with engine.begin() as connection:
        demo = connection.execute(select(Comite.__table__)).mappings().all()
        connection.execute(delete(Comite))
        connection.execute(insert(Comite).values(date=comite, cree_le=datetime.now(UTC), cree_par="test"))
    try:
        _lecteur_voit_les_regles(d, engine, comite)
    finally:
        with engine.begin() as connection:
            connection.execute(delete(Comite))
            if demo:
                connection.execute(insert(Comite), [dict(c) for c in demo])


def _lecteur_voit_les_regles(d, engine, comite):
    marques = store.avec_nouveaux(engine, store.evaluation(engine), comite)
    nouveaux = marques[marques["nouveau"]]
    assert len(nouveaux) >= 1
    _se_connecter(d, COMPTES["lecteur"][0], "/vigilance")
    pluriel = "nouveaux points" if len(nouveaux) > 1 else "nouveau point"
    assert (
        d.find_element("#vigilance-comite").text
        == f"Depuis le comité du 30/06/2023 : {len(nouveaux)} {pluriel}."
    )
    if d.find_element("#vigilance-tout").is_displayed():  # more than the first 50: show them all
        _appuyer(d, "#vigilance-tout")
    _nombre_de_points(d, len(marques))
    badges = d.driver.find_elements(By.XPATH, "//li[.//span[text()='Nouveau depuis le dernier comité']]")
    assert sorted(b.get_attribute("data-siren") for b in badges) == sorted(nouveaux["siren"])
    assert "lecture seule" in d.find_element("#vigilance-lecture-seule").text
    assert "Moins de 50 % de la subvention engagée" in d.find_element("#vigilance-regles").text
    assert not d.driver.find_elements(By.CSS_SELECTOR, "#vigilance-regles input")
    assert not d.driver.find_elements(By.ID, "vigilance-enregistrer")
    # A request forged in the reader's own session: refused by the server, nothing written.
    demandes = [{"cle": "utilisation_faible", "active": True, "parametres": {"facteur": 0.9}}]
    corps = corps_rappel(
        d.app_vigilance,
        "vigilance-version",
        {"vigilance-demandes.data": demandes, "vigilance-version.data": 0},
        declencheur="vigilance-confirmer",
        defaut=1,
    )
    statut = d.driver.execute_async_script(
        "const fini = arguments[arguments.length - 1];"
        "const jeton = document.cookie.split('; ').find(c => c.startsWith('_csrf_token=')).split('=')[1];"
        "fetch('/_dash-update-component', {method: 'POST', body: JSON.stringify(arguments[0]),"
        " headers: {'Content-Type': 'application/json', 'X-CSRFToken': jeton}}).then(r => fini(r.status));",
        corps,
    )
    assert statut == 403
    assert store.reglages(engine)["utilisation_faible"].parametres == {"facteur": 0.5}
    assert not [e for e in journal(engine) if e["action"] == "regle_vigilance_modifiee"]
