"""The open-data API /api/v1/ through the WSGI server, on the small demo: the same numbers as `passnum
indicateurs` (run for real), entity identity and series, client tokens (hashed, scoped, expiring, revoked at
once, rate-limited in the process and through Redis), the public mode, JSON errors in French, the OpenAPI
3.1 document (validated, and exercised by schemathesis) and the documentation page."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from dataclasses import replace
from datetime import UTC, date, datetime

import pandas as pd
import pytest
import redis
from sqlalchemy import select, text

from dashboard import create_app
from dashboard.domain.filtres import lire_filtres
from dashboard.domain.indicateurs import INDICATEURS, VISIBLES
from dashboard.store import comptes, entites, jetons_api, memoire
from dashboard.store.db import make_engine
from dashboard.store.schema import Base, JetonApi
from dashboard.web.api.autorisation import LIMITE_PAR_MINUTE
from tests.conftest import base_postgres_temporaire, copie_avec_comptes, lancer_passnum, settings_pour

MDP = "mot-de-passe-de-test-solide"
LECTEUR = "lecteur@exemple.fr"
TOUTES = ("indicateurs", "entites", "series")
REDIS_URL = os.environ.get("PASSNUM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

# Filter sets of the dashboard's address, run through the API and through `passnum indicateurs`.
JEUX = [
    {"niveau": "departement"},
    {"niveau": "porteur", "vague": "2019", "type": "CD,EPCI", "subvention": "10000-500000"},
    {"niveau": "epci", "vue": "porteurs", "region": "53", "periode": "2020-01..2021-12", "taux": "0.1-0.9"},
    {"niveau": "region", "vue": "territoires", "distribues": "0-50000", "periode": "2021-03.."},
]


@pytest.fixture(scope="module")
def settings(base_demo, tmp_path_factory):
    """A copy of the demo database with a reader account, without the local demo account."""
    return copie_avec_comptes(base_demo, tmp_path_factory.mktemp("api"), {"lecteur": (LECTEUR, None)}, MDP)


@pytest.fixture(scope="module")
def engine(settings):
    engine = make_engine(settings.resolved_database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def app(settings):
    return create_app(settings)


@pytest.fixture(scope="module")
def app_public(settings):
    return create_app(replace(settings, public=True))


def nouveau_jeton(engine, portees=TOUTES, nom="Client de test") -> str:
    texte, _ = jetons_api.creer_jeton(engine, nom, portees, None, "test")
    return texte


@pytest.fixture(scope="module")
def client(app, engine):
    """A test client sending a token with every scope."""
    client = app.server.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {nouveau_jeton(engine)}"
    return client


def _requete(parametres: dict) -> str:
    return "&".join(f"{k}={v}" for k, v in parametres.items())


def _cli(settings, parametres: dict, format_: str) -> str:
    arguments = [x for k, v in parametres.items() for x in (f"--{k}", v)]
    resultat = lancer_passnum("indicateurs", *arguments, "--format", format_, url=settings.database_url)
    assert resultat.returncode == 0, resultat.stderr
    return resultat.stdout


def _erreur(reponse, statut: int) -> str:
    assert reponse.status_code == statut, reponse.get_data(as_text=True)[:300]
    assert reponse.mimetype == "application/json"
    corps = reponse.get_json()
    assert set(corps) == {"erreur"} and corps["erreur"]["statut"] == statut
    assert "Traceback" not in reponse.get_data(as_text=True)
    return corps["erreur"]["message"]


# --- The same numbers as the command line --------------------------------------------------------------


@pytest.mark.parametrize("parametres", JEUX, ids=[j["niveau"] for j in JEUX])
def test_api001_memes_chiffres_que_passnum_indicateurs(client, settings, parametres):
    """JSON rows equal to the command's JSON, CSV byte for byte the command's CSV, for each filter set."""
    reponse = client.get("/api/v1/indicateurs?" + _requete(parametres))
    assert reponse.status_code == 200 and reponse.mimetype == "application/json"
    corps = reponse.get_json()
    cli_json = json.loads(_cli(settings, parametres, "json"))
    assert len(cli_json) >= 2  # a selection that shows something: the comparison means something
    assert corps["donnees"] == cli_json
    assert corps["nombre"] == len(cli_json)
    assert corps["niveau"] == parametres["niveau"]
    attendus = {k: v for k, v in parametres.items() if k not in ("niveau", "vue")}
    assert corps["filtres"] == lire_filtres(attendus).parametres()  # the filters as understood
    assert corps["demo"] is True and corps["date_donnees"] == "2023-12-23"
    # A real figure, not a column of zeros: passes handed out somewhere.
    assert sum(ligne["pass_distribues"] or 0 for ligne in cli_json) > 0

    csv = client.get("/api/v1/indicateurs?" + _requete({**parametres, "format": "csv"}))
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert csv.get_data(as_text=True) == _cli(settings, parametres, "csv")


def test_api021_nombres_json_ecrits_tels_qu_arrondis(client):
    """Numbers leave as the dashboard rounds them (rates to 4 decimals, euros to the cent): written in
    their shortest exact form, never with float noise (4716.0600000000004)."""
    import re

    texte = client.get("/api/v1/indicateurs?niveau=porteur").get_data(as_text=True)
    decimales = [len(m) for m in re.findall(r"(?<=[:,\[])-?\d+\.(\d+)(?=[,\]}])", texte)]
    assert decimales and max(decimales) <= 4
    assert any(d == 2 for d in decimales)  # euros with cents are there, as such


def test_api002_filtres_changent_les_chiffres(client):
    """The filters really reach the table: a wave keeps fewer passes than both, and the rows of a région
    are all in that région."""
    tout = client.get("/api/v1/indicateurs?niveau=porteur").get_json()["donnees"]
    vague = client.get("/api/v1/indicateurs?niveau=porteur&vague=2019").get_json()["donnees"]
    somme = lambda lignes: sum(ligne["pass_commandes"] or 0 for ligne in lignes)  # noqa: E731
    assert 0 < somme(vague) < somme(tout)
    epci = client.get("/api/v1/indicateurs?niveau=epci&region=53").get_json()["donnees"]
    assert epci and all(ligne["niveau"] == "epci" for ligne in epci)
    caches = {i.id for i in INDICATEURS if not i.visible}  # hidden base columns never leave
    assert "utilises_parmi_distribues" in caches and not caches & set(tout[0])
    assert {i.id for i in VISIBLES} <= set(tout[0])


# --- Entities and series ---------------------------------------------------------------------------------


def test_api003_identite_d_un_territoire_et_d_un_laureat(client, engine):
    dep = client.get("/api/v1/entites/departement/29").get_json()
    assert dep["nom"] == "Finistère" and dep["niveau"] == "departement" and dep["type"] == "Département"
    assert dep["parents"] == [{"niveau": "region", "code": "53", "nom": "Bretagne"}]
    assert dep["population"] > 900_000 and dep["liens"]["page"] == "/territoire/departement/29"
    region = client.get("/api/v1/entites/region/53").get_json()
    assert region["nom"] == "Bretagne" and region["parents"] == []

    siren = client.get("/api/v1/indicateurs?niveau=porteur&type=CD").get_json()["donnees"][0]["code"]
    laureat = client.get(f"/api/v1/entites/porteur/{siren}").get_json()
    attendu = entites.entite(engine, "porteur", siren)
    assert laureat["nom"] == attendu.nom and laureat["type_porteur"] == "CD"
    assert laureat["type"] == "Conseil départemental"
    assert laureat["parents"][0]["niveau"] == "departement"
    assert set(laureat["vagues"]) <= {2019, 2020} and laureat["vagues"]


def test_api004_serie_mensuelle_json_csv_et_total(client, engine):
    """The series the territory page draws; its months add up to the passes of the indicator table."""
    corps = client.get("/api/v1/entites/departement/29/series").get_json()
    attendu = entites.serie_mensuelle(engine, entites.entite(engine, "departement", "29"))
    assert [p["mois"] for p in corps["donnees"]] == [f"{m:%Y-%m}" for m in attendu["mois"]]
    assert [p["pass_distribues"] for p in corps["donnees"]] == attendu["pass_distribues"].tolist()
    assert [p["pass_utilises"] for p in corps["donnees"]] == attendu["pass_utilises"].tolist()
    ligne = next(
        ligne
        for ligne in client.get("/api/v1/indicateurs?niveau=departement").get_json()["donnees"]
        if ligne["code"] == "29"
    )
    assert sum(p["pass_distribues"] for p in corps["donnees"]) == ligne["pass_distribues"] > 0
    assert sum(p["pass_utilises"] for p in corps["donnees"]) == ligne["pass_utilises"]

    csv = client.get("/api/v1/entites/departement/29/series?format=csv")
    assert csv.mimetype == "text/csv"
    table = pd.read_csv(io.StringIO(csv.get_data(as_text=True)), dtype={"mois": str})
    assert list(table.columns) == ["mois", "pass_distribues", "pass_utilises"]
    assert table.to_dict("records") == corps["donnees"]


# --- Tokens -------------------------------------------------------------------------------------------------


def _toutes_les_valeurs(engine) -> str:
    """Every value of every table of the database, as text."""
    morceaux = []
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            morceaux += [repr(tuple(ligne)) for ligne in connection.execute(select(table))]
    return "\n".join(morceaux)


def test_jet001_seule_l_empreinte_est_gardee(moteur_vierge):
    from dashboard.store import migration

    migration.upgrade(moteur_vierge)
    texte, jeton = jetons_api.creer_jeton(moteur_vierge, "Coop numérique", ("indicateurs",), None, "test")
    assert re.fullmatch(r"pn_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", texte) and texte.split("_")[1] == jeton.prefixe
    secret = texte.removeprefix(f"pn_{jeton.prefixe}_")
    tout = _toutes_les_valeurs(moteur_vierge)
    assert secret not in tout and texte not in tout  # neither in jeton_api nor in the audit journal
    with moteur_vierge.connect() as connection:
        empreinte = connection.scalar(select(JetonApi.empreinte).where(JetonApi.prefixe == jeton.prefixe))
    assert empreinte == hashlib.sha256(texte.encode()).hexdigest()
    assert jetons_api.verifier(moteur_vierge, texte).jeton.prefixe == jeton.prefixe
    falsifie = texte[:-1] + ("A" if texte[-1] != "A" else "B")
    assert jetons_api.verifier(moteur_vierge, falsifie).jeton is None
    assert jetons_api.verifier(moteur_vierge, f"pn_{jeton.prefixe}_").motif == "Jeton d'API inconnu."
    # Journaled, with their French labels.
    actions = [e["action"] for e in comptes.journal(moteur_vierge)]
    assert actions[0] == "jeton_api_cree"
    jetons_api.revoquer_jeton(moteur_vierge, jeton.prefixe, "test")
    assert [e["action"] for e in comptes.journal(moteur_vierge)][:2] == [
        "jeton_api_revoque",
        "jeton_api_cree",
    ]
    assert jetons_api.verifier(moteur_vierge, texte).motif == "Jeton d'API révoqué."


def test_jet002_commande_jetons_add_list_revoke(settings, engine):
    """The command for real: the token printed once, listed without its secret (French dates, Paris
    time), revoked, every bad value refused in French with exit code 2."""
    url = settings.database_url
    ajout = lancer_passnum(
        "jetons",
        "add",
        "--nom",
        "Coop numérique",
        "--portees",
        "indicateurs,series",
        "--expire",
        "2099-12-31",
        url=url,
    )
    assert ajout.returncode == 0, ajout.stderr
    texte = re.search(r"^pn_[0-9a-f]{8}_\S+$", ajout.stdout, flags=re.M).group(0)
    prefixe = texte.split("_")[1]
    assert f"préfixe {prefixe}" in ajout.stdout and "jusqu'au 31/12/2099 inclus" in ajout.stdout
    assert jetons_api.verifier(engine, texte).jeton.portees == ("indicateurs", "series")

    liste = lancer_passnum("jetons", "list", url=url)
    assert liste.returncode == 0 and texte.split("_", 2)[2] not in liste.stdout
    ligne = next(ligne for ligne in liste.stdout.splitlines() if ligne.startswith(prefixe))
    champs = ligne.split(";")
    assert champs[1:3] == ["Coop numérique", "indicateurs,series"]
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", champs[3])
    assert champs[4:] == ["31/12/2099", "non", "jamais"]

    revocation = lancer_passnum("jetons", "revoke", prefixe, url=url)
    assert revocation.returncode == 0 and "révoqué" in revocation.stdout
    ligne = next(
        ligne
        for ligne in lancer_passnum("jetons", "list", url=url).stdout.splitlines()
        if ligne.startswith(prefixe)
    )
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", ligne.split(";")[5])
    assert jetons_api.verifier(engine, texte).jeton is None

    for arguments, message in (
        (("add", "--nom", "X", "--portees", "tout"), "portée inconnue « tout »"),
        (("add", "--nom", "X", "--portees", "series", "--expire", "2020-01-01"), "date d'expiration passée"),
        (("add", "--nom", "X", "--portees", "series", "--expire", "31/12/2030"), "attendu AAAA-MM-JJ"),
        (("revoke", "00000000"), "aucun jeton de préfixe"),
        (("revoke", prefixe), "déjà révoqué"),
    ):
        refus = lancer_passnum("jetons", *arguments, url=url)
        assert refus.returncode == 2 and message in refus.stderr, refus.stderr


def test_api005_revocation_immediate_et_derniere_utilisation(app, engine):
    client = app.server.test_client()
    texte = nouveau_jeton(engine)
    entetes = {"Authorization": f"Bearer {texte}"}
    reponse = client.get("/api/v1/entites/region/53", headers=entetes)
    assert reponse.status_code == 200 and "Set-Cookie" not in reponse.headers  # the API sets no cookie
    prefixe = texte.split("_")[1]
    assert jetons_api.jeton_par_prefixe(engine, prefixe).derniere_utilisation is not None
    jetons_api.revoquer_jeton(engine, prefixe, "test")
    message = _erreur(client.get("/api/v1/entites/region/53", headers=entetes), 401)
    assert message == "Jeton d'API révoqué."


def test_api006_portee_manquante_403(app, engine):
    client = app.server.test_client()
    entetes = {"Authorization": f"Bearer {nouveau_jeton(engine, ('entites',))}"}
    assert client.get("/api/v1/entites/departement/29", headers=entetes).status_code == 200
    message = _erreur(client.get("/api/v1/indicateurs?niveau=region", headers=entetes), 403)
    assert message == "Ce jeton n'a pas la portée « indicateurs » (les siennes : entites)."
    assert "« series »" in _erreur(client.get("/api/v1/entites/departement/29/series", headers=entetes), 403)


def test_api007_jeton_expire_inconnu_ou_mal_forme_401(app, engine):
    client = app.server.test_client()
    texte, _ = jetons_api.creer_jeton(
        engine, "Ancien", TOUTES, date(2020, 1, 31), "test", moment=datetime(2019, 6, 1, tzinfo=UTC)
    )
    reponse = client.get("/api/v1/entites/region/53", headers={"Authorization": f"Bearer {texte}"})
    assert _erreur(reponse, 401) == "Jeton d'API expiré depuis le 31/01/2020."
    assert reponse.headers["WWW-Authenticate"].startswith("Bearer")
    inconnu = "pn_0badc0de_" + "A" * 43
    assert _erreur(
        client.get("/api/v1/entites/region/53", headers={"Authorization": f"Bearer {inconnu}"}), 401
    ) == ("Jeton d'API inconnu.")
    basic = client.get("/api/v1/entites/region/53", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert "attendu « Bearer <jeton> »" in _erreur(basic, 401)
    assert "Jeton d'API requis" in _erreur(client.get("/api/v1/entites/region/53"), 401)


def test_api008_limite_par_jeton_429(app, engine):
    client = app.server.test_client()
    entetes = {"Authorization": f"Bearer {nouveau_jeton(engine)}"}
    statuts = [
        client.get("/api/v1/entites/region/53", headers=entetes).status_code for _ in range(LIMITE_PAR_MINUTE)
    ]
    assert statuts == [200] * LIMITE_PAR_MINUTE
    refus = client.get("/api/v1/entites/region/53", headers=entetes)
    message = _erreur(refus, 429)
    assert 1 <= int(refus.headers["Retry-After"]) <= 60
    assert message.startswith(f"Trop de requêtes : {LIMITE_PAR_MINUTE} par minute au plus pour ce jeton")
    autre = {"Authorization": f"Bearer {nouveau_jeton(engine)}"}  # each token has its own budget
    assert client.get("/api/v1/entites/region/53", headers=autre).status_code == 200


@pytest.fixture
def deux_travailleurs(settings):
    """Two apps (two workers) sharing one Redis, as under `passnum serve --workers 2`."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as exc:  # Redis is part of this project's machines: say clearly it is missing
        pytest.fail(f"Redis injoignable sur {REDIS_URL} : {exc}")
    avec_redis = replace(settings, cache_url=REDIS_URL)
    try:
        yield create_app(avec_redis), create_app(avec_redis), client
    finally:
        memoire.partager(None)  # create_app put Redis behind this process's memo: the other tests do without


def test_api009_limite_partagee_par_redis_entre_travailleurs(deux_travailleurs, engine):
    premier, second, client_redis = deux_travailleurs
    texte = nouveau_jeton(engine)
    entetes = {"Authorization": f"Bearer {texte}"}
    moitie = LIMITE_PAR_MINUTE // 2
    for app in (premier, second):
        client = app.server.test_client()
        assert [
            client.get("/api/v1/entites/region/53", headers=entetes).status_code for _ in range(moitie)
        ] == [200] * moitie
    refus = second.server.test_client().get("/api/v1/entites/region/53", headers=entetes)
    _erreur(refus, 429)
    assert int(refus.headers["Retry-After"]) >= 1
    cles = list(client_redis.scan_iter(f"passnum:api:*:jeton:{texte.split('_')[1]}"))
    assert len(cles) == 1 and client_redis.zcard(cles[0]) == LIMITE_PAR_MINUTE
    client_redis.delete(*cles)


# --- Errors ----------------------------------------------------------------------------------------------


def test_api010_erreurs_json_en_francais(app, client):
    codec = None
    try:
        lire_filtres({"taux": "0.8-0.2"})
    except ValueError as exc:
        codec = str(exc)
    assert _erreur(client.get("/api/v1/indicateurs?niveau=region&taux=0.8-0.2"), 400) == codec
    assert _erreur(client.get("/api/v1/indicateurs?niveau=commune"), 400) == (
        "Niveau inconnu « commune » : porteur, region, departement, epci."
    )
    assert "« niveau » manquant" in _erreur(client.get("/api/v1/indicateurs"), 400)
    assert _erreur(client.get("/api/v1/indicateurs?niveau=porteur&vue=territoires"), 400) == (
        "Le niveau « porteur » n'existe que dans la vue « porteurs »."
    )
    assert "Paramètre inconnu « regions »" in _erreur(
        client.get("/api/v1/indicateurs?niveau=epci&regions=53"), 400
    )
    assert "répété" in _erreur(client.get("/api/v1/indicateurs?niveau=epci&vague=2019&vague=2020"), 400)
    assert "Format inconnu « xml »" in _erreur(client.get("/api/v1/indicateurs?niveau=epci&format=xml"), 400)
    assert "Niveau inconnu « canton »" in _erreur(client.get("/api/v1/entites/canton/1"), 400)
    assert _erreur(client.get("/api/v1/entites/departement/00"), 404) == (
        "Aucun territoire ni lauréat ne correspond à ce code : departement « 00 »."
    )
    assert "aucun territoire" in _erreur(client.get("/api/v1/entites/porteur/123456789/series"), 404).lower()
    assert _erreur(client.get("/api/v1/inconnue"), 404).startswith("Cette adresse ne correspond")
    assert _erreur(client.get("/api/v2/indicateurs"), 404).startswith("Cette adresse ne correspond")
    assert _erreur(client.post("/api/v1/indicateurs?niveau=region"), 405).startswith("Méthode non permise")
    assert _erreur(client.delete("/api/v1/entites/region/53"), 405).startswith("Méthode non permise")


def test_api011_erreur_interne_500_en_json_sans_trace(settings, tmp_path):
    """The database lost its table of tokens: a 500 in French JSON, logged, nothing of the cause sent."""
    import sqlite3

    copie = tmp_path / "cassee.sqlite"
    with (
        sqlite3.connect(settings.resolved_database_url.removeprefix("sqlite:///")) as src,
        sqlite3.connect(copie) as dst,
    ):
        src.backup(dst)
    cassee = replace(settings_pour(f"sqlite:///{copie}", tmp_path), compte_local=False)
    app = create_app(cassee)
    engine = make_engine(cassee.resolved_database_url)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE jeton_api"))
    engine.dispose()
    reponse = app.server.test_client().get(
        "/api/v1/indicateurs?niveau=region", headers={"Authorization": "Bearer pn_0badc0de_" + "A" * 43}
    )
    message = _erreur(reponse, 500)
    assert message.startswith("Erreur interne")
    assert "jeton_api" not in reponse.get_data(as_text=True) and "OperationalError" not in reponse.get_data(
        as_text=True
    )


# --- Sessions and the public mode ---------------------------------------------------------------------------


def _connecter(app):
    client = app.server.test_client()
    page = client.get("/connexion").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    reponse = client.post(
        "/connexion", data={"csrf": csrf, "identifiant": LECTEUR, "mot_de_passe": MDP, "suivant": "/"}
    )
    assert reponse.status_code == 303
    return client


def test_api012_une_session_n_ouvre_pas_les_donnees(app):
    """Signed in to the dashboard: the documentation and the OpenAPI document, never the data."""
    session = _connecter(app)
    assert "Jeton d'API requis" in _erreur(session.get("/api/v1/indicateurs?niveau=region"), 401)
    _erreur(session.get("/api/v1/entites/departement/29"), 401)
    assert session.get("/api/v1/").status_code == 200
    assert session.get("/api/v1/openapi.json").get_json()["openapi"] == "3.1.0"
    anonyme = app.server.test_client()
    redirection = anonyme.get("/api/v1/")
    assert redirection.status_code == 302
    assert redirection.headers["Location"] == "/connexion?suivant=%2Fapi%2Fv1%2F"
    _erreur(anonyme.get("/api/v1/openapi.json"), 401)
    _erreur(anonyme.get("/api/v1/indicateurs?niveau=region"), 401)


def test_api013_mode_public_ouvre_les_agregats_et_rien_d_autre(app_public, client, engine):
    anonyme = app_public.server.test_client()
    ouvert = anonyme.get("/api/v1/indicateurs?niveau=departement&vague=2020")
    assert ouvert.status_code == 200
    assert (
        ouvert.get_json()["donnees"]
        == client.get("/api/v1/indicateurs?niveau=departement&vague=2020").get_json()["donnees"]
    )
    assert anonyme.get("/api/v1/entites/departement/29").get_json()["nom"] == "Finistère"
    assert anonyme.get("/api/v1/entites/region/53/series?format=csv").status_code == 200
    assert anonyme.get("/api/v1/openapi.json").status_code == 200
    assert "API de données ouvertes" in anonyme.get("/api/v1/").get_data(as_text=True)
    # A laureate stays behind a token, and a bad token is refused (never read as "no token").
    siren = client.get("/api/v1/indicateurs?niveau=porteur").get_json()["donnees"][0]["code"]
    _erreur(anonyme.get(f"/api/v1/entites/porteur/{siren}"), 401)
    _erreur(anonyme.get(f"/api/v1/entites/porteur/{siren}/series"), 401)
    faux = {"Authorization": "Bearer pn_0badc0de_" + "A" * 43}
    _erreur(anonyme.get("/api/v1/indicateurs?niveau=region", headers=faux), 401)
    # The rest of the app stays closed: data page, imports, the deck's PDF.
    assert anonyme.get("/donnees").status_code == 302
    assert anonyme.get("/presentation.pdf").status_code in (302, 401)
    # A token still works in public mode, and a laureate opens with it.
    entetes = {"Authorization": f"Bearer {nouveau_jeton(engine, ('entites',))}"}
    assert anonyme.get(f"/api/v1/entites/porteur/{siren}", headers=entetes).status_code == 200


# --- OpenAPI and documentation -----------------------------------------------------------------------------


def _routes_api(app) -> set[str]:
    return {
        re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", regle.rule).removeprefix("/api/v1")
        for regle in app.server.url_map.iter_rules()
        if regle.rule.startswith("/api/v1") and regle.endpoint.startswith("api.")
    }


def test_api014_document_openapi_valide_et_complet(app, app_public, client):
    from openapi_spec_validator import validate

    for serveur, entetes in ((app, dict(client.environ_base)), (app_public, {})):
        document = (
            serveur.server.test_client()
            .get(
                "/api/v1/openapi.json",
                headers={"Authorization": entetes.get("HTTP_AUTHORIZATION", "")} if entetes else {},
            )
            .get_json()
        )
        validate(document)
        assert document["openapi"] == "3.1.0"
        # Every route of the server is described (the documentation alias apart), and nothing else.
        assert _routes_api(serveur) - {"/documentation"} == set(document["paths"])
        schema = document["components"]["securitySchemes"]["jeton"]
        assert schema == {**schema, "type": "http", "scheme": "bearer"}
        portees = {
            p
            for chemin in document["paths"].values()
            for e in chemin["get"]["security"]
            for p in e.get("jeton", [])
        }
        assert portees == set(TOUTES)
        indicateurs = document["paths"]["/indicateurs"]["get"]
        assert {p["name"] for p in indicateurs["parameters"]} == {
            "niveau",
            "vue",
            "format",
            "vague",
            "type",
            "region",
            "subvention",
            "distribues",
            "taux",
            "periode",
        }
        assert indicateurs["responses"]["429"] == {"$ref": "#/components/responses/Erreur429"}
    publique = app_public.server.test_client().get("/api/v1/openapi.json").get_json()
    assert {} in publique["paths"]["/indicateurs"]["get"]["security"]
    privee = client.get("/api/v1/openapi.json").get_json()
    assert {} not in privee["paths"]["/indicateurs"]["get"]["security"]
    # Each row's columns are those the schema describes.
    colonnes = set(client.get("/api/v1/indicateurs?niveau=region").get_json()["donnees"][0])
    assert colonnes == set(privee["components"]["schemas"]["LigneIndicateurs"]["properties"])


def test_api015_page_de_documentation_en_francais_hors_ligne(client):
    page = client.get("/api/v1/documentation")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert '<html lang="fr">' in html and "<script" not in html
    assert not re.search(r'(?:href|src)="(?:https?:)?//', html)  # nothing fetched from elsewhere
    for chemin in (
        "/indicateurs",
        "/entites/{niveau}/{code}",
        "/entites/{niveau}/{code}/series",
        "/openapi.json",
    ):
        assert f"GET /api/v1{chemin}" in html
    exemples = re.findall(r"<pre><code>(curl [^<]+)</code></pre>", html)
    assert len(exemples) == 5 and all("Authorization: Bearer $JETON" in e for e in exemples)
    for portee in TOUTES:
        assert f"<code>{portee}</code>" in html
    assert "session ouverte dans le tableau de bord n'ouvre pas les données" in html
    assert client.get("/api/v1/").get_data(as_text=True) == html


def test_api016_schemathesis_selon_le_document(app_public, client):
    """Property-based calls of every operation, drawn from the document: each answer matches its schema
    (status documented, body conforming), never a 500."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    document = app_public.server.test_client().get("/api/v1/openapi.json").get_json()
    schema = schemathesis.openapi.from_dict(document)
    schema.app = app_public.server
    # identity: schemathesis's WSGI client does not decompress what Flask-Compress sends to a browser
    entetes = {"Authorization": client.environ_base["HTTP_AUTHORIZATION"], "Accept-Encoding": "identity"}
    appels = 0
    for resultat in schema.get_all_operations():
        operation = resultat.ok()
        if operation.path in ("/", "/openapi.json"):
            continue

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def appeler(case):
            nonlocal appels
            # A range whose minimum passes its maximum fits the pattern yet is refused (400, told in
            # French): the one semantic rule a pattern cannot say, hence no "valid data accepted" check.
            reponse = case.call_and_validate(
                headers=entetes, app=app_public.server, excluded_checks=[positive_data_acceptance]
            )
            assert reponse.status_code != 500
            appels += 1

        appeler()
    assert appels >= 40


# --- PostgreSQL -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app_postgres(tmp_path_factory):
    from dashboard.demo.chargement import charger_demo
    from dashboard.store.initialisation import initialiser

    with base_postgres_temporaire() as url:
        settings = replace(settings_pour(url, tmp_path_factory.mktemp("pg")), compte_local=False)
        engine = make_engine(url)
        initialiser(engine, settings.geo_dir)
        charger_demo(engine, settings.geo_dir, "small")
        yield settings, create_app(settings), engine
        engine.dispose()


@pytest.mark.postgres
def test_api017_postgresql_memes_chiffres_que_la_commande(app_postgres):
    settings, app, engine = app_postgres
    texte = nouveau_jeton(engine, ("indicateurs",))
    with engine.connect() as connection:
        assert connection.scalar(select(JetonApi.empreinte)) == hashlib.sha256(texte.encode()).hexdigest()
    client = app.server.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {texte}"
    parametres = JEUX[2]
    reponse = client.get("/api/v1/indicateurs?" + _requete(parametres)).get_json()
    assert reponse["donnees"] == json.loads(_cli(settings, parametres, "json")) and reponse["nombre"] >= 2
    csv = client.get("/api/v1/indicateurs?" + _requete({**parametres, "format": "csv"})).get_data(
        as_text=True
    )
    assert csv == _cli(settings, parametres, "csv")
    jetons_api.revoquer_jeton(engine, texte.split("_")[1], "test")
    assert _erreur(client.get("/api/v1/indicateurs?niveau=region"), 401) == "Jeton d'API révoqué."
