"""Callback bodies are sized by the callback they name, read from the body's first bytes: the real Dash
renderer's upload (a file past the 1 MB limit of every other callback) still reaches the server."""

import pytest

from dashboard import create_app
from dashboard.web.acces.regles import TAILLE_MAX_REQUETE
from tests.browser.outils import verifier_page_saine
from tests.browser.test_donnees import IMPORTS, _attendre_texte, _deposer, base_neuve  # noqa: F401

pytestmark = pytest.mark.browser


def test_lim101_un_depot_de_plus_d_un_mo_passe_par_le_navigateur(dash_duo, base_neuve, tmp_path):  # noqa: F811
    lignes = (IMPORTS / "valides" / "syndicats.csv").read_text(encoding="utf-8").splitlines()
    gros = tmp_path / "syndicats-gros.csv"
    corps = "\n".join(lignes[1:]) + "\n"
    gros.write_text(lignes[0] + "\n" + corps * (TAILLE_MAX_REQUETE // len(corps) + 2), encoding="utf-8")
    assert gros.stat().st_size > TAILLE_MAX_REQUETE
    dash_duo.start_server(create_app(base_neuve))
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/donnees")
    dash_duo.wait_for_text_to_equal("h1", "Données", timeout=20)
    _deposer(dash_duo, "syndicats", gros)
    rapport = _attendre_texte(dash_duo, "#donnees-rapport", "Fichier")  # a report, not a 413
    assert "Fichier valide" in rapport or "Fichier refusé" in rapport
    verifier_page_saine(dash_duo)
