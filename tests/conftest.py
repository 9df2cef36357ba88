"""Shared fixtures: an initialised SQLite database, and a fresh database on the local PostgreSQL server.

PostgreSQL (127.0.0.1:5432, user postgres, trust auth) runs on every development and CI machine of this
project: tests use it for real. PASSNUM_TEST_POSTGRES_URL overrides the server URL.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from dashboard.settings import ROOT, Settings
from dashboard.store.db import make_engine
from dashboard.store.initialisation import initialiser

POSTGRES_URL = os.environ.get(
    "PASSNUM_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
GEO_DIR = ROOT / "data" / "geo"


def pytest_configure(config) -> None:
    """Under pytest-xdist (`-n 2`), each worker starts its Dash test servers on ports of its own (dash's
    runner counts from 58050 in every process: two workers would collide). Servers started by tests do
    not warm the export renderers (PASSNUM_EXPORTS_CHAUFFE=0) unless a test sets it."""
    # The servers tests start warm no export renderer unless a test asks (a Chromium per worker is load).
    os.environ.setdefault("PASSNUM_EXPORTS_CHAUFFE", "0")
    travailleur = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1…
    if travailleur.startswith("gw"):
        from dash.testing.application_runners import BaseDashRunner

        BaseDashRunner._next_port = 58050 + 1000 * int(travailleur[2:])


def lancer_passnum(
    *arguments: str, url: str, timeout: int = 600, entree: str | None = None
) -> subprocess.CompletedProcess:
    """The `passnum` command line, run for real in a subprocess on the given database."""
    return subprocess.run(
        [sys.executable, "-m", "dashboard.cli", *arguments],
        cwd=ROOT,
        env={**os.environ, "PASSNUM_DATABASE_URL": url},
        input=entree,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def port_libre() -> int:
    """A free port of the loopback (for a server a test starts, or an address nobody answers)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def settings_pour(url: str, data_dir: Path) -> Settings:
    """Settings on a given database, with the repository's reference geography and assets. The local demo
    account answers the loopback, as under `python app.py`; access-control tests switch it off."""
    (data_dir / "geo").symlink_to(GEO_DIR, target_is_directory=True)
    return Settings(database_url=url, data_dir=data_dir, secret_key="cle-de-test", compte_local=True)


def copie_avec_comptes(
    settings: Settings, dossier: Path, comptes_: dict[str, tuple[str, str | None]], mdp: str
):
    """A copy of a SQLite database (written to freely) with accounts {role: (identifiant, région)}, served
    without the local demo account: what `passnum serve` runs."""
    import sqlite3
    from dataclasses import replace

    from dashboard.store.comptes import ajouter_compte
    from dashboard.web.acces.mots_de_passe import hacher

    copie = dossier / "copie.sqlite"
    with (
        sqlite3.connect(settings.resolved_database_url.removeprefix("sqlite:///")) as src,
        sqlite3.connect(copie) as dst,
    ):
        src.backup(dst)
    nouvelle = replace(settings_pour(f"sqlite:///{copie}", dossier), compte_local=False)
    engine = make_engine(nouvelle.resolved_database_url)
    for role, (identifiant, region) in comptes_.items():
        ajouter_compte(
            engine, identifiant, identifiant.split("@")[0].title(), role, hacher(mdp), region, "test"
        )
    engine.dispose()
    return nouvelle


def client_rappels(app):
    """A test client of the app that sends the CSRF token back like Dash's renderer does (the header
    X-CSRFToken, from the `_csrf_token` cookie the server sets on any response)."""
    client = app.server.test_client()
    client.get("/sante")
    client.environ_base["HTTP_X_CSRFTOKEN"] = client.get_cookie("_csrf_token").value
    return client


@pytest.fixture(scope="session")
def base_sqlite_initialisee(tmp_path_factory) -> Settings:
    """One SQLite database with schema and reference geography, shared read-only by the session."""
    dossier = tmp_path_factory.mktemp("sqlite")
    settings = settings_pour(f"sqlite:///{dossier / 'passnum.sqlite'}", dossier)
    initialiser(make_engine(settings.resolved_database_url), settings.geo_dir)
    return settings


@contextmanager
def base_postgres_temporaire() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards."""
    nom = f"passnum_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{nom}"'))
    except Exception as exc:  # the server is part of this project's machines: say clearly it is missing
        pytest.fail(f"PostgreSQL injoignable sur {POSTGRES_URL} : {exc}")
    try:
        yield admin.url.set(database=nom).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def moteur_temporaire(genre: str, dossier: Path) -> Iterator[Engine]:
    """An empty database of the given kind ("sqlite" or "postgresql")."""
    if genre == "sqlite":
        engine = make_engine(f"sqlite:///{dossier / 'vierge.sqlite'}")
        yield engine
        engine.dispose()
        return
    with base_postgres_temporaire() as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture
def url_postgres_vierge() -> Iterator[str]:
    with base_postgres_temporaire() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def moteur_vierge(request, tmp_path) -> Iterator[Engine]:
    """An empty database of each supported kind, for one test."""
    with moteur_temporaire(request.param, tmp_path) as engine:
        yield engine


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def moteur_module(request, tmp_path_factory) -> Iterator[Engine]:
    """An empty database of each supported kind, shared by the tests of a module (read-only use)."""
    with moteur_temporaire(request.param, tmp_path_factory.mktemp("base")) as engine:
        yield engine


@pytest.fixture(scope="session")
def base_demo(tmp_path_factory) -> Settings:
    """A SQLite database with the small demo dataset, loaded through the importer (read-only use)."""
    from dashboard.demo.chargement import charger_demo

    dossier = tmp_path_factory.mktemp("demo")
    settings = settings_pour(f"sqlite:///{dossier / 'demo.sqlite'}", dossier)
    engine = make_engine(settings.resolved_database_url)
    initialiser(engine, settings.geo_dir)
    charger_demo(engine, settings.geo_dir, "small")
    return settings
