"""PASSNUM_PUBLIC=1: the national map, territory and laureate pages, the methodology and the accessibility
statement open without an account, read-only; nothing else does (no import, no administration, no
breakdown by structure or place, no committee notes, no vigilance). Without it, nothing changes."""

from __future__ import annotations

import base64
import json
from dataclasses import replace

import pytest

from dashboard import create_app
from dashboard.domain.droits import EXPORTS_RESERVES, page_publique
from tests.conftest import copie_avec_comptes
from tests.integration.test_acces import COMPTES, MDP, _routage, rappels_serveur
from tests.rappels import corps_de, corps_rappel

FERMEES = ("/donnees", "/vigilance", "/calendrier", "/comparer", "/presentation", "/notes")


@pytest.fixture(scope="module")
def settings_prive(base_demo, tmp_path_factory):
    return copie_avec_comptes(base_demo, tmp_path_factory.mktemp("public"), COMPTES, MDP)


@pytest.fixture(scope="module")
def app_publique(settings_prive):
    app = create_app(replace(settings_prive, public=True))
    app.server.test_client().get("/sante")
    return app


@pytest.fixture
def visiteur(app_publique):
    client = app_publique.server.test_client()
    assert client.get("/").status_code == 200
    client.environ_base["HTTP_X_CSRFTOKEN"] = client.get_cookie("_csrf_token").value
    return client


def _page(app, client, chemin: str, recherche: str = "") -> tuple[int, str]:
    reponse = client.post("/_dash-update-component", json=_routage(app, chemin, recherche))
    return reponse.status_code, reponse.get_data(as_text=True)


def test_pub001_pages_publiques_ouvertes_le_reste_vers_la_connexion(app_publique, visiteur):
    for chemin in ("/", "/territoire/departement/29", "/methodologie", "/accessibilite"):
        assert visiteur.get(chemin).status_code == 200, chemin
        statut, contenu = _page(app_publique, visiteur, chemin)
        assert statut == 200, (chemin, contenu[:300])
    statut, contenu = _page(app_publique, visiteur, "/territoire/departement/29")
    assert "Finistère" in contenu
    for chemin in FERMEES:
        reponse = visiteur.get(chemin)
        assert reponse.status_code == 302 and reponse.headers["Location"].startswith("/connexion"), chemin
        assert _page(app_publique, visiteur, chemin)[0] == 403, chemin


def test_pub002_seuls_les_rappels_de_lecture_des_pages_publiques(app_publique, visiteur):
    ouverts = []
    for cle, rappel in rappels_serveur(app_publique).items():
        if cle.startswith((".._pages_content", "_pages_")):
            continue
        statut = visiteur.post("/_dash-update-component", json=corps_de(cle, rappel)).status_code
        if getattr(rappel["callback"], "public", False):
            assert statut != 403, cle
            ouverts.append(cle)
        else:
            assert statut == 403, cle
    # The national map answers a visitor: its view callback is among them; no writing callback is.
    assert any("carte.figure" in cle for cle in ouverts)
    assert not any(getattr(rappels_serveur(app_publique)[c]["callback"], "permission", None) for c in ouverts)


def test_pub003_la_carte_nationale_repond_au_visiteur(app_publique, visiteur):
    corps = corps_rappel(
        app_publique, "carte.figure", {"national-url.search": "?niveau=departement"}, defaut=None
    )
    reponse = visiteur.post("/_dash-update-component", json=corps)
    assert reponse.status_code == 200, reponse.get_data(as_text=True)[:300]
    texte = reponse.get_data(as_text=True)
    assert '"kpis"' in texte


def test_pub004_fiche_sans_detail_par_structure_ni_notes(app_publique, visiteur):
    _statut, contenu = _page(app_publique, visiteur, "/territoire/departement/29")
    assert "Structures distributrices" not in contenu and "Lieux de médiation" not in contenu
    assert "fiche-notes" not in contenu and "Points de vigilance" not in contenu
    assert "Comparer avec des pairs" not in contenu and "Voir sur la carte" in contenu
    assert 'id": "kpis"' in contenu or '"id":"kpis"' in contenu.replace(" ", "")
    bouton = {"type": "export", "page": "fiche", "format": "csv"}

    def exporter(nom: str):
        corps = corps_rappel(
            app_publique,
            "fiche-telechargement",
            {"fiche-id.data": "departement:29"},
            declencheur=({**bouton, "nom": nom}, "n_clicks"),
            composants=[({**bouton, "nom": nom}, "n_clicks", 1)],
        )
        return visiteur.post("/_dash-update-component", json=corps)

    reponse = exporter("pairs")
    assert reponse.status_code == 200
    fichier = reponse.get_json()["response"]["fiche-telechargement"]["data"]
    assert "Finistère" in base64.b64decode(fichier["content"]).decode("utf-8-sig")
    for nom in EXPORTS_RESERVES:
        reponse = exporter(nom)
        texte = json.dumps(reponse.get_json(), ensure_ascii=False)
        assert "filename" not in texte and "réservé aux agents connectés" in texte, nom


def test_pub005_le_visiteur_voit_l_acces_public_et_se_connecter(app_publique, visiteur):
    texte = visiteur.get("/_dash-layout").get_data(as_text=True)
    assert "Accès public — lecture seule" in texte and "Se connecter" in texte
    assert '"/donnees"' not in texte and '"/vigilance"' not in texte


def test_pub006_sans_passnum_public_rien_ne_s_ouvre(settings_prive):
    app = create_app(settings_prive)
    client = app.server.test_client()
    for chemin in ("/", "/territoire/departement/29", "/methodologie"):
        reponse = client.get(chemin)
        assert reponse.status_code == 302 and reponse.headers["Location"].startswith("/connexion"), chemin
    assert page_publique("/territoire/departement/29") and not page_publique("/territoire/x/y/z")


def test_pub007_les_notes_du_comite_ne_sortent_pas_en_public(app_publique, visiteur, settings_prive):
    """A national note and a note of the Finistère: on the visitor's charts and PNG/CSV, neither."""
    from dashboard.store import comites
    from dashboard.store.db import make_engine

    engine = make_engine(settings_prive.resolved_database_url)
    secret_national, secret_29 = "Note interne nationale 7731", "Note interne du Finistère 7732"
    comites.ajouter_note(engine, "national", None, "2022-06-15", secret_national, "test")
    comites.ajouter_note(engine, "departement", "29", "2022-06-15", secret_29, "test")
    corps = corps_rappel(app_publique, "carte.figure", {"national-url.search": ""}, defaut=None)
    reponse = visiteur.post("/_dash-update-component", json=corps)
    assert reponse.status_code == 200 and secret_national not in reponse.get_data(as_text=True)
    _statut, contenu = _page(app_publique, visiteur, "/territoire/departement/29")
    assert secret_29 not in contenu and "Finistère" in contenu
    _statut, accueil = _page(app_publique, visiteur, "/")  # the national page itself, not only its chart
    assert secret_national not in accueil and "notes-comite" not in accueil and '"carte"' in accueil
    # The same requests from an account show them: the notes are there, only hidden from the public.
    from tests.integration.test_acces import connecter

    admin = connecter(app_publique, COMPTES["admin"][0])
    assert secret_national in admin.post("/_dash-update-component", json=corps).get_data(as_text=True)
    assert secret_29 in _page(app_publique, admin, "/territoire/departement/29")[1]
    assert secret_national in _page(app_publique, admin, "/")[1]


def test_pub008_chaque_adresse_son_budget_d_exports(app_publique):
    """Visitors do not share one PNG budget: one address spending it does not block the others."""
    from dashboard.domain.droits import VISITEUR_PUBLIC
    from dashboard.web.presentation_pdf import cle_d_export

    cles = set()
    for adresse in ("192.0.2.1", "192.0.2.2"):
        with app_publique.server.test_request_context("/", environ_base={"REMOTE_ADDR": adresse}):
            cles.add(cle_d_export(VISITEUR_PUBLIC))
    assert len(cles) == 2 and "local" not in cles
