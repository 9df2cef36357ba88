"""/donnees in the browser (issue 17): after a real import through the page, loading a demo dataset is refused
by the server even with its name typed; the real import stays in the history."""

import pytest
from sqlalchemy import select

from dashboard import create_app
from dashboard.store.db import make_engine
from dashboard.store.schema import ImportLot
from tests.browser.outils import verifier_page_saine
from tests.browser.test_donnees import IMPORTS, _attendre_texte, _deposer, base_neuve  # noqa: F401

pytestmark = pytest.mark.browser


def test_sav020_demo_refusee_apres_un_import_reel_depuis_la_page(dash_duo, base_neuve):  # noqa: F811
    dash_duo.start_server(create_app(base_neuve))
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/donnees")
    _deposer(dash_duo, "syndicats", IMPORTS / "valides" / "syndicats.csv")
    _attendre_texte(dash_duo, "#donnees-rapport", "Fichier valide")
    dash_duo.find_element("#donnees-confirmer").click()
    _attendre_texte(dash_duo, "#donnees-rapport", "Import réalisé")

    dash_duo.find_element("#donnees-demo-confirmation").send_keys("national")
    dash_duo.driver.execute_script(
        "document.querySelector('#donnees-demo-echelle input[value=national]').click()"
    )
    dash_duo.find_element("#donnees-demo-charger").click()
    message = _attendre_texte(dash_duo, "#donnees-demo-resultat", "données réelles")
    assert "rien n'a été modifié" in message
    assert "syndicats.csv" in dash_duo.find_element("#donnees-historique").text
    with make_engine(base_neuve.resolved_database_url).connect() as connection:
        assert connection.execute(select(ImportLot.kind, ImportLot.demo)).all() == [("syndicats", False)]
    verifier_page_saine(dash_duo)


def test_sav021_deux_onglets_confirment_le_meme_fichier_un_seul_lot(dash_duo, base_neuve):  # noqa: F811
    """Two tabs validate the same file, then both confirm, one right after the other: exactly one lot; the
    other tab reads a French refusal."""
    import contextlib

    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    dash_duo.start_server(create_app(base_neuve))
    onglets = []
    for numero in range(2):
        if numero:
            dash_duo.driver.switch_to.new_window("tab")
            dash_duo.driver.get(f"{dash_duo.server_url}/donnees")
        else:
            dash_duo.wait_for_page(url=f"{dash_duo.server_url}/donnees")
        onglets.append(dash_duo.driver.current_window_handle)
        _deposer(dash_duo, "syndicats", IMPORTS / "valides" / "syndicats.csv")
        _attendre_texte(dash_duo, "#donnees-rapport", "Fichier valide")
        WebDriverWait(dash_duo.driver, 10).until(
            lambda _d: dash_duo.find_element("#donnees-confirmer").is_enabled()
        )
    for onglet in onglets:
        dash_duo.driver.switch_to.window(onglet)
        dash_duo.driver.execute_script("document.getElementById('donnees-confirmer').click()")
    # Dash gives two identical confirmations one background job (same cache key): then only one tab
    # receives its answer. Either way the database must hold one lot.
    mots = ("Import réalisé", "refusé", "plus en attente", "déjà importé")
    textes = {}

    def reponses(_driver) -> int:
        for onglet in onglets:
            dash_duo.driver.switch_to.window(onglet)
            texte = dash_duo.find_element("#donnees-rapport").text
            if any(mot in texte for mot in mots):
                textes[onglet] = texte
        return len(textes)

    WebDriverWait(dash_duo.driver, 60, poll_frequency=0.5).until(reponses)
    with contextlib.suppress(TimeoutException):  # the other tab, if it gets an answer of its own
        WebDriverWait(dash_duo.driver, 8, poll_frequency=0.5).until(lambda d: reponses(d) == len(onglets))
    assert sum("Import réalisé" in t for t in textes.values()) == 1, textes
    assert all("Traceback" not in t for t in textes.values())
    with make_engine(base_neuve.resolved_database_url).connect() as connection:
        assert connection.execute(select(ImportLot.kind)).all() == [("syndicats",)]
