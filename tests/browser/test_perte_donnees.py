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
