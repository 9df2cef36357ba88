"""The accessibility statement `/accessibilite` on the server: a legal page, readable without an account
(its page, the Dash shell and the routing to it, nothing else), rendered from the registry, linked from
the footer of every page."""

import json
from dataclasses import replace

import pytest

from dashboard import create_app
from dashboard.domain import accessibilite as a11y
from dashboard.domain.formatage import pourcentage
from tests.rappels import corps_de

RAPPEL = "/_dash-update-component"


@pytest.fixture(scope="module")
def app(base_demo):
    # No local demo account: what `passnum serve` runs (every visitor must sign in but for public paths).
    return create_app(replace(base_demo, compte_local=False))


def _routage(app, chemin: str) -> dict:
    cle = next(k for k in app.callback_map if k.startswith(".._pages_content"))
    corps = corps_de(cle, app.callback_map[cle])
    corps["inputs"] = [
        {"id": "_pages_location", "property": "pathname", "value": chemin},
        {"id": "_pages_location", "property": "search", "value": ""},
    ]
    corps["state"] = []
    return corps


def _visiteur(app):
    visiteur = app.server.test_client()
    assert visiteur.get("/accessibilite").status_code == 200  # the page, without an account
    visiteur.environ_base["HTTP_X_CSRFTOKEN"] = visiteur.get_cookie("_csrf_token").value
    return visiteur


def test_rga110_declaration_lisible_sans_compte(app):
    visiteur = _visiteur(app)
    assert visiteur.get("/_dash-layout").status_code == 200
    assert visiteur.get("/_dash-dependencies").status_code == 200
    reponse = visiteur.post(RAPPEL, json=_routage(app, "/accessibilite"))
    assert reponse.status_code == 200
    texte = reponse.get_data(as_text=True)
    assert "Déclaration d'accessibilité" in texte and a11y.CONTACT in texte


@pytest.mark.parametrize("chemin", ["/", "/donnees", "/methodologie", "/territoire/departement/29"])
def test_rga111_rien_d_autre_sans_compte(app, chemin):
    visiteur = _visiteur(app)
    assert visiteur.get(chemin).status_code == 302  # to the sign-in page
    assert visiteur.post(RAPPEL, json=_routage(app, chemin)).status_code == 401
    autre = next(k for k in app.callback_map if "carte.figure" in k)
    assert visiteur.post(RAPPEL, json=corps_de(autre, app.callback_map[autre])).status_code == 401
    sans_csrf = app.server.test_client()
    sans_csrf.get("/accessibilite")
    assert sans_csrf.post(RAPPEL, json=_routage(app, "/accessibilite")).status_code == 401


def test_rga112_la_page_dit_le_registre(app):
    reponse = _visiteur(app).post(RAPPEL, json=_routage(app, "/accessibilite"))
    texte = json.dumps(reponse.get_json(), ensure_ascii=False)  # Dash escapes "/" as \u002f
    assert pourcentage(a11y.taux_conformite()) in texte
    for critere in a11y.non_conformites():
        assert critere.non_conformite in texte and critere.contournement in texte
    for _, chemin in a11y.PAGES_AUDITEES:
        assert chemin in texte
    assert "Défenseur des droits" in texte
    for test in a11y.tests_cites():
        assert test in texte


def test_rga113_lien_vers_la_declaration_dans_le_pied_de_chaque_page(app):
    texte = json.dumps(_visiteur(app).get("/_dash-layout").get_json(), ensure_ascii=False)
    assert '"href": "/accessibilite"' in texte
    assert f"Accessibilité : {a11y.ETAT}" in texte
