"""SQL- and formula-injection strings through every field of every import kind, on SQLite and PostgreSQL:
each file is either refused with a French report or loaded with the text kept verbatim — never an
exception, never a statement run, never a formula in an export."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import func, select

from dashboard.exports.estampille import EnteteExport
from dashboard.exports.tableurs import export_csv
from dashboard.ingest.chargement import importer
from dashboard.ingest.schemas import SCHEMAS
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import Distribution, Porteur, Structure
from tests.conftest import GEO_DIR, moteur_temporaire

VALIDES = GEO_DIR.parents[1] / "tests" / "fixtures" / "imports" / "valides"
ORDRE = ("syndicats", "laureats", "commandes", "distributions", "utilisations")
SQL, FORMULE = "'); DROP TABLE porteur; --", '=HYPERLINK("http://x.invalid","clic")'
INJECTIONS = (
    SQL,
    FORMULE,
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "@SUM(A1)",
)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def base(request, tmp_path_factory):
    with moteur_temporaire(request.param, tmp_path_factory.mktemp("injections")) as engine:
        initialiser(engine, GEO_DIR)
        for kind in ORDRE:
            assert importer(engine, kind, VALIDES / f"{kind}.csv").accepte
        yield engine


def _tableau(kind: str) -> pd.DataFrame:
    return pd.read_csv(VALIDES / f"{kind}.csv", sep=None, engine="python", dtype=str, keep_default_na=False)


def _compter(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Porteur))


@pytest.mark.parametrize("kind", ORDRE)
def test_inj001_chaque_champ_de_chaque_fichier(base, kind):
    porteurs = _compter(base)
    tableau = _tableau(kind)
    essais = 0
    colonnes = [c.nom for c in SCHEMAS[kind] if c.nom in tableau.columns]
    for colonne in colonnes:
        for injection in INJECTIONS:
            modifie = tableau.copy()
            modifie.loc[0, colonne] = injection
            contenu = modifie.to_csv(sep=";", index=False).encode()
            rapport = importer(base, kind, contenu, nom_fichier=f"{kind}.csv", dry_run=True)
            essais += 1
            if not rapport.accepte:
                texte = rapport.texte()
                assert "REFUSÉ" in texte and "ligne 2" in texte, (colonne, injection, texte)
    assert len(colonnes) >= 4 and essais == len(colonnes) * len(INJECTIONS)
    assert _compter(base) == porteurs  # every table still there, nothing run


def test_inj002_texte_garde_tel_quel_et_neutralise_a_l_export(base):
    tableau = _tableau("distributions")
    tableau.loc[0, "nom_structure"] = SQL
    tableau.loc[0, "siret_structure"] = "22440002800029"
    tableau.loc[0, "public"] = FORMULE
    rapport = importer(
        base, "distributions", tableau.to_csv(sep=";", index=False).encode(), nom_fichier="i.csv"
    )
    assert rapport.accepte, rapport.texte()
    with base.connect() as connection:
        nom = connection.scalar(select(Structure.nom).where(Structure.siret == "22440002800029"))
        public = connection.scalars(
            select(Distribution.public).where(Distribution.public.like("=HYPER%"))
        ).all()
    assert nom == SQL and public == [FORMULE]
    table = pd.DataFrame({"nom": [nom, public[0]], "pass_distribues": [1, 2]})
    csv = export_csv(table, [("nom", "Nom"), ("pass_distribues", "Pass distribués")], EnteteExport("t"))
    lignes = csv.decode("utf-8-sig").splitlines()
    assert any(ligne.startswith(("'=HYPERLINK", "\"'=HYPERLINK")) for ligne in lignes), lignes
    assert not any(ligne.startswith(("=", '"=')) for ligne in lignes)
