"""The local OpenID provider the ProConnect tests sign in through: `node fournisseur.mjs` (the certified
`oidc-provider` package, configured like ProConnect), on a free port of the loopback, for the session.

Its packages are installed by `npm ci` from the committed package-lock.json when node_modules is missing (a
clean clone, CI); any failure says so in French, with npm's own words.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import requests

from dashboard.settings import Settings
from tests.conftest import port_libre

DOSSIER = Path(__file__).resolve().parent
URL_PUBLIQUE = "https://pilotage.exemple.gouv.fr"  # PASSNUM_URL of the integration tests (test client)
RETOUR = "/connexion/proconnect/retour"
APRES_DECONNEXION = "/connexion?fin=1"
CLIENT_ID, CLIENT_SECRET = "passnum-tableau-de-bord", "secret-du-client-de-test"
AUTRE_ID, AUTRE_SECRET = "autre-service", "secret-de-l-autre-service"


@dataclass(frozen=True)
class Fournisseur:
    issuer: str
    port_navigateur: int  # the browser test's app server listens there (its redirect URI is registered)

    def settings(self, base: Settings, **autres) -> Settings:
        """`base` signing in through this provider, as PASSNUM_OIDC_* would set it."""
        return replace(
            base,
            oidc_issuer=self.issuer,
            oidc_client_id=CLIENT_ID,
            oidc_client_secret=CLIENT_SECRET,
            **autres,
        )


def _installes() -> bool:
    """npm writes node_modules/.package-lock.json once the whole tree is in place."""
    modules = DOSSIER / "node_modules"
    return (modules / ".package-lock.json").is_file() and (
        modules / "oidc-provider" / "package.json"
    ).is_file()


def installer_paquets() -> None:
    """`npm ci` once, quietly; several pytest workers may ask at once: they wait for each other (a file
    lock), and none starts the provider on a tree being installed."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.fail(
            "Node.js et npm sont nécessaires aux tests ProConnect (fournisseur OpenID local) : absents."
        )
    verrou = Path(tempfile.gettempdir()) / "passnum-oidc-npm-ci.lock"
    with open(verrou, "w") as fichier:
        fcntl.flock(fichier, fcntl.LOCK_EX)
        try:
            if _installes():
                return
            resultat = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=DOSSIER,
                capture_output=True,
                text=True,
                timeout=300,
            )
        finally:
            fcntl.flock(fichier, fcntl.LOCK_UN)
    if resultat.returncode != 0:
        pytest.fail(
            f"`npm ci` a échoué dans {DOSSIER} (code {resultat.returncode}) : le fournisseur OpenID de test "
            f"ne peut pas être installé.\n{resultat.stderr[-3000:]}"
        )


@pytest.fixture(scope="session")
def fournisseur_oidc(tmp_path_factory) -> Iterator[Fournisseur]:
    installer_paquets()
    port, port_navigateur = port_libre(), port_libre()
    navigateur = f"http://localhost:{port_navigateur}"
    journal = tmp_path_factory.mktemp("fournisseur-oidc") / "fournisseur.log"
    env = {
        **os.environ,
        "PORT": str(port),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "AUTRE_CLIENT_ID": AUTRE_ID,
        "AUTRE_CLIENT_SECRET": AUTRE_SECRET,
        "REDIRECT_URIS": ",".join(u + RETOUR for u in (URL_PUBLIQUE, navigateur)),
        "POST_LOGOUT_REDIRECT_URIS": ",".join(u + APRES_DECONNEXION for u in (URL_PUBLIQUE, navigateur)),
    }
    with open(journal, "w") as sortie:
        processus = subprocess.Popen(
            [shutil.which("node") or "node", "fournisseur.mjs"],
            cwd=DOSSIER,
            env=env,
            stdout=sortie,
            stderr=subprocess.STDOUT,
        )
    issuer = f"http://127.0.0.1:{port}"
    try:
        _attendre_la_decouverte(issuer, processus, journal)
        yield Fournisseur(issuer=issuer, port_navigateur=port_navigateur)
    finally:
        processus.terminate()
        try:
            processus.wait(timeout=10)
        except subprocess.TimeoutExpired:
            processus.kill()
            processus.wait(timeout=10)


def _attendre_la_decouverte(issuer: str, processus: subprocess.Popen, journal: Path) -> None:
    limite = time.monotonic() + 30
    while time.monotonic() < limite:
        if processus.poll() is not None:
            pytest.fail(f"Le fournisseur OpenID de test s'est arrêté :\n{journal.read_text()[-3000:]}")
        try:
            if requests.get(issuer + "/.well-known/openid-configuration", timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    processus.kill()
    pytest.fail(f"Le fournisseur OpenID de test ne répond pas après 30 s :\n{journal.read_text()[-3000:]}")
