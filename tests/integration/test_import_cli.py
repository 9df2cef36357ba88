"""`python -m dashboard.cli import …` for real, on SQLite and PostgreSQL: exit codes and the French report."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from dashboard.store.initialisation import initialiser
from dashboard.store.schema import ImportLot
from tests.conftest import GEO_DIR, lancer_passnum

IMPORTS = Path(__file__).parents[1] / "fixtures" / "imports"


def passnum(url: str, *arguments: str) -> subprocess.CompletedProcess:
    return lancer_passnum("import", *arguments, url=url, timeout=120)


@pytest.fixture
def url_initialisee(moteur_vierge) -> str:
    initialiser(moteur_vierge, GEO_DIR)
    return moteur_vierge.url.render_as_string(hide_password=False)


def test_cli001_import_refus_dry_run(url_initialisee, moteur_vierge):
    syndicats = passnum(url_initialisee, "syndicats", str(IMPORTS / "valides" / "syndicats.csv"))
    assert syndicats.returncode == 0, syndicats.stderr
    assert (
        "Import « syndicats » du fichier syndicats.csv (CSV UTF-8, séparateur virgule) : 3 lignes importées"
        in (syndicats.stdout)
    )
    assert "Chargement" in syndicats.stderr  # the tqdm bar, on stderr

    refus = passnum(
        url_initialisee, "laureats", str(IMPORTS / "mauvais" / "laureats__siren_luhn.csv"), "--silencieux"
    )
    assert refus.returncode == 2
    assert "REFUSÉ, 1 erreur. Rien n'a été écrit dans la base." in refus.stdout
    assert "ligne 2, colonne siren, valeur « 224400029 »" in refus.stdout
    assert refus.stderr == ""

    essai = passnum(
        url_initialisee, "laureats", str(IMPORTS / "valides" / "laureats.csv"), "--dry-run", "--silencieux"
    )
    assert essai.returncode == 0
    assert "valide (4 lignes). Validation seule : rien n'a été écrit." in essai.stdout

    with moteur_vierge.connect() as connection:
        lots = connection.execute(
            select(ImportLot.kind, ImportLot.utilisateur, ImportLot.avertissements)
        ).all()
    assert [(kind, json.loads(avertissements)) for kind, _, avertissements in lots] == [("syndicats", [])]
    assert lots[0].utilisateur  # the command line records the operating-system account


def test_cli002_fichier_introuvable(url_initialisee, tmp_path):
    absent = passnum(url_initialisee, "commandes", str(tmp_path / "absent.csv"), "--silencieux")
    assert absent.returncode == 2
    assert "fichier introuvable" in absent.stderr
