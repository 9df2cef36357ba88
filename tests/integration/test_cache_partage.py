"""The cache shared between processes (PASSNUM_CACHE_URL) on the machine's real Redis, and `passnum serve`
with two workers on PostgreSQL and Redis answering concurrent callbacks."""

from __future__ import annotations

import logging
import os
import pickle
import re
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest
import redis
import requests
from itsdangerous import Signer

from dashboard.domain.vocabulaire import CLE_DATE_DONNEES
from dashboard.settings import ROOT
from dashboard.store import memoire, metadonnees, schema
from dashboard.store.cache_partage import CachePartage
from dashboard.store.db import make_engine
from tests.conftest import lancer_passnum, port_libre
from tests.rappels import corps_de

REDIS_URL = os.environ.get("PASSNUM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CLE = "cle-secrete-de-test-" * 3


@pytest.fixture
def redis_client():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as exc:  # Redis is part of this project's machines: say clearly it is missing
        pytest.fail(f"Redis injoignable sur {REDIS_URL} : {exc}")
    yield client
    client.close()


@pytest.fixture
def engine(tmp_path):
    """A database with just what the data version is read from (a new file: a key of its own)."""
    engine = make_engine(f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.sqlite'}")
    schema.Base.metadata.create_all(engine, tables=[schema.ImportLot.__table__, schema.Metadonnee.__table__])
    yield engine
    engine.dispose()


@pytest.fixture
def partage():
    """The shared cache behind the memo, the local memo emptied before and after."""
    cache = CachePartage(REDIS_URL, CLE)
    memoire.vider()
    memoire.partager(cache)
    yield cache
    memoire.partager(None)
    memoire.vider()


class Compteur:
    """Counts the calls of the memoised read `lecture`."""

    appels = 0


def lecture(engine, niveau: str) -> pd.DataFrame:
    Compteur.appels += 1
    return pd.DataFrame({"code": ["29", "56"], "niveau": [niveau, niveau], "pass": [1200, 3400]})


@pytest.fixture
def compteur():
    Compteur.appels = 0
    return Compteur


def _lire(engine, niveau: str = "departement") -> pd.DataFrame:
    return memoire.memoiser(engine, lecture, niveau)


def test_cac001_un_autre_processus_lit_ce_qui_a_ete_calcule(engine, partage, compteur):
    premier = _lire(engine)
    assert compteur.appels == 1
    memoire.vider()  # what another worker sees: an empty memo of its own, the same Redis
    second = _lire(engine)
    assert compteur.appels == 1
    pd.testing.assert_frame_equal(premier, second)
    assert _lire(engine, "region")["niveau"].tolist() == ["region", "region"]
    assert compteur.appels == 2


def test_cac002_une_importation_rend_les_entrees_inaccessibles(engine, partage, compteur):
    _lire(engine)
    with engine.begin() as connection:
        metadonnees.ecrire(connection, CLE_DATE_DONNEES, "2022-06-30")
    memoire.vider()
    _lire(engine)
    assert compteur.appels == 2


class Piege:
    """Unpickling this runs code: what someone writing into Redis would plant."""

    declenche = False

    def __reduce__(self):
        return (setattr, (Piege, "declenche", True))


@pytest.mark.parametrize("signature", ["aucune", "autre cle"])
def test_cac003_une_entree_non_signee_par_nous_n_est_jamais_chargee(
    engine, partage, redis_client, signature, caplog, compteur
):
    _lire(engine)
    cles = [k for k in memoire._memoire if k[2] == "lecture"]
    assert len(cles) == 1 and redis_client.exists(partage.nom(cles[0]))
    charge = pickle.dumps(Piege())
    if signature == "autre cle":
        charge = Signer("une-autre-cle" * 4, salt="passnum.cache-partage").sign(charge)
    redis_client.set(partage.nom(cles[0]), charge)
    memoire.vider()
    with caplog.at_level(logging.WARNING, logger="passnum.cache"):
        relu = _lire(engine)
    assert Piege.declenche is False
    assert compteur.appels == 2 and relu["pass"].tolist() == [1200, 3400]
    assert "signature invalide" in caplog.text


def test_cac003b_apres_un_changement_de_cle_les_anciennes_entrees_sont_ignorees_sans_bruit(
    engine, partage, compteur, caplog
):
    _lire(engine)
    memoire.vider()
    memoire.partager(CachePartage(REDIS_URL, "une-nouvelle-cle-secrete" * 2))
    with caplog.at_level(logging.WARNING, logger="passnum.cache"):
        assert _lire(engine)["pass"].sum() == 4600
    assert compteur.appels == 2
    assert caplog.text == ""


def test_cac004_redis_injoignable_le_calcul_se_fait_sur_place(engine, caplog, compteur):
    memoire.vider()
    personne = port_libre()  # a free port: nobody listens there
    memoire.partager(CachePartage(f"redis://127.0.0.1:{personne}/0", CLE))
    try:
        with caplog.at_level(logging.WARNING, logger="passnum.cache"):
            debut = time.monotonic()
            assert _lire(engine)["pass"].sum() == 4600
            memoire.vider()
            assert _lire(engine)["pass"].sum() == 4600
            duree = time.monotonic() - debut
    finally:
        memoire.partager(None)
        memoire.vider()
    assert compteur.appels == 2
    assert caplog.text.count("Cache partagé injoignable") == 1  # then paused: no time lost per request
    assert duree < 5


# --- passnum serve: two workers, PostgreSQL, Redis ------------------------------------------------------

MDP = "mot-de-passe-du-serveur"


def _connecter(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/connexion", timeout=10).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    reponse = session.post(
        base + "/connexion",
        data={"csrf": csrf, "identifiant": "admin@exemple.fr", "mot_de_passe": MDP},
        allow_redirects=False,
        timeout=30,
    )
    assert reponse.status_code == 303, reponse.text[:300]
    session.headers["X-CSRFToken"] = session.cookies["_csrf_token"]
    return session


def _corps_bloc(dependances: list[dict], query: str) -> dict:
    rappel = next(d for d in dependances if "tableau.getRowsResponse" in d["output"])
    valeurs = {
        "tableau.getRowsRequest": {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}},
        "national-query.data": query,
        "tableau-recherche.value": None,
    }
    return corps_de(rappel["output"], rappel, None, valeurs, "tableau.getRowsRequest")


@pytest.mark.postgres
def test_cac005_serve_deux_processus_postgresql_redis(url_postgres_vierge, redis_client):
    url = url_postgres_vierge
    assert lancer_passnum("init", "--demo", "small", "--silencieux", url=url).returncode == 0
    ajout = lancer_passnum(
        "users",
        "add",
        "admin@exemple.fr",
        "--role",
        "admin",
        "--mot-de-passe-stdin",
        url=url,
        entree=MDP + "\n",
    )
    assert ajout.returncode == 0, ajout.stderr
    attendu = {}
    for niveau in ("region", "departement", "epci"):
        sortie = lancer_passnum("indicateurs", "--niveau", niveau, "--vue", "territoires", url=url)
        attendu[niveau] = len(sortie.stdout.strip().splitlines()) - 1
    cles_avant = set(redis_client.scan_iter("passnum:memo:*"))
    port = port_libre()
    serveur = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "serve", "--workers", "2"],
        cwd=ROOT,
        env={
            **os.environ,
            "PASSNUM_DATABASE_URL": url,
            "PASSNUM_PORT": str(port),
            "PASSNUM_SECRET_KEY": "s" * 64,
            "PASSNUM_CACHE_URL": REDIS_URL,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        fin = time.monotonic() + 90
        while time.monotonic() < fin and serveur.poll() is None:
            try:
                if requests.get(base + "/sante", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.3)
        else:
            raise AssertionError("passnum serve n'a pas répondu")
        session = _connecter(base)
        dependances = session.get(base + "/_dash-dependencies", timeout=10).json()
        demandes = [f"?vue=territoires&niveau={n}" for n in attendu for _ in range(8)]

        def poster(query: str):
            reponse = session.post(base + "/_dash-update-component", json=_corps_bloc(dependances, query))
            return query, reponse.status_code, reponse.json()["response"]["tableau"]["getRowsResponse"]

        with ThreadPoolExecutor(max_workers=8) as groupe:
            resultats = list(groupe.map(poster, demandes))
    finally:
        serveur.terminate()
        journal = serveur.communicate(timeout=30)[1]
    assert "Booting worker" in journal and journal.count("Booting worker") >= 2, journal[-2000:]
    assert "Traceback" not in journal, journal[-3000:]
    for query, statut, bloc in resultats:
        niveau = query.rsplit("=", 1)[1]
        assert statut == 200
        assert bloc["rowCount"] == attendu[niveau], query
    for niveau in attendu:
        blocs = [b["rowData"] for q, _, b in resultats if q.endswith(niveau)]
        assert all(b == blocs[0] for b in blocs)  # every worker, from its memo or from Redis: one answer
    assert len(set(redis_client.scan_iter("passnum:memo:*")) - cles_avant) >= 3
