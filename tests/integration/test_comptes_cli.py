"""`passnum users add|list|disable|enable`, `passnum audit` and `passnum serve`'s refusals, run for real."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from dashboard.settings import ROOT
from dashboard.store import comptes
from dashboard.store.db import make_engine
from dashboard.store.initialisation import initialiser
from tests.conftest import GEO_DIR, port_libre

MDP = "un-mot-de-passe-solide"


@pytest.fixture(params=["sqlite", "postgresql"])
def base(request, tmp_path):
    from tests.conftest import moteur_temporaire

    with moteur_temporaire(request.param, tmp_path) as engine:
        initialiser(engine, GEO_DIR)
        yield engine, engine.url.render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def base_sqlite(tmp_path_factory):
    """For refusals, which write nothing: one SQLite database for the module."""
    url = f"sqlite:///{tmp_path_factory.mktemp('comptes') / 'comptes.sqlite'}"
    initialiser(make_engine(url), GEO_DIR)
    return url


def _passnum(url: str, *arguments: str, entree: str | None = None, env: dict | None = None):
    return subprocess.run(
        [sys.executable, "-m", "dashboard.cli", *arguments],
        cwd=ROOT,
        env={**os.environ, "PASSNUM_DATABASE_URL": url, **(env or {})},
        input=entree,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cpt001_ajouter_lister_desactiver(base):
    engine, url = base
    ajout = _passnum(
        url,
        "users",
        "add",
        "Chef@Exemple.fr",
        "--role",
        "admin",
        "--nom",
        "Cheffe",
        "--mot-de-passe-stdin",
        entree=MDP + "\n",
    )
    assert ajout.returncode == 0, ajout.stderr
    assert "Compte « chef@exemple.fr » créé : Administrateur national." in ajout.stdout
    coord = _passnum(
        url,
        "users",
        "add",
        "coord@exemple.fr",
        "--role",
        "coordinateur",
        "--region",
        "53",
        "--mot-de-passe-stdin",
        entree=MDP + "\n",
    )
    assert coord.returncode == 0, coord.stderr
    liste = _passnum(url, "users", "list")
    lignes = liste.stdout.splitlines()
    assert lignes[0] == "identifiant;nom;role;region;actif;cree_le;derniere_connexion;proconnect"
    assert lignes[1].startswith("chef@exemple.fr;Cheffe;admin;;oui;")
    assert lignes[2].startswith("coord@exemple.fr;coord@exemple.fr;coordinateur;53;oui;")
    compte = comptes.compte_par_identifiant(engine, "chef@exemple.fr")
    assert compte.mot_de_passe.startswith("$argon2id$") and MDP not in compte.mot_de_passe
    desactive = _passnum(url, "users", "disable", "coord@exemple.fr")
    assert desactive.returncode == 0 and "désactivé" in desactive.stdout
    assert comptes.compte_par_identifiant(engine, "coord@exemple.fr").actif is False
    journal = _passnum(url, "audit").stdout
    assert ";compte_ajoute;chef@exemple.fr;" in journal and ";compte_desactive;coord@exemple.fr;" in journal
    assert ";console:" in journal


@pytest.mark.parametrize(
    ("arguments", "entree", "message"),
    [
        (
            ("users", "add", "x@exemple.fr", "--role", "admin", "--mot-de-passe-stdin"),
            "court\n",
            "12 caractères",
        ),
        (
            ("users", "add", "x@exemple.fr", "--role", "coordinateur", "--mot-de-passe-stdin"),
            MDP + "\n",
            "code de région",
        ),
        (
            (
                "users",
                "add",
                "x@exemple.fr",
                "--role",
                "coordinateur",
                "--region",
                "99",
                "--mot-de-passe-stdin",
            ),
            MDP + "\n",
            "code de région",
        ),
        (
            ("users", "add", "x@exemple.fr", "--role", "lecteur", "--region", "53", "--mot-de-passe-stdin"),
            MDP + "\n",
            "seul un coordinateur",
        ),
        (
            ("users", "add", "'; DROP TABLE utilisateur; --", "--role", "admin", "--mot-de-passe-stdin"),
            MDP + "\n",
            "identifiant invalide",
        ),
        (("users", "disable", "personne@exemple.fr"), None, "aucun compte"),
    ],
)
def test_cpt002_erreurs_en_francais_code_2(base_sqlite, arguments, entree, message):
    resultat = _passnum(base_sqlite, *arguments, entree=entree)
    assert resultat.returncode == 2 and message in resultat.stderr, resultat.stderr
    assert "Traceback" not in resultat.stderr


def test_cpt003_doublon_refuse(base):
    _engine, url = base
    for attendu in (0, 2):
        resultat = _passnum(
            url,
            "users",
            "add",
            "a@exemple.fr",
            "--role",
            "lecteur",
            "--mot-de-passe-stdin",
            entree=MDP + "\n",
        )
        assert resultat.returncode == attendu
    assert "existe déjà" in resultat.stderr


def test_cpt004_serve_refuse_sans_cle_ni_admin_puis_demarre(tmp_path):
    url = f"sqlite:///{tmp_path / 'serve.sqlite'}"
    initialiser(make_engine(url), GEO_DIR)
    sans_cle = _passnum(url, "serve", env={"PASSNUM_SECRET_KEY": ""})
    assert sans_cle.returncode == 2 and "PASSNUM_SECRET_KEY" in sans_cle.stderr
    courte = _passnum(url, "serve", env={"PASSNUM_SECRET_KEY": "court"})
    assert courte.returncode == 2 and "trop courte" in courte.stderr
    cle = {"PASSNUM_SECRET_KEY": "k" * 64}
    sans_admin = _passnum(url, "serve", env=cle)
    assert sans_admin.returncode == 2 and "Aucun administrateur actif" in sans_admin.stderr
    assert (
        _passnum(
            url,
            "users",
            "add",
            "admin@exemple.fr",
            "--role",
            "admin",
            "--mot-de-passe-stdin",
            entree=MDP + "\n",
        ).returncode
        == 0
    )
    port = port_libre()
    serveur = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "serve", "--workers", "1"],
        cwd=ROOT,
        env={**os.environ, "PASSNUM_DATABASE_URL": url, "PASSNUM_PORT": str(port), **cle},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        fin = time.monotonic() + 90
        while time.monotonic() < fin:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/sante", timeout=2) as reponse:
                    assert reponse.status == 200
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError("passnum serve n'a pas répondu")
        # Served, but nothing without an account: the local demo account never exists here (the Dash shell
        # itself is public, for the accessibility statement: a callback is what needs an account).
        requete = urllib.request.Request(
            f"http://127.0.0.1:{port}/_dash-update-component", data=b"{}", method="POST"
        )
        with pytest.raises(urllib.error.HTTPError) as refus:
            urllib.request.urlopen(requete, timeout=10)
        assert refus.value.code == 401
    finally:
        serveur.terminate()
        serveur.wait(timeout=30)
