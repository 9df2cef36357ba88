"""`passnum rapport`: what it refuses before any work (code 2, French), the mail's subject and body."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.cli import main
from dashboard.cli.rapport import corps, lire_date, objet


def test_rap030_date_du_comite():
    assert lire_date("2024-01-15") == dt.date(2024, 1, 15)
    with pytest.raises(ValueError, match="attendu AAAA-MM-JJ"):
        lire_date("15/01/2024")
    with pytest.raises(ValueError, match="ce jour n'existe pas"):
        lire_date("2023-02-29")


def test_rap031_objet_et_corps():
    assert objet(dt.date(2024, 1, 15)) == "Pass numérique — comité de pilotage du 15/01/2024"
    texte = corps(dt.date(2024, 1, 15), dt.date(2023, 12, 31), True, "comite-2024-01-15.pdf")
    assert "du 15/01/2024 (données au 31/12/2023) : comite-2024-01-15.pdf" in texte
    assert "données de démonstration, fictives" in texte
    assert "fictives" not in corps(dt.date(2024, 1, 15), None, False, "r.pdf")


def test_rap032_refus_avant_tout_travail(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PASSNUM_DATABASE_URL", f"sqlite:///{tmp_path / 'absente.sqlite'}")
    monkeypatch.delenv("PASSNUM_SMTP_URL", raising=False)
    sortie = tmp_path / "r.pdf"
    assert main(["rapport", "--comite", "2024-13-01", "--out", str(sortie)]) == 2
    assert "Erreur : date du comité invalide « 2024-13-01 »" in capsys.readouterr().err
    assert main(["rapport", "--comite", "2024-01-15", "--out", str(sortie), "--envoyer", "a@x.fr,zz"]) == 2
    assert "« zz » n'est pas une adresse électronique" in capsys.readouterr().err
    assert main(["rapport", "--comite", "2024-01-15", "--out", str(sortie), "--envoyer", "a@x.fr"]) == 2
    assert "PASSNUM_SMTP_URL n'est pas définie" in capsys.readouterr().err
    monkeypatch.setenv("PASSNUM_SMTP_URL", "http://u:motdepasse@h")
    assert main(["rapport", "--comite", "2024-01-15", "--out", str(sortie), "--envoyer", "a@x.fr"]) == 2
    erreur = capsys.readouterr().err
    assert "PASSNUM_SMTP_URL doit être une adresse smtp://" in erreur and "motdepasse" not in erreur
    assert not sortie.exists() and not (tmp_path / "absente.sqlite").exists()
