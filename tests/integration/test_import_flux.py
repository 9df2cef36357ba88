"""A large event CSV imported by blocks (dashboard.ingest.flux) writes exactly what the import in one piece
writes; an error in any block leaves nothing written and every block's errors are reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from dashboard.ingest import flux
from dashboard.ingest.chargement import importer

REQUETES = (
    "SELECT count(*), sum(nb_pass) FROM utilisation",
    "SELECT siren_porteur, code_commune, mois, pass_distribues, pass_utilises, pass_rembourses, "
    "pass_non_rembourses FROM activite_mensuelle ORDER BY 1, 2, 3",
    "SELECT siren_porteur, siret, role, mois, code_commune, nb_pass, pass_rembourses FROM "
    "activite_structure_mensuelle ORDER BY 1, 2, 3, 4",
    "SELECT siren_porteur, role, mois, code_commune, nom, nb_pass FROM activite_sans_siret_mensuelle "
    "ORDER BY 1, 2, 3, 4, 5",
    "SELECT siret, role, nom, code_commune FROM structure ORDER BY 1, 2",
    "SELECT kind, lignes, demo FROM import_lot ORDER BY id",
    "SELECT valeur FROM metadonnee WHERE cle = 'date_donnees'",
)


def _copie(base_demo, dossier: Path, nom: str):
    chemin = dossier / f"{nom}.sqlite"
    shutil.copyfile(base_demo.resolved_database_url.removeprefix("sqlite:///"), chemin)
    return create_engine(f"sqlite:///{chemin}")


def _fichier(engine, chemin: Path, n: int = 2_000) -> Path:
    """n distinct redemption lines at the demo's places (some without SIRET, a refund column)."""
    with engine.connect() as c:
        lieux = pd.read_sql(
            text(
                "SELECT DISTINCT a.siren_porteur, a.siret, a.code_commune, s.nom FROM "
                "activite_structure_mensuelle a JOIN structure s ON s.siret = a.siret AND s.role = a.role "
                "WHERE a.role = 'lieu' ORDER BY 1, 2"
            ),
            c,
        )
    alea = np.random.default_rng(7)
    tirage = alea.choice(len(lieux) * 1000, size=n, replace=False)
    lieu, jour = tirage // 1000, tirage % 1000
    choix = lieux.iloc[lieu].reset_index(drop=True)
    sans_siret = alea.random(n) < 0.1
    lignes = pd.DataFrame(
        {
            "siren_porteur": choix["siren_porteur"],
            "date": (pd.Timestamp("2021-01-01") + pd.to_timedelta(jour, unit="D")).strftime("%d/%m/%Y"),
            "code_commune": choix["code_commune"],
            "siret_lieu": choix["siret"].where(~sans_siret, ""),
            "nom_lieu": choix["nom"].where(
                ~sans_siret, "Lieu « sans » SIRET, " + pd.Series(lieu).astype(str)
            ),
            "nb_pass": alea.integers(1, 6, n),
            "rembourse": np.array(["oui", "non", ""], dtype=object)[alea.integers(0, 3, n)],
        }
    )
    lignes.to_csv(chemin, sep=";", index=False, encoding="utf-8-sig")
    return chemin


def _etat(engine) -> list:
    with engine.connect() as c:
        return [c.execute(text(q)).all() for q in REQUETES]


@pytest.fixture
def en_blocs(monkeypatch):
    monkeypatch.setattr(flux, "SEUIL_OCTETS", 0)
    monkeypatch.setattr(flux, "TAILLE_BLOC", 40_000)  # ≈ 400 lines a block


def test_xdx020_par_blocs_comme_d_un_seul_tenant(base_demo, tmp_path, monkeypatch):
    entier, par_blocs = _copie(base_demo, tmp_path, "entier"), _copie(base_demo, tmp_path, "blocs")
    fichier = _fichier(entier, tmp_path / "utilisations.csv")
    rapport = importer(entier, "utilisations", fichier)
    assert rapport.accepte and rapport.lignes == 2_000
    monkeypatch.setattr(flux, "SEUIL_OCTETS", 0)
    monkeypatch.setattr(flux, "TAILLE_BLOC", 40_000)
    assert len(list(flux.corps(fichier))) >= 4
    rapport_blocs = importer(par_blocs, "utilisations", fichier)
    assert rapport_blocs.accepte, rapport_blocs.texte()
    assert (rapport_blocs.lignes, rapport_blocs.description) == (2_000, rapport.description)
    assert _etat(par_blocs) == _etat(entier)
    # The same file again is refused, as any file already imported.
    assert not importer(par_blocs, "utilisations", fichier).accepte


def test_xdx021_une_erreur_dans_un_bloc_et_rien_n_est_ecrit(base_demo, tmp_path, en_blocs):
    engine = _copie(base_demo, tmp_path, "refus")
    avant = _etat(engine)
    fichier = _fichier(engine, tmp_path / "utilisations.csv")
    lignes = fichier.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    lignes[1_800] = lignes[1_800].replace(";", ";abc", 5)  # a bad line in a late block
    lignes[1_200] = lignes[500]  # the same line as in an earlier block
    fichier.write_text("".join(lignes), encoding="utf-8-sig")
    rapport = importer(engine, "utilisations", fichier)
    assert not rapport.accepte
    assert rapport.lignes == 2_000
    assert _etat(engine)[:-2] == avant[:-2]  # nothing written (only the audit journal)
    texte = rapport.texte()
    assert "ligne 1801" in texte
    assert "ligne 1201" in texte and "identique à la ligne 501" in texte
    with engine.connect() as c:
        assert c.scalar(text("SELECT count(*) FROM import_lot")) == len(avant[5])
