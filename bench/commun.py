"""What the bench scripts share: their command line, the app on a given database, the percentile."""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path
from tempfile import mkdtemp

from dashboard import create_app
from dashboard.settings import ROOT, Settings
from dashboard.vues.nationale import prechauffer


def arguments(description: str, tours: int) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--base", required=True, help="URL SQLAlchemy d'une base avec la démo nationale")
    parser.add_argument("--tours", type=int, default=tours)
    return parser.parse_args()


IDENTIFIANT, MOT_DE_PASSE = "banc@exemple.fr", "mot-de-passe-du-banc"


def application(base: str):
    """The dashboard on `base` as `passnum serve` runs it (accounts, no local demo account, data read
    before the first request: `prechauffage_s` says how long that took), its data folder a fresh
    temporary one holding the repository's geometry; a reader's account for the bench."""
    from dashboard.store.comptes import ajouter_compte, compte_par_identifiant
    from dashboard.web.acces.mots_de_passe import hacher

    dossier = Path(mkdtemp(prefix="passnum-bench-"))
    (dossier / "geo").symlink_to(ROOT / "data" / "geo")
    app = create_app(Settings(database_url=base, data_dir=dossier, secret_key="banc-" * 8))
    engine = app.server.config["PASSNUM_CONTEXTE"].engine
    if compte_par_identifiant(engine, IDENTIFIANT) is None:
        ajouter_compte(engine, IDENTIFIANT, "Banc", "lecteur", hacher(MOT_DE_PASSE), None, "banc")
    debut = time.perf_counter()
    prechauffer(app.server.config["PASSNUM_CONTEXTE"])
    app.prechauffage_s = time.perf_counter() - debut
    return app


def client_connecte(app):
    """A WSGI test client signed in like a browser: the sign-in form, then the CSRF header on each POST."""
    client = app.server.test_client()
    page = client.get("/connexion").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    reponse = client.post(
        "/connexion", data={"csrf": csrf, "identifiant": IDENTIFIANT, "mot_de_passe": MOT_DE_PASSE}
    )
    assert reponse.status_code == 303, reponse.get_data(as_text=True)[:300]
    client.environ_base["HTTP_X_CSRFTOKEN"] = client.get_cookie("_csrf_token").value
    return client


def connecter_navigateur(navigateur, base: str, suivant: str = "/") -> None:
    """Signs in through the form, then lands on `suivant` (a path that loads no script keeps the
    browser's cache empty of the dashboard's JavaScript)."""
    from selenium.webdriver.support.ui import WebDriverWait

    navigateur.get(f"{base}/connexion?suivant={suivant}")
    navigateur.find_element("id", "identifiant").send_keys(IDENTIFIANT)
    champ = navigateur.find_element("id", "mot_de_passe")
    champ.send_keys(MOT_DE_PASSE)
    champ.submit()
    WebDriverWait(navigateur, 30).until(lambda d: "/connexion" not in d.current_url)


def port_libre() -> int:
    """A free port of the loopback, for a server the bench starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def centile(valeurs: list[float], q: int) -> float:
    return statistics.quantiles(valeurs, n=100, method="inclusive")[q - 1] if len(valeurs) > 1 else valeurs[0]


def processus(arguments: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Runs a command from the repository's root; (wall seconds, peak resident memory of the process in
    MB, CPU seconds user + system, by os.wait4). On a shared machine the CPU time varies less than the wall
    time; a database server's own work (PostgreSQL) is in neither. Fails loudly, with the command's end."""
    debut = time.perf_counter()
    with subprocess.Popen(
        arguments,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    ) as p:
        sortie = p.stdout.read()
        _, statut, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(statut)
    duree = time.perf_counter() - debut
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(arguments)} : code {p.returncode}\n{sortie.decode()[-3000:]}")
    return duree, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


HOTE = "127.0.0.1"  # where the bench's servers listen


def http_(port: int, methode: str, chemin: str, cookies: dict, corps=None, entetes=None, timeout=180):
    """One request to a bench server on a new connection, the cookies it sets kept in `cookies`;
    (status, body bytes)."""
    connexion = http.client.HTTPConnection(HOTE, port, timeout=timeout)
    try:
        tous = {**(entetes or {}), **({"Cookie": _cookies(cookies)} if cookies else {})}
        connexion.request(methode, chemin, corps, tous)
        reponse = connexion.getresponse()
        contenu = reponse.read()
        for entete in reponse.headers.get_all("Set-Cookie") or []:
            cookies.update({k: m.value for k, m in SimpleCookie(entete).items()})
        return reponse.status, contenu
    finally:
        connexion.close()


def _cookies(cookies: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def connecter_http(port: int) -> dict:
    """The bench reader signed in through the form of a server on `port`: the headers of its requests
    (cookies, CSRF)."""
    cookies: dict = {}
    _, page = http_(port, "GET", "/connexion", cookies)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.decode()).group(1)
    champs = urllib.parse.urlencode({"csrf": csrf, "identifiant": IDENTIFIANT, "mot_de_passe": MOT_DE_PASSE})
    formulaire = {"Content-Type": "application/x-www-form-urlencoded"}
    statut, texte = http_(port, "POST", "/connexion", cookies, champs, formulaire)
    if statut != 303:
        raise RuntimeError(f"connexion du compte du banc refusée ({statut}) : {texte[:300]!r}")
    return {"Cookie": _cookies(cookies), "X-CSRFToken": cookies["_csrf_token"]}
