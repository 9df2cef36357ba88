"""Several hosts behind a load balancer: two `passnum serve`, each from a checkout of its own (its own data/
directory, as on two machines), sharing PostgreSQL and Redis. A file uploaded on one is validated and
confirmed on the other, the background jobs' polling answered by either host (Celery on Redis, started by
`passnum serve` itself); a confirmation forged by another account finds nothing."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
import requests
from sqlalchemy import func, select

from dashboard.settings import ROOT
from dashboard.store.db import make_engine
from dashboard.store.schema import FichierEnAttente, ImportLot, SyndicatMembre
from tests.conftest import base_postgres_temporaire, lancer_passnum, port_libre

pytestmark = pytest.mark.postgres

REDIS_URL = os.environ.get("PASSNUM_TEST_REDIS_HOTES_URL", "redis://127.0.0.1:6379/5")
MDP = "mot-de-passe-des-hotes"
ADMIN, AUTRE = "admin@exemple.fr", "autre@exemple.fr"
SYNDICATS = ROOT / "tests" / "fixtures" / "imports" / "valides" / "syndicats.csv"


def _hote(dossier: Path) -> Path:
    """A checkout of its own: the package copied, the committed reference data and assets shared; its
    data/ directory (pending files, job results on disk) belongs to it alone."""
    shutil.copytree(ROOT / "dashboard", dossier / "dashboard", ignore=shutil.ignore_patterns("__pycache__"))
    (dossier / "assets").symlink_to(ROOT / "assets", target_is_directory=True)
    (dossier / "data").mkdir()
    for partie in ("geo", "demo"):
        (dossier / "data" / partie).symlink_to(ROOT / "data" / partie, target_is_directory=True)
    return dossier


@pytest.fixture(scope="module")
def redis_hotes() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
    except redis.RedisError as exc:  # Redis is part of this project's machines: say clearly it is missing
        pytest.fail(f"Redis injoignable sur {REDIS_URL} : {exc}")
    yield client
    client.flushdb()
    client.close()


@pytest.fixture(scope="module")
def base_hotes() -> Iterator[str]:
    with base_postgres_temporaire() as url:
        init = lancer_passnum("init", "--demo", "none", "--silencieux", url=url)
        assert init.returncode == 0, init.stderr[-2000:]
        for identifiant in (ADMIN, AUTRE):
            ajout = lancer_passnum(
                "users", "add", identifiant, "--role", "admin", "--mot-de-passe-stdin", url=url, entree=MDP
            )
            assert ajout.returncode == 0, ajout.stderr
        yield url


@pytest.fixture(scope="module")
def serveurs(base_hotes, redis_hotes, tmp_path_factory) -> Iterator[list[tuple[str, int]]]:
    """Two `passnum serve --workers 1` on two ports, each from its own checkout: (address, pid)."""
    serveurs, adresses = [], []
    for nom in ("hote-a", "hote-b"):
        dossier = _hote(tmp_path_factory.mktemp(nom))
        port = port_libre()
        env = {
            **os.environ,
            "PYTHONPATH": str(dossier),
            "PASSNUM_DATABASE_URL": base_hotes,
            "PASSNUM_CACHE_URL": REDIS_URL,
            "PASSNUM_PORT": str(port),
            "PASSNUM_SECRET_KEY": "h" * 64,
        }
        serveurs.append(
            subprocess.Popen(
                [sys.executable, "-m", "dashboard.cli", "serve", "--workers", "1"],
                cwd=dossier,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
        adresses.append(f"http://127.0.0.1:{port}")
    journaux = {}
    try:
        for serveur, adresse in zip(serveurs, adresses, strict=True):
            _attendre(serveur, adresse)
        yield [(adresse, serveur.pid) for serveur, adresse in zip(serveurs, adresses, strict=True)]
    finally:
        for serveur in serveurs:
            serveur.terminate()
        for serveur, adresse in zip(serveurs, adresses, strict=True):
            journaux[adresse] = serveur.communicate(timeout=90)[1]
    for adresse, journal in journaux.items():
        assert "Exécuteur des tâches de fond" in journal, journal[-3000:]  # each serve ran its worker
        assert "Traceback" not in journal, (adresse, journal[-3000:])


@pytest.fixture
def hotes(serveurs) -> list[str]:
    return [adresse for adresse, _pid in serveurs]


@pytest.fixture
def hotes_pids(serveurs) -> list[int]:
    return [pid for _adresse, pid in serveurs]


def _attendre(serveur: subprocess.Popen, adresse: str) -> None:
    fin = time.monotonic() + 120
    while time.monotonic() < fin and serveur.poll() is None:
        try:
            if requests.get(adresse + "/sante", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            time.sleep(0.3)
    raise AssertionError(f"passnum serve n'a pas répondu sur {adresse}")


def _connecter(adresse: str, identifiant: str) -> requests.Session:
    """A signed-in browser: its session cookie is valid on every host (sessions are signed, not stored)."""
    session = requests.Session()
    page = session.get(adresse + "/connexion", timeout=10).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    donnees = {"csrf": csrf, "identifiant": identifiant, "mot_de_passe": MDP}
    reponse = session.post(adresse + "/connexion", data=donnees, allow_redirects=False, timeout=30)
    assert reponse.status_code == 303, reponse.text[:300]
    session.headers["X-CSRFToken"] = session.cookies["_csrf_token"]
    return session


def _corps(dependances: list[dict], sortie: str, valeurs: dict) -> dict:
    """The request the renderer posts for the callback whose outputs contain `sortie`."""
    rappel = next(d for d in dependances if sortie in d["output"])
    sorties = [
        {"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]}
        for o in rappel["output"].strip(".").split("...")
    ]

    def entree(e):
        return {**e, "value": valeurs.get(f"{e['id']}.{e['property']}")}

    return {
        "output": rappel["output"],
        "outputs": sorties if rappel["output"].startswith("..") else sorties[0],
        "inputs": [entree(e) for e in rappel["inputs"]],
        "state": [entree(e) for e in rappel["state"]],
        "changedPropIds": [f"{rappel['inputs'][0]['id']}.{rappel['inputs'][0]['property']}"],
    }


def _tache(session: requests.Session, depart: str, suivi: str, corps: dict) -> dict:
    """A background callback started on host `depart`, its polling answered by host `suivi` (a load
    balancer sends each request anywhere)."""
    reponse = session.post(depart + "/_dash-update-component", json=corps, timeout=60)
    assert reponse.status_code == 200, reponse.text[:300]
    poignees = reponse.json()
    adresse = (
        f"{suivi}/_dash-update-component?cacheKey={quote(poignees['cacheKey'])}&job={quote(poignees['job'])}"
    )
    fin = time.monotonic() + 120
    while time.monotonic() < fin:
        reponse = session.post(adresse, json=corps, timeout=60)
        assert reponse.status_code in (200, 204), (reponse.status_code, reponse.text[:300])
        donnees = reponse.json() if reponse.status_code == 200 else {}
        if "response" in donnees:
            return donnees["response"]
        assert reponse.status_code == 200, "la tâche est inconnue de l'hôte qui suit"
        time.sleep(0.3)
    raise AssertionError("la tâche n'a pas fini à temps")


def _compter(url: str, table) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(table))
    finally:
        engine.dispose()


def test_hot001_deposer_sur_un_hote_confirmer_sur_l_autre(hotes, base_hotes, redis_hotes):
    hote_a, hote_b = hotes
    session = _connecter(hote_a, ADMIN)
    dependances = session.get(hote_b + "/_dash-dependencies", timeout=10).json()
    contenu = "data:text/csv;base64," + base64.b64encode(SYNDICATS.read_bytes()).decode()

    # The upload reaches host A: the file is kept in the database, for this account.
    depot = _corps(
        dependances,
        "donnees-depot.data",
        {
            "donnees-upload.contents": contenu,
            "donnees-upload.filename": "syndicats.csv",
            "donnees-kind.value": "syndicats",
            "donnees-remplacer.value": False,
        },
    )
    reponse = session.post(hote_a + "/_dash-update-component", json=depot, timeout=60)
    assert reponse.status_code == 200, reponse.text[:300]
    reference = reponse.json()["response"]["donnees-depot"]["data"]
    # A reference, never the content.
    assert set(reference) == {"empreinte", "extension", "nom", "octets", "kind", "remplacer", "depose_le"}
    assert _compter(base_hotes, FichierEnAttente) == 1

    # Validation: the job started by host B, its progress polled on host A.
    validation = _tache(
        session,
        hote_b,
        hote_a,
        _corps(dependances, "donnees-fichier.data", {"donnees-depot.data": reference}),
    )
    assert "Fichier valide" in str(validation["donnees-rapport"]["children"])
    fichier = validation["donnees-fichier"]["data"]
    assert fichier == reference and validation["donnees-confirmer"]["disabled"] is False
    assert _compter(base_hotes, ImportLot) == 0

    # Another account names the same file in a forged confirmation: not its file, nothing written.
    confirmer = _corps(
        dependances,
        "donnees-historique.children",
        {"donnees-confirmer.n_clicks": 1, "donnees-fichier.data": fichier},
    )
    autre = _connecter(hote_b, AUTRE)
    forge = _tache(autre, hote_a, hote_b, confirmer)
    assert "n'est plus en attente" in str(forge["donnees-rapport"]["children"])
    assert _compter(base_hotes, ImportLot) == 0 and _compter(base_hotes, FichierEnAttente) == 1

    # Confirmation on host B, polled on host B: imported from the file host A received.
    import_ = _tache(session, hote_b, hote_b, confirmer)
    assert "Import réalisé" in str(import_["donnees-rapport"]["children"])
    assert "syndicats.csv" in str(import_["donnees-historique"]["children"])
    assert _compter(base_hotes, ImportLot) == 1 and _compter(base_hotes, SyndicatMembre) > 0
    assert _compter(base_hotes, FichierEnAttente) == 0  # imported: no longer kept

    # The jobs went through Celery on the shared Redis (its queue and results), not each host's disk.
    assert any(k.startswith(b"celery-task-meta-") for k in redis_hotes.scan_iter())


def _executeur(serveur_pid: int) -> int | None:
    """The pid of the `passnum worker` a `passnum serve` runs (one of its children), if any."""
    enfants = []
    for tache in Path(f"/proc/{serveur_pid}/task").iterdir():
        enfants += (tache / "children").read_text().split()
    for pid in enfants:
        try:
            commande = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except FileNotFoundError:
            continue
        if b"worker" in commande and b"dashboard.cli" in commande:
            return int(pid)
    return None


def _executeurs_joignables() -> set[str]:
    """The Celery workers answering a ping on the shared Redis, by name (passnum-PID@machine)."""
    from celery import Celery

    celery = Celery("passnum", broker=REDIS_URL, backend=REDIS_URL)
    try:
        return {nom for reponse in celery.control.ping(timeout=2) for nom in reponse}
    finally:
        celery.close()


def test_hot002_l_executeur_arrete_est_relance_par_serve(hotes, hotes_pids):
    hote_a, hote_b = hotes
    ancien = _executeur(hotes_pids[0])
    assert ancien is not None and any(n.startswith(f"passnum-{ancien}@") for n in _executeurs_joignables())
    os.kill(ancien, signal.SIGKILL)
    fin = time.monotonic() + 90
    nouveau = None
    while time.monotonic() < fin:
        nouveau = _executeur(hotes_pids[0])
        if nouveau not in (None, ancien) and any(
            n.startswith(f"passnum-{nouveau}@") for n in _executeurs_joignables()
        ):
            break
        time.sleep(0.5)
    else:
        raise AssertionError("passnum serve n'a pas relancé son exécuteur de tâches")

    # The jobs still run.
    session = _connecter(hote_a, ADMIN)
    dependances = session.get(hote_a + "/_dash-dependencies", timeout=10).json()
    reference = {
        "empreinte": "c" * 64,
        "extension": ".csv",
        "nom": "x.csv",
        "kind": "syndicats",
        "remplacer": 0,
    }
    corps = _corps(dependances, "donnees-fichier.data", {"donnees-depot.data": reference})
    reponse = _tache(session, hote_a, hote_b, corps)
    assert "n'est plus en attente" in str(reponse["donnees-rapport"]["children"])


def test_hot003_fichier_en_attente_lie_au_compte_et_purge_apres_un_jour(moteur_vierge):
    from datetime import timedelta

    from sqlalchemy import update

    from dashboard.ingest.depot import DepotInvalide, fichier_en_attente, mettre_en_attente, retirer
    from dashboard.store import migration

    migration.upgrade(moteur_vierge)
    donnees = SYNDICATS.read_bytes()
    contenu = "data:text/csv;base64," + base64.b64encode(donnees).decode()
    reference = mettre_en_attente(moteur_vierge, contenu, "syndicats.csv", "syndicats", False, ADMIN)
    assert reference["empreinte"] == hashlib.sha256(donnees).hexdigest()
    depose = fichier_en_attente(moteur_vierge, reference, ADMIN)
    assert (depose.contenu, depose.nom, depose.kind) == (donnees, "syndicats.csv", "syndicats")

    # Another account naming it, or a reference altered in any part, finds nothing.
    for compte, ref in (
        (AUTRE, reference),
        (ADMIN, {**reference, "kind": "commandes"}),
        (ADMIN, {**reference, "extension": ".xlsx"}),
        (ADMIN, {**reference, "empreinte": "0" * 64}),
    ):
        with pytest.raises(DepotInvalide, match="plus en attente"):
            fichier_en_attente(moteur_vierge, ref, compte)
    for forge in ({**reference, "kind": ["syndicats"]}, {**reference, "kind": {}}, [reference]):
        with pytest.raises(DepotInvalide, match="invalide"):
            fichier_en_attente(moteur_vierge, forge, ADMIN)
    with pytest.raises(DepotInvalide, match="inconnu"):
        mettre_en_attente(moteur_vierge, contenu, "syndicats.csv", ["syndicats"], False, ADMIN)
    # The same file deposited by another account is a pending file of its own; removing one keeps the other.
    mettre_en_attente(moteur_vierge, contenu, "syndicats.csv", "syndicats", False, AUTRE)
    retirer(moteur_vierge, reference, AUTRE)
    assert fichier_en_attente(moteur_vierge, reference, ADMIN).contenu == donnees

    # A day later it is no longer pending, and the next upload purges it.
    with moteur_vierge.begin() as connection:
        connection.execute(
            update(FichierEnAttente).values(depose_le=FichierEnAttente.depose_le - timedelta(hours=25))
        )
    with pytest.raises(DepotInvalide, match="plus en attente"):
        fichier_en_attente(moteur_vierge, reference, ADMIN)
    autre = "data:text/csv;base64," + base64.b64encode(b"siren;nom\n").decode()
    mettre_en_attente(moteur_vierge, autre, "laureats.csv", "laureats", False, AUTRE)
    with moteur_vierge.connect() as connection:
        restants = connection.execute(select(FichierEnAttente.depose_par, FichierEnAttente.kind)).all()
    assert restants == [(AUTRE, "laureats")]


def test_hot004_worker_sans_redis_refuse_en_francais(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PASSNUM_CACHE_URL"}
    sortie = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "worker"],
        cwd=ROOT,
        env={**env, "PASSNUM_DATABASE_URL": f"sqlite:///{tmp_path / 'vide.sqlite'}"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert sortie.returncode == 2, sortie.stderr[-2000:]
    assert "PASSNUM_CACHE_URL" in sortie.stderr and "Traceback" not in sortie.stderr
