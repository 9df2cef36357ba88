"""Past saturation `passnum serve` refuses at once, in French, rather than letting requests wait without
end; a worker killed with SIGKILL is replaced and the service keeps answering. Started for real
(`passnum serve --workers 2`), with one request per process (PASSNUM_REQUETES_SIMULTANEES=1, no waiting
place): each process's slot is held by a callback whose body never finishes arriving (a slow client)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import psutil
import pytest
import requests

from dashboard.settings import ROOT
from dashboard.web.portier import ATTENTE_CONSEILLEE_S, MESSAGE
from tests.conftest import copie_avec_comptes, port_libre

MDP = "mot-de-passe-de-test-solide"
COMPTES = {"admin": ("admin@exemple.fr", None)}


@pytest.fixture(scope="module")
def serveur(base_demo, tmp_path_factory) -> Iterator[tuple[str, psutil.Process]]:
    settings = copie_avec_comptes(base_demo, tmp_path_factory.mktemp("saturation"), COMPTES, MDP)
    port = port_libre()
    processus = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "serve", "--workers", "2"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("PASSNUM_")},
            "PASSNUM_DATABASE_URL": settings.resolved_database_url,
            "PASSNUM_PORT": str(port),
            "PASSNUM_SECRET_KEY": "s" * 64,
            "PASSNUM_REQUETES_SIMULTANEES": "1",
            "PASSNUM_REQUETES_EN_ATTENTE": "0",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    maitre = psutil.Process(processus.pid)
    try:
        fin = time.monotonic() + 120
        while time.monotonic() < fin and processus.poll() is None:
            try:
                pret = requests.get(base + "/sante", timeout=2).status_code == 200
                if pret and len(maitre.children()) == 2:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.3)
        else:
            raise AssertionError("passnum serve n'a pas démarré")
        yield base, maitre
    finally:
        processus.terminate()
        journal = processus.communicate(timeout=60)[1]
    assert "Saturation : requête refusée (503)" in journal, journal[-3000:]


def _lent(port: int) -> socket.socket:
    """A callback POST whose body stops after a few bytes: it holds its process's slot until closed."""
    lien = socket.create_connection(("127.0.0.1", port), timeout=10)
    lien.sendall(
        b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n" + b'{"output": "'
    )
    return lien


def _tenu_par(maitre: psutil.Process, lien: socket.socket) -> int | None:
    """The worker holding this connection (its pid), if any."""
    locale = lien.getsockname()[:2]
    for worker in maitre.children():
        try:
            if any(c.raddr and tuple(c.raddr) == locale for c in worker.net_connections(kind="tcp4")):
                return worker.pid
        except psutil.Error:
            continue
    return None


def _occuper(base: str, maitre: psutil.Process) -> dict[int, socket.socket]:
    """Slow callbacks until each worker holds one: {worker pid: its slow connection}."""
    port = int(base.rsplit(":", 1)[1])
    tenus: dict[int, socket.socket] = {}
    for _ in range(40):
        lien = _lent(port)
        lien.settimeout(0.5)
        try:  # a worker whose slot is already taken refuses it at once, without reading the body
            refus = lien.recv(200)
        except TimeoutError:
            refus = b""
        pid = None if refus else _tenu_par(maitre, lien)
        if pid is None or pid in tenus:
            assert not refus or refus.startswith(b"HTTP/1.1 503"), refus
            lien.close()
        else:
            tenus[pid] = lien
        if len(tenus) == 2:
            return tenus
    raise AssertionError(f"les deux processus ne sont pas occupés : {sorted(tenus)}")


def test_chg010_au_dela_de_la_limite_un_refus_francais_vient_aussitot(serveur):
    base, maitre = serveur
    tenus = _occuper(base, maitre)
    try:
        # Every process busy: a callback gets the JSON refusal, a browser the French page, both with
        # Retry-After (a time-out of 10 s here would be the old endless wait).
        rappel = requests.post(base + "/_dash-update-component", json={"output": "x"}, timeout=10)
        assert rappel.status_code == 503, rappel.text[:300]
        assert rappel.headers["Retry-After"] == str(ATTENTE_CONSEILLEE_S)
        assert rappel.json() == {"erreur": "Service momentanément indisponible", "message": MESSAGE}
        page = requests.get(base + "/connexion", headers={"Accept": "text/html"}, timeout=10)
        assert page.status_code == 503 and page.headers["Content-Type"].startswith("text/html")
        assert "réessayez dans quelques secondes" in page.text and '<html lang="fr">' in page.text
        assert page.headers["Retry-After"] == str(ATTENTE_CONSEILLEE_S)
        # Not counted: the health check and the static files a page needs.
        assert requests.get(base + "/sante", timeout=10).status_code == 200
        assert requests.get(base + "/assets/02-theme.css", timeout=10).status_code == 200
    finally:
        for lien in tenus.values():
            lien.close()
    # The slow clients gone, their slots are free again.
    assert _attendre_200(base + "/connexion") == 200


def test_chg011_un_processus_tue_est_remplace_et_le_service_repond_encore(serveur):
    base, maitre = serveur
    tenus = _occuper(base, maitre)
    victime, survivant = list(tenus)
    try:
        os.kill(victime, signal.SIGKILL)  # its slow request is lost with it: it was in flight
        fin = time.monotonic() + 60
        while time.monotonic() < fin:
            enfants = {w.pid for w in maitre.children()}
            if len(enfants) == 2 and victime not in enfants:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("gunicorn n'a pas relancé le processus tué")
        assert survivant in enfants  # the other went on serving (it still holds its slow request)
        # The new process answers; the survivor, still busy, refuses at once (never a hang).
        statuts = set()
        for _ in range(30):
            statuts.add(requests.get(base + "/connexion", timeout=10).status_code)
            if 200 in statuts:
                break
        assert 200 in statuts and statuts <= {200, 503}, statuts
    finally:
        for lien in tenus.values():
            lien.close()
    assert _attendre_200(base + "/connexion") == 200
    rappel = requests.post(base + "/_dash-update-component", json={"output": "x"}, timeout=10)
    assert rappel.status_code in (400, 401, 403), rappel.text[:200]  # judged by the app, not refused
    assert json.loads(rappel.text)["erreur"]


def _attendre_200(url: str) -> int:
    statut = 0
    for _ in range(50):
        statut = requests.get(url, timeout=10).status_code
        if statut == 200:
            break
        time.sleep(0.1)
    return statut
