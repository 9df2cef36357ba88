"""Access control through the WSGI server: every route and every callback, without a session, with each
role, with a tampered cookie and tampered payloads; sign-in, throttling, CSRF, briefing links, security
headers, and no traceback ever sent."""

from __future__ import annotations

import json
import re
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlsplit

import pytest
from sqlalchemy import func, select

from dashboard import create_app
from dashboard.domain.droits import PERMISSIONS
from dashboard.settings import ROOT
from dashboard.store import comptes
from dashboard.store.db import make_engine
from dashboard.store.schema import Commande, FichierEnAttente, JournalAudit, Porteur
from dashboard.web.acces.jetons import Jetons
from dashboard.web.acces.mots_de_passe import hacher
from dashboard.web.acces.regles import COQUE_DASH
from tests.conftest import client_rappels, copie_avec_comptes
from tests.rappels import cle_rappel, corps_de, corps_rappel

MDP = "mot-de-passe-de-test-solide"
COMPTES = {
    "admin": ("admin@exemple.fr", None),
    "coordinateur": ("coord@exemple.fr", "53"),  # Bretagne
    "lecteur": ("lecteur@exemple.fr", None),
}
INJECTIONS = (
    "'; DROP TABLE porteur; --",
    "1' OR '1'='1",
    '=HYPERLINK("http://x.invalid","clic")',
    "@SUM(A1)",
)
DECHETS = (None, 0, -1, True, 1e308, "x" * 20_000, [], {}, {"a": [1, {"b": None}]}, [[[[]]]], *INJECTIONS)


@pytest.fixture(scope="module")
def settings(base_demo, tmp_path_factory):
    """A copy of the demo database, with accounts, and the local demo account switched off."""
    return copie_avec_comptes(base_demo, tmp_path_factory.mktemp("acces"), COMPTES, MDP)


@pytest.fixture(scope="module")
def app(settings):
    app = create_app(settings)
    app.server.test_client().get("/sante")  # Dash completes its callback map at the first request
    return app


@pytest.fixture(scope="module")
def engine(settings):
    return make_engine(settings.resolved_database_url)


def connecter(app, identifiant: str, mot_de_passe: str = MDP, adresse: str = "127.0.0.1"):
    client = app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = adresse
    reponse = _poster_connexion(client, identifiant, mot_de_passe)
    assert reponse.status_code == 303, reponse.get_data(as_text=True)[:500]
    client.environ_base["HTTP_X_CSRFTOKEN"] = client.get_cookie("_csrf_token").value
    return client


def _poster_connexion(client, identifiant: str, mot_de_passe: str, suivant: str = "/"):
    page = client.get("/connexion").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    donnees = {"csrf": csrf, "identifiant": identifiant, "mot_de_passe": mot_de_passe, "suivant": suivant}
    return client.post("/connexion", data=donnees)


@pytest.fixture(scope="module")
def clients(app):
    return {role: connecter(app, identifiant) for role, (identifiant, _r) in COMPTES.items()}


# --- Payloads built from each callback's declaration ---------------------------------------------------


def rappels_serveur(app) -> dict[str, dict]:
    return {cle: r for cle, r in app.callback_map.items() if "callback" in r}


def permission(rappel: dict) -> str:
    return getattr(rappel["callback"], "permission", "lire")


# --- Routes -------------------------------------------------------------------------------------------


def _exemples_de_routes(app) -> list[str]:
    chemins = []
    for regle in app.server.url_map.iter_rules():
        chemin = re.sub(
            r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: {"path": "carte"}.get(m.group(1), "x"), regle.rule
        )
        chemins.append(chemin)
    return chemins


def test_acc001_sans_session_aucune_route_ne_montre_de_donnees(app):
    client = app.server.test_client()
    vus = 0
    for chemin in _exemples_de_routes(app):
        if chemin.startswith(
            ("/connexion", "/assets/", "/_dash-component-suites/", "/statique/", "/_favicon.ico", "/sante")
        ):
            continue
        for methode in ("GET", "POST"):
            reponse = client.open(chemin, method=methode)
            vus += 1
            if methode == "GET" and chemin in COQUE_DASH:  # the frame of /accessibilite: no programme data
                assert reponse.status_code == 200 and "Finistère" not in reponse.get_data(as_text=True)
                continue
            assert reponse.status_code in (302, 401, 403, 405), (methode, chemin, reponse.status_code)
            if reponse.status_code == 302:
                assert reponse.headers["Location"].startswith("/connexion?suivant=")
            assert "Traceback" not in reponse.get_data(as_text=True)
    assert vus >= 20
    for chemin in (
        "/",
        "/donnees",
        "/territoire/departement/29",
        "/comparer?ids=departement:29",
        "/presentation",
        "/presentation.pdf",
    ):
        reponse = client.get(chemin)
        assert reponse.status_code in (302, 401), chemin
        assert "Finistère" not in reponse.get_data(as_text=True)


def test_acc002_pages_publiques_sans_donnees(app):
    client = app.server.test_client()
    assert client.get("/sante").get_json() == {"etat": "ok"}
    page = client.get("/connexion")
    assert page.status_code == 200 and 'name="mot_de_passe"' in page.get_data(as_text=True)
    assert client.get("/assets/02-theme.css").status_code == 200


@pytest.mark.parametrize("role", ["admin", "coordinateur", "lecteur"])
def test_acc003_chaque_role_lit_les_pages(clients, role):
    client = clients[role]
    for chemin in (
        "/",
        "/donnees",
        "/territoire/departement/29",
        "/comparer?ids=departement:29,departement:56",
        "/methodologie",
        "/presentation",
        "/_dash-layout",
        "/_dash-dependencies",
    ):
        assert client.get(chemin).status_code == 200, chemin
    disposition = client.get("/_dash-layout").get_data(as_text=True)
    assert "Se déconnecter" in disposition and "Compte local" not in disposition


# --- Callbacks ----------------------------------------------------------------------------------------


def test_acc004_sans_session_chaque_rappel_est_refuse(app):
    client = client_rappels(app)  # a CSRF token but no session: refused for want of an account
    rappels = rappels_serveur(app)
    assert len(rappels) >= 14  # every server callback of every page (clientside ones never reach it)
    for cle, rappel in rappels.items():
        reponse = client.post("/_dash-update-component", json=corps_de(cle, rappel))
        assert reponse.status_code == 401, cle


@pytest.mark.parametrize("role", ["admin", "coordinateur", "lecteur"])
def test_acc005_chaque_rappel_selon_le_role(app, clients, role):
    client = clients[role]
    refuses, permis = [], []
    for cle, rappel in rappels_serveur(app).items():
        if rappel.get("background"):
            continue  # their jobs are exercised below, with real files
        reponse = client.post("/_dash-update-component", json=corps_de(cle, rappel))
        attendu_permis = permission(rappel) in PERMISSIONS[role]
        if attendu_permis:
            assert reponse.status_code in (200, 204), (cle, reponse.status_code, reponse.get_data()[:300])
            permis.append(cle)
        else:
            assert reponse.status_code == 403, cle
            refuses.append(cle)
    assert permis
    partage = next(k for k in rappels_serveur(app) if k.startswith("presentation-partage-lien"))
    assert (partage in refuses) == (role == "lecteur")


@pytest.mark.parametrize("role", ["coordinateur", "lecteur"])
def test_acc006_rappels_d_ecriture_refuses_sans_la_permission(app, clients, role):
    """The demo-data load (admin only) and, for a viewer, the uploads: 403 before any job starts."""
    client = clients[role]
    for cle, rappel in rappels_serveur(app).items():
        if permission(rappel) in PERMISSIONS[role]:
            continue
        reponse = client.post(
            "/_dash-update-component", json=corps_de(cle, rappel, "data:text/csv;base64,eA==")
        )
        assert reponse.status_code == 403, cle
        assert "cacheKey" not in reponse.get_data(as_text=True)


def test_acc007_session_falsifiee_vaut_absence_de_session(app):
    client = connecter(app, COMPTES["lecteur"][0])
    vraie = client.get_cookie("passnum_session").value
    contenu, _, signature = vraie.rpartition(".")
    falsifiees = [
        contenu + "." + ("A" if signature[0] != "A" else "B") + signature[1:],  # signature changed
        vraie.replace(vraie.split(".")[0], "eyJ1IjoxLCJnIjoxLCJjIjoieCJ9"),  # {"u":1,…}: another account
        "",
        "x" * 4000,
        "eyJ1IjoxfQ",
    ]
    for valeur in falsifiees:
        client.set_cookie("passnum_session", valeur)
        assert client.get("/").status_code == 302
        cle, rappel = next(iter(rappels_serveur(app).items()))
        assert client.post("/_dash-update-component", json=corps_de(cle, rappel)).status_code in (401, 403)
    client.set_cookie("passnum_session", vraie)
    assert client.get("/").status_code == 200


def test_acc008_charges_utiles_falsifiees_jamais_500(app, clients):
    """Random JSON, wrong types, injection strings and oversized bodies: 4xx or a callback that keeps the
    page as it was, never a 500, never a traceback."""
    client = clients["admin"]
    rappels = {k: r for k, r in rappels_serveur(app).items() if not r.get("background")}
    vus = 0
    for cle, rappel in rappels.items():
        for dechet in DECHETS:
            reponse = client.post("/_dash-update-component", json=corps_de(cle, rappel, dechet))
            vus += 1
            assert reponse.status_code in (200, 204, 400), (cle, dechet, reponse.status_code)
            assert "Traceback" not in reponse.get_data(as_text=True)
    assert vus >= 150
    cle, rappel = next(iter(rappels.items()))
    deformes = [
        [],
        "texte",
        42,
        None,
        {"output": 3},
        {"output": "inconnu.children"},
        {"output": cle, "inputs": "pas une liste"},
        {"output": cle, "inputs": [{"id": "autre", "property": "x"}]},
        {**corps_de(cle, rappel), "changedPropIds": [1, 2]},
        {**corps_de(cle, rappel), "state": [{}] * 50},
    ]
    for deforme in deformes:
        reponse = client.post("/_dash-update-component", json=deforme)
        assert reponse.status_code == 400, deforme
    for brut in ("{", "[" * 100_000 + "]" * 100_000, "\x00\xff", "nan"):
        reponse = client.post("/_dash-update-component", data=brut, content_type="application/json")
        assert reponse.status_code == 400, brut[:20]


def test_acc009_taille_des_rappels_bornee_selon_le_role(app, clients):
    gros = json.dumps({"output": "x", "bourrage": "x" * (3 * 1024 * 1024)})
    lecteur = clients["lecteur"].post("/_dash-update-component", data=gros, content_type="application/json")
    assert lecteur.status_code == 413
    admin = clients["admin"].post("/_dash-update-component", data=gros, content_type="application/json")
    assert admin.status_code == 413  # may upload a large file, but only to the upload callback


def test_acc010_csrf_exige_sur_chaque_post(app, clients):
    client = clients["admin"]
    cle = cle_rappel(app, "tableau.getRowsResponse")
    rappel = rappels_serveur(app)[cle]
    jeton = client.environ_base.pop("HTTP_X_CSRFTOKEN")
    try:
        assert client.post("/_dash-update-component", json=corps_de(cle, rappel)).status_code == 403
        reponse = client.post(
            "/_dash-update-component", json=corps_de(cle, rappel), headers={"X-CSRFToken": jeton[::-1]}
        )
        assert reponse.status_code == 403
        assert client.post("/deconnexion").status_code == 403  # no token in the form: still signed in
        assert client.get("/").status_code == 200
    finally:
        client.environ_base["HTTP_X_CSRFTOKEN"] = jeton
    sans_jeton = app.server.test_client()
    formulaire = sans_jeton.post("/connexion", data={"identifiant": COMPTES["admin"][0], "mot_de_passe": MDP})
    assert formulaire.status_code == 400 and "Formulaire expiré" in formulaire.get_data(as_text=True)
    assert sans_jeton.get("/").status_code == 302  # not signed in


# --- Sign-in ------------------------------------------------------------------------------------------


def test_acc011_connexion_echecs_puis_blocage(app, engine):
    comptes.ajouter_compte(engine, "essais@exemple.fr", "Essais", "lecteur", hacher(MDP), None, "test")
    client = app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    for _ in range(comptes.ECHECS_MAX_COMPTE):
        reponse = _poster_connexion(client, "essais@exemple.fr", "mauvais-mot-de-passe")
        assert reponse.status_code == 401
        assert "Identifiant ou mot de passe incorrect" in reponse.get_data(as_text=True)
    bloque = _poster_connexion(client, "essais@exemple.fr", MDP)  # the right password, too late
    assert bloque.status_code == 429 and "Trop de tentatives" in bloque.get_data(as_text=True)
    assert client.get("/").status_code == 302
    with engine.connect() as connection:
        actions = connection.scalars(
            select(JournalAudit.action).where(JournalAudit.acteur == "essais@exemple.fr")
        ).all()
    assert actions.count("connexion_refusee") == comptes.ECHECS_MAX_COMPTE and "connexion_bloquee" in actions


def test_acc012_blocage_par_adresse_et_delai(engine):
    moment = datetime.now(UTC)
    for i in range(comptes.ECHECS_MAX_ADRESSE):
        comptes.noter_tentative(engine, f"inconnu{i}@exemple.fr", "10.9.9.9", reussie=False)
    attente = comptes.attente_avant_essai(engine, "autre@exemple.fr", "10.9.9.9", moment)
    assert 0 < attente <= comptes.FENETRE.total_seconds() + 1
    plus_tard = moment + comptes.FENETRE + timedelta(minutes=1)
    assert comptes.attente_avant_essai(engine, "autre@exemple.fr", "10.9.9.9", plus_tard) == 0
    assert comptes.attente_avant_essai(engine, "autre@exemple.fr", "10.9.9.8", moment) == 0


def test_acc013_compte_desactive_perd_sa_session(app, engine):
    comptes.ajouter_compte(engine, "partant@exemple.fr", "Partant", "admin", hacher(MDP), None, "test")
    client = connecter(app, "partant@exemple.fr")
    assert client.get("/donnees").status_code == 200
    comptes.changer_activation(engine, "partant@exemple.fr", False, "test")
    assert client.get("/donnees").status_code == 302
    assert _poster_connexion(app.server.test_client(), "partant@exemple.fr", MDP).status_code == 401


def test_acc014_redirection_apres_connexion_reste_sur_le_site(app):
    for suivant, attendu in (
        ("/territoire/departement/29?x=1", "/territoire/departement/29?x=1"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ):
        client = app.server.test_client()
        reponse = _poster_connexion(client, COMPTES["lecteur"][0], MDP, suivant)
        assert reponse.status_code == 303 and reponse.headers["Location"] == attendu, suivant


def test_acc015_deconnexion(app, engine):
    comptes.ajouter_compte(engine, "sortant@exemple.fr", "Sortant", "lecteur", hacher(MDP), None, "test")
    client = connecter(app, "sortant@exemple.fr")
    page = client.get("/_dash-layout").get_data(as_text=True)
    csrf = re.search(r'"name":\s*"csrf",\s*"type":\s*"hidden",\s*"value":\s*"([^"]+)"', page) or re.search(
        r'"value":\s*"([^"]+)"[^}]*"name":\s*"csrf"', page
    )
    jeton = client.get_cookie("_csrf_token").value
    assert csrf is None or csrf.group(1) == jeton
    reponse = client.post("/deconnexion", data={"csrf": jeton})
    assert reponse.status_code == 303 and reponse.headers["Location"] == "/connexion?fin=1"
    assert client.get("/").status_code == 302


# --- Imports: a coordinator, their région only, however the request is forged -------------------------


def _porteur_hors_bretagne(engine) -> str:
    with engine.connect() as connection:
        return connection.scalar(
            select(Porteur.siren).where(
                Porteur.type == "CD", Porteur.code_territoire.in_(["29", "35"]).is_(False)
            )
        )


def _rappel_en_tache(client, corps_: dict, delai_s: float = 90) -> dict:
    """A background callback as Dash's renderer drives it: start the job, then poll it until done."""
    reponse = client.post("/_dash-update-component", json=corps_)
    assert reponse.status_code == 200, reponse.get_data(as_text=True)[:300]
    poignees = reponse.get_json()
    adresse = f"/_dash-update-component?cacheKey={quote(poignees['cacheKey'])}&job={quote(poignees['job'])}"
    fin = time.monotonic() + delai_s
    while time.monotonic() < fin:
        reponse = client.post(adresse, json=corps_)
        assert reponse.status_code in (200, 204), reponse.status_code
        donnees = reponse.get_json(silent=True) or {}
        if "response" in donnees:
            return donnees["response"]
        time.sleep(0.3)
    raise AssertionError("la tâche n'a pas fini à temps")


def _texte(composant) -> str:
    return json.dumps(composant, ensure_ascii=False)


def _deposer(app, client, contenu: bytes, nom: str = "commandes.csv", kind: str = "commandes"):
    """The upload as the page sends it: the file kept for the account, and the reference it gets back."""
    import base64

    depot = corps_rappel(
        app,
        "donnees-depot.data",
        {
            "donnees-upload.contents": "data:text/csv;base64," + base64.b64encode(contenu).decode(),
            "donnees-upload.filename": nom,
            "donnees-kind.value": kind,
            "donnees-remplacer.value": False,
        },
    )
    reponse = client.post("/_dash-update-component", json=depot)
    assert reponse.status_code == 200, reponse.get_data(as_text=True)[:300]
    return reponse.get_json()["response"]["donnees-depot"]["data"]


def corps_valider(app, reference) -> dict:
    return corps_rappel(app, "donnees-fichier.data", {"donnees-depot.data": reference})


def test_acc016_coordinateur_n_importe_que_pour_sa_region(app, clients, engine, settings):
    import hashlib

    from dashboard.ingest.depot import mettre_en_attente

    rappels = rappels_serveur(app)
    cle_confirmer = next(k for k, r in rappels.items() if r["inputs"][0]["id"] == "donnees-confirmer")
    siren = _porteur_hors_bretagne(engine)
    contenu = f"siren_porteur;date_commande;nb_carnets;pass_par_carnet\n{siren};15/01/2021;3;10\n".encode()
    with engine.connect() as connection:
        avant = connection.scalar(select(func.count()).select_from(Commande))

    coordinateur = clients["coordinateur"]
    reference = _deposer(app, coordinateur, contenu)
    reponse = _rappel_en_tache(coordinateur, corps_valider(app, reference))
    rapport = _texte(reponse["donnees-rapport"]["children"])
    assert "Fichier refusé" in rapport and "hors de votre région (Bretagne)" in rapport
    assert reponse["donnees-fichier"]["data"] is None

    # The refused file is not kept; forge its pending copy, then a confirmation naming it: the job checks
    # the région again and writes nothing.
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(FichierEnAttente)) == 0
    import base64

    mettre_en_attente(
        engine,
        "data:text/csv;base64," + base64.b64encode(contenu).decode(),
        "commandes.csv",
        "commandes",
        False,
        COMPTES["coordinateur"][0],
    )

    forge = corps_de(cle_confirmer, rappels[cle_confirmer], 1)
    forge["state"] = [
        {
            "id": "donnees-fichier",
            "property": "data",
            "value": {
                "empreinte": hashlib.sha256(contenu).hexdigest(),
                "extension": ".csv",
                "nom": "commandes.csv",
                "kind": "commandes",
                "remplacer": False,
            },
        },
        {"id": "donnees-remplacer-confirmation", "property": "value", "value": None},
    ]
    reponse = _rappel_en_tache(coordinateur, forge)
    assert "hors de votre région (Bretagne)" in _texte(reponse)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Commande)) == avant
        refus = connection.scalars(
            select(JournalAudit.details).where(
                JournalAudit.acteur == COMPTES["coordinateur"][0], JournalAudit.action == "import_refuse"
            )
        ).all()
    assert refus and json.loads(refus[-1])["region"] == "53"

    # The same file from a national admin is accepted.
    reference_admin = _deposer(app, clients["admin"], contenu)
    reponse = _rappel_en_tache(clients["admin"], corps_valider(app, reference_admin))
    assert "Fichier valide" in _texte(reponse["donnees-rapport"]["children"])


def test_acc017_confirmation_forgee_ne_designe_aucun_autre_fichier(app, clients):
    rappels = rappels_serveur(app)
    cle_confirmer = next(k for k, r in rappels.items() if r["inputs"][0]["id"] == "donnees-confirmer")
    for valeur in (
        {"chemin": "/etc/passwd", "kind": "commandes"},
        {"empreinte": "../../../etc/passwd", "extension": ".csv", "kind": "commandes"},
        {"empreinte": "a" * 64, "extension": "/../../x", "kind": "commandes"},
        {"empreinte": "a" * 64, "extension": ".csv", "kind": "porteur; DROP TABLE porteur"},
        {"empreinte": "b" * 64, "extension": ".csv", "kind": "commandes"},  # well formed, no such file
    ):
        forge = corps_de(cle_confirmer, rappels[cle_confirmer], 1)
        forge["state"] = [
            {"id": "donnees-fichier", "property": "data", "value": valeur},
            {"id": "donnees-remplacer-confirmation", "property": "value", "value": None},
        ]
        reponse = _rappel_en_tache(clients["admin"], forge)
        texte = _texte(reponse)
        assert "invalide" in texte or "plus en attente" in texte, valeur
        assert "root:" not in texte


# --- Briefing links ------------------------------------------------------------------------------------


def _creer_lien(app, client, deck: str, duree: str = "7") -> str:
    cle = next(k for k in rappels_serveur(app) if k.startswith("presentation-partage-lien"))
    corps_ = corps_de(cle, rappels_serveur(app)[cle], 1)
    corps_["state"] = [
        {"id": "presentation-partage-duree", "property": "value", "value": duree},
        {"id": "presentation-partage-deck", "property": "data", "value": deck},
    ]
    reponse = client.post("/_dash-update-component", json=corps_)
    assert reponse.status_code == 200, reponse.get_data(as_text=True)[:300]
    texte = json.dumps(reponse.get_json(), ensure_ascii=False)  # Dash escapes "/" as \u002f
    return re.search(r'"value": "(http[^"]+jeton=[^"]+)"', texte).group(1)


def _routage(app, chemin: str, recherche: str) -> dict:
    cle = next(k for k in rappels_serveur(app) if k.startswith(".._pages_content"))
    corps_ = corps_de(cle, rappels_serveur(app)[cle])
    corps_["inputs"] = [
        {"id": "_pages_location", "property": "pathname", "value": chemin},
        {"id": "_pages_location", "property": "search", "value": recherche},
    ]
    corps_["state"] = []
    return corps_


def test_acc018_lien_de_presentation_ouvre_son_deck_et_rien_d_autre(app, clients, engine):
    deck = "/presentation?diapos=resume,departement:29&vague=2019&diapo=1"
    adresse = _creer_lien(app, clients["coordinateur"], deck)
    morceaux = urlsplit(adresse)
    assert morceaux.path == "/presentation"
    visiteur = app.server.test_client()
    assert visiteur.get(f"{morceaux.path}?{morceaux.query}").status_code == 200
    # The deck's charts need the served plotly.js bundle (code, no data), as any visitor does.
    (plotly,) = (ROOT / "dashboard" / "web" / "statique").glob("plotly-*.min.js")
    assert visiteur.get(f"/statique/{plotly.name}").status_code == 200
    visiteur.environ_base["HTTP_X_CSRFTOKEN"] = visiteur.get_cookie("_csrf_token").value
    recherche = "?" + morceaux.query
    page = visiteur.post("/_dash-update-component", json=_routage(app, "/presentation", recherche))
    assert page.status_code == 200 and "Finistère" in page.get_data(as_text=True)
    autre_diapo = recherche.replace("diapo=1", "diapo=2")
    assert (
        visiteur.post("/_dash-update-component", json=_routage(app, "/presentation", autre_diapo)).status_code
        == 200
    )
    for chemin, cherche in (
        ("/", ""),
        ("/donnees", ""),
        ("/presentation", recherche.replace("vague=2019", "vague=2020")),
        (
            "/presentation",
            recherche.replace("departement%3A29", "departement%3A56").replace(
                "departement:29", "departement:56"
            ),
        ),
    ):
        reponse = visiteur.post("/_dash-update-component", json=_routage(app, chemin, cherche))
        assert reponse.status_code == 403, (chemin, cherche)
    for cle, rappel in rappels_serveur(app).items():
        if not cle.startswith((".._pages_content", "_pages_")):
            assert visiteur.post("/_dash-update-component", json=corps_de(cle, rappel)).status_code == 403, (
                cle
            )
    assert visiteur.get("/").status_code == 403
    assert visiteur.get("/donnees").status_code == 403
    with engine.connect() as connection:
        assert "lien_cree" in connection.scalars(select(JournalAudit.action)).all()


def test_acc019_lien_expire_falsifie_ou_revoque(app, settings, engine):
    jetons = Jetons(settings.effective_secret_key())
    compte = comptes.compte_par_identifiant(engine, COMPTES["admin"][0])
    deck = "/presentation?diapos=resume&diapo=1"
    perime = jetons.lien(deck, datetime.now(UTC) - timedelta(minutes=1), compte.id, compte.generation)
    valide = jetons.lien(deck, datetime.now(UTC) + timedelta(days=1), compte.id, compte.generation)
    sans_compte = jetons.lien(deck, datetime.now(UTC) + timedelta(days=1), None, None)
    for jeton, attendu in ((perime, 302), (valide[:-2] + "xx", 302), (sans_compte, 302), (valide, 200)):
        client = app.server.test_client()
        assert client.get(f"/presentation?diapos=resume&jeton={quote(jeton)}").status_code == attendu
    comptes.ajouter_compte(engine, "partageur@exemple.fr", "P", "admin", hacher(MDP), None, "test")
    partageur = comptes.compte_par_identifiant(engine, "partageur@exemple.fr")
    lien = jetons.lien(deck, datetime.now(UTC) + timedelta(days=1), partageur.id, partageur.generation)
    client = app.server.test_client()
    assert client.get(f"/presentation?diapos=resume&jeton={quote(lien)}").status_code == 200
    comptes.changer_activation(engine, "partageur@exemple.fr", False, "test")
    assert client.get("/presentation?diapos=resume").status_code == 302  # the remembered link too


def test_acc020_lecteur_ne_partage_pas(app, clients):
    with pytest.raises(AssertionError):
        _creer_lien(app, clients["lecteur"], "/presentation?diapos=resume&diapo=1")


# --- Headers, errors, injections -----------------------------------------------------------------------


def test_acc021_entetes_de_securite_partout(app, clients):
    for client, chemin in (
        (clients["admin"], "/"),
        (app.server.test_client(), "/connexion"),
        (app.server.test_client(), "/"),
        (clients["admin"], "/adresse-inconnue"),
    ):
        entetes = client.get(chemin).headers
        csp = entetes["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert "unsafe-eval" not in csp and "script-src 'self' 'sha256-" in csp
        assert entetes["X-Content-Type-Options"] == "nosniff"
        assert entetes["X-Frame-Options"] == "DENY"
        assert entetes["Referrer-Policy"] == "no-referrer"
    cookie = str(clients["admin"].get("/connexion").headers)  # signed in: no new cookie needed
    assert "passnum_session" not in cookie or "HttpOnly" in cookie


def test_acc022_erreur_interne_sans_trace(settings):
    app = create_app(settings)

    @app.server.route("/erreur-de-test")
    def erreur():
        raise RuntimeError("détail interne secret")

    client = connecter(app, COMPTES["admin"][0])
    reponse = client.get("/erreur-de-test")
    texte = reponse.get_data(as_text=True)
    assert reponse.status_code == 500 and "Erreur interne" in texte
    assert "Traceback" not in texte and "secret" not in texte and "RuntimeError" not in texte


PARAMETRES_URL = (
    "vue",
    "niveau",
    "indicateur",
    "classes",
    "bornes",
    "vague",
    "type",
    "region",
    "subvention",
    "distribues",
    "taux",
    "periode",
    "ids",
    "diapos",
    "diapo",
    "auto",
)


@pytest.mark.parametrize("injection", INJECTIONS)
def test_acc023_injections_par_chaque_parametre_d_adresse(app, clients, engine, injection):
    """Every filter of every page, from the address: a French message or the default, never an error, and
    the database intact (the values only ever reach SQL as bound parameters)."""
    with engine.connect() as connection:
        avant = connection.scalar(select(func.count()).select_from(Porteur))
    for chemin in ("/", "/comparer", "/presentation", "/territoire/departement/29"):
        for parametre in PARAMETRES_URL:
            recherche = f"?{parametre}={quote(injection)}"
            assert clients["lecteur"].get(chemin + recherche).status_code in (200, 404)
            reponse = clients["lecteur"].post(
                "/_dash-update-component", json=_routage(app, chemin, recherche)
            )
            assert reponse.status_code == 200, (chemin, parametre, reponse.status_code)
            assert "Traceback" not in reponse.get_data(as_text=True)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Porteur)) == avant


def test_acc024_pdf_refuse_sans_session_et_pour_un_autre_deck(app, settings):
    jetons = Jetons(settings.effective_secret_key())
    compte = comptes.compte_par_identifiant(make_engine(settings.resolved_database_url), COMPTES["admin"][0])
    lien = jetons.lien(
        "/presentation?diapos=resume&diapo=1",
        datetime.now(UTC) + timedelta(days=1),
        compte.id,
        compte.generation,
    )
    client = app.server.test_client()
    assert client.get("/presentation.pdf?diapos=resume").status_code == 401
    assert client.get(f"/presentation?diapos=resume&jeton={quote(lien)}").status_code == 200
    assert client.get("/presentation.pdf?diapos=resume,carte").status_code == 403


def test_acc025_lien_sans_point_d_interrogation_ne_donne_pas_le_deck_par_defaut(app, clients):
    """Dash pages reads a search without its "?" as no parameter at all (the default deck): checked with
    Dash's own parser, and again in the layout."""
    adresse = _creer_lien(app, clients["coordinateur"], "/presentation?diapos=departement:29&diapo=1")
    morceaux = urlsplit(adresse)
    visiteur = app.server.test_client()
    assert visiteur.get(f"{morceaux.path}?{morceaux.query}").status_code == 200
    visiteur.environ_base["HTTP_X_CSRFTOKEN"] = visiteur.get_cookie("_csrf_token").value
    for recherche in (morceaux.query, "", "?" + morceaux.query + "&diapos=resume", "?"):
        reponse = visiteur.post("/_dash-update-component", json=_routage(app, "/presentation", recherche))
        assert reponse.status_code == 403, recherche
    bonne = visiteur.post(
        "/_dash-update-component", json=_routage(app, "/presentation", "?" + morceaux.query)
    )
    texte = bonne.get_data(as_text=True)
    assert bonne.status_code == 200 and "Finist" in texte and "synth" not in texte


def test_acc026_sorties_deformees_refusees(app, clients):
    rappels = rappels_serveur(app)
    routage = next(k for k in rappels if k.startswith(".._pages_content"))
    simple = cle_rappel(app, "tableau.getRowsResponse")
    for cle, sorties in (
        (routage, []),
        (routage, {"id": "x"}),
        (simple, {"id": "x"}),
        (simple, [1, 2]),
        (simple, None),
        (routage, [{"id": "_pages_content"}] * 2),
    ):
        reponse = clients["lecteur"].post(
            "/_dash-update-component", json={**corps_de(cle, rappels[cle]), "outputs": sorties}
        )
        assert reponse.status_code == 400, (cle, sorties)


def test_acc027_fichier_de_composant_inconnu_404_sans_trace(app):
    client = app.server.test_client()
    for chemin in ("/_dash-component-suites/nope/x.js", "/_dash-component-suites/dash/../../x.js"):
        reponse = client.get(chemin)
        assert reponse.status_code == 404 and "Traceback" not in reponse.get_data(as_text=True)


def test_acc028_identifiant_avec_caractere_de_controle(app):
    for identifiant in ("admin\x00", "admin@exemple.fr\x07", "\x1b[31m"):
        reponse = _poster_connexion(app.server.test_client(), identifiant, MDP)
        assert reponse.status_code == 401 and "incorrect" in reponse.get_data(as_text=True)


def test_acc029_deconnexion_revoque_le_cookie_rejoue(app, engine):
    """Signing out closes the account's sessions, on every device: a copied cookie is worth nothing."""
    comptes.ajouter_compte(engine, "rejeu@exemple.fr", "Rejeu", "lecteur", hacher(MDP), None, "test")
    client = connecter(app, "rejeu@exemple.fr")
    autre_appareil = connecter(app, "rejeu@exemple.fr")
    copie = client.get_cookie("passnum_session").value
    jeton = client.get_cookie("_csrf_token").value
    assert client.post("/deconnexion", data={"csrf": jeton}).status_code == 303
    rejoue = app.server.test_client()
    rejoue.set_cookie("passnum_session", copie)
    assert rejoue.get("/").status_code == 302 and rejoue.get("/donnees").status_code == 302
    assert autre_appareil.get("/").status_code == 302
    assert connecter(app, "rejeu@exemple.fr").get("/").status_code == 200  # signing in again works


def test_acc030_derriere_un_proxy_l_adresse_du_client(settings, engine):
    app = create_app(replace(settings, proxies=1))
    client = app.server.test_client()
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.9"
    assert _poster_connexion(client, "proxy@exemple.fr", "mauvais-mot-de-passe").status_code == 401
    with engine.connect() as connection:
        adresses = connection.scalars(
            select(JournalAudit.adresse).where(JournalAudit.acteur == "proxy@exemple.fr")
        ).all()
    assert adresses == ["203.0.113.9"]


def _props(reponse, identifiant: str) -> list[dict]:
    """The props of the components with this id in a /_dash-layout response."""
    trouves = []

    def parcourir(n):
        if isinstance(n, dict):
            if n.get("props", {}).get("id") == identifiant:
                trouves.append(n["props"])
            for v in n.values():
                parcourir(v)
        elif isinstance(n, list):
            for v in n:
                parcourir(v)

    parcourir(reponse.get_json())
    return trouves


def _contenu_de_page(reponse) -> list:
    """The `_pages_content` children (None: empty, left to Dash pages' routing callback)."""
    return [p.get("children") for p in _props(reponse, "_pages_content")]


def test_acc031_la_carte_nationale_vient_avec_la_mise_en_page_pour_un_compte_seulement(app, clients, engine):
    """An account opening the national map gets the page inside the layout (no routing round trip): the
    map's figure and the location's address; anyone else, or another page, an empty container that Dash
    pages' routing callback (and its checks) fills."""
    adresse = "http://localhost/?vue=territoires&niveau=departement&vague=2019#carte"
    entete = {"X-Passnum-Adresse": adresse}
    reponse = clients["lecteur"].get("/_dash-layout", headers=entete)
    (carte,) = _props(reponse, "carte")
    assert carte["figure"]["data"][0]["type"] == "choropleth"
    assert len(carte["figure"]["data"][0]["locations"]) > 90  # the départements
    (location,) = _props(reponse, "_pages_location")
    assert (location["pathname"], location["search"], location["hash"], location["href"]) == (
        "/",
        "?vue=territoires&niveau=departement&vague=2019",
        "#carte",
        adresse,
    )
    assert _contenu_de_page(clients["lecteur"].get("/_dash-layout")) == [None]
    autre = {"X-Passnum-Adresse": "http://localhost/donnees"}
    assert _contenu_de_page(clients["admin"].get("/_dash-layout", headers=autre)) == [None]
    assert _contenu_de_page(app.server.test_client().get("/_dash-layout", headers=entete)) == [None]
    lien = urlsplit(_creer_lien(app, clients["coordinateur"], "/presentation?diapos=resume&diapo=1"))
    visiteur = app.server.test_client()
    assert visiteur.get(f"{lien.path}?{lien.query}").status_code == 200
    assert _contenu_de_page(visiteur.get("/_dash-layout", headers=entete)) == [None]
