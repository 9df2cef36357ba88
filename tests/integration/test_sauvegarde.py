"""`passnum sauvegarde` / `passnum restaurer` (issue 17): the whole database in one portable file, restored on
the same engine or the other one with the same indicators; a restore refuses another schema revision and real
data (unless told), backs the database up first and is journaled; lot numbers never go back."""

import json
import zipfile

import pandas as pd
import pytest
from sqlalchemy import func, select

from dashboard.domain.filtres import Filtres
from dashboard.ingest.chargement import importer
from dashboard.settings import ROOT
from dashboard.store import migration, sauvegarde
from dashboard.store.db import make_engine
from dashboard.store.indicateurs import table_indicateurs
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import ImportLot, JournalAudit, Porteur, Utilisateur
from dashboard.store.vue_nationale import serie_mensuelle
from tests.conftest import GEO_DIR, base_postgres_temporaire, lancer_passnum

VALIDES = ROOT / "tests" / "fixtures" / "imports" / "valides"


def _photo(engine) -> dict[str, pd.DataFrame]:
    """What the national view and `passnum indicateurs` show: the indicator tables and the monthly series."""
    photo = {
        f"{niveau}/{vue}": table_indicateurs(engine, niveau, vue, Filtres()).sort_values(
            "code", ignore_index=True
        )
        for niveau, vue in (("porteur", None), ("departement", "territoires"), ("region", "porteurs"))
    }
    photo["serie"] = serie_mensuelle(engine, "territoires", Filtres()).reset_index(drop=True)
    return photo


def _memes(photo: dict, autre: dict) -> None:
    assert photo.keys() == autre.keys()
    for cle, table in photo.items():
        assert len(table) > 0, cle
        pd.testing.assert_frame_equal(table, autre[cle], check_dtype=False, check_categorical=False, obj=cle)


def _compter(engine, table) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(table))


def test_sav001_aller_retour_entre_moteurs_memes_indicateurs(base_demo, tmp_path):
    """The demo on SQLite → backup → PostgreSQL → backup → a new SQLite: the same indicators at each step,
    the same rows in every table, lot numbers and their demo mark kept."""
    source = make_engine(base_demo.resolved_database_url)
    avant = _photo(source)
    premiere = sauvegarde.sauvegarder(source, tmp_path / "sqlite.zip")
    assert premiere.lignes["import_lot"] == 6 and premiere.lignes["distribution"] > 1000
    with zipfile.ZipFile(premiere.chemin) as archive:
        manifeste = json.loads(archive.read("manifeste.json"))
    assert manifeste["revision"] == migration.head_revision() and manifeste["moteur"] == "sqlite"

    with base_postgres_temporaire() as url:
        postgres = make_engine(url)
        migration.upgrade(postgres)
        restauree = sauvegarde.restaurer(postgres, premiere.chemin, acteur="test", dossier=tmp_path / "auto")
        assert restauree.lignes == premiere.lignes
        assert restauree.sauvegarde_prealable.exists()
        _memes(avant, _photo(postgres))
        with postgres.connect() as connection:
            lots = connection.execute(select(ImportLot.id, ImportLot.demo).order_by(ImportLot.id)).all()
            assert lots == [(i, True) for i in range(1, 7)]
            assert (
                connection.scalar(select(JournalAudit.action).order_by(JournalAudit.id.desc()))
                == "restauration"
            )
        seconde = sauvegarde.sauvegarder(postgres, tmp_path / "postgresql.zip")
        postgres.dispose()

    attendu = {**premiere.lignes, "journal_audit": premiere.lignes["journal_audit"] + 1}
    attendu["metadonnee"] = premiere.lignes["metadonnee"] + 1  # the date of the restore
    assert seconde.lignes == attendu

    cible = make_engine(f"sqlite:///{tmp_path / 'cible.sqlite'}")
    migration.upgrade(cible)
    sauvegarde.restaurer(cible, seconde.chemin, acteur="test", dossier=tmp_path / "auto")
    _memes(avant, _photo(cible))
    assert _compter(cible, Porteur) == _compter(source, Porteur)


def test_sav002_ligne_de_commande_refus_et_journal(tmp_path):
    """The CLI: backup; restore refused over real data without the flag, accepted with it (automatic backup
    first, path printed, journaled); another revision or a file that is no backup: a French refusal. (The
    functions under it are run on PostgreSQL by sav001 and sav003.)"""
    with _base("sqlite", tmp_path) as (engine, url):
        initialiser(engine, GEO_DIR)
        assert importer(engine, "syndicats", VALIDES / "syndicats.csv", utilisateur="test").ecrit
        fichier = tmp_path / "sauvegarde.zip"
        sortie = lancer_passnum("sauvegarde", str(fichier), url=url)
        assert sortie.returncode == 0, sortie.stderr
        assert f"Sauvegarde écrite : {fichier}" in sortie.stdout

        assert importer(engine, "laureats", VALIDES / "laureats.csv", utilisateur="test").ecrit
        refus = lancer_passnum("restaurer", str(fichier), url=url)
        assert refus.returncode == 2 and "données réelles" in refus.stderr and "Traceback" not in refus.stderr
        assert _compter(engine, Porteur) > 0 and _compter(engine, ImportLot) == 2  # nothing changed

        accord = lancer_passnum("restaurer", str(fichier), "--ecraser-donnees-reelles", url=url)
        assert accord.returncode == 0, accord.stderr
        prealable = accord.stdout.split("avant restauration : ")[1].splitlines()[0]
        assert zipfile.is_zipfile(prealable)
        with engine.connect() as connection:
            assert connection.scalars(select(ImportLot.kind)).all() == ["syndicats"]
            actions = connection.scalars(select(JournalAudit.action).order_by(JournalAudit.id)).all()
        assert actions == ["import", "restauration"]  # the journal of the backup, then the restore

        autre = tmp_path / "autre-revision.zip"
        with zipfile.ZipFile(fichier) as source, zipfile.ZipFile(autre, "w") as copie:
            for nom in source.namelist():
                contenu = source.read(nom)
                if nom == "manifeste.json":
                    contenu = json.dumps({**json.loads(contenu), "revision": "0001"}).encode()
                copie.writestr(nom, contenu)
        with pytest.raises(sauvegarde.SauvegardeInvalide, match="révision 0001"):
            sauvegarde.restaurer(engine, autre, acteur="test", ecraser_donnees_reelles=True)
        (tmp_path / "faux.zip").write_bytes(b"pas une archive")
        with pytest.raises(sauvegarde.SauvegardeInvalide, match="n'est pas une sauvegarde"):
            sauvegarde.restaurer(engine, tmp_path / "faux.zip", acteur="test")
        assert _compter(engine, ImportLot) == 1


@pytest.mark.parametrize("genre", ["sqlite", "postgresql"])
def test_sav003_restaurer_une_ancienne_sauvegarde_ne_redonne_pas_les_numeros(genre, tmp_path):
    """Lot 2 existed, then an older backup (lot 1 only) was restored: the next import is lot 3, never a
    second « lot n° 2 » in the journal. Accounts travel with the backup."""
    from dashboard.store.comptes import ajouter_compte

    with _base(genre, tmp_path) as (engine, _url):
        initialiser(engine, GEO_DIR)
        ajouter_compte(engine, "a@exemple.fr", "A", "admin", "x", None, "test")
        assert importer(engine, "syndicats", VALIDES / "syndicats.csv").import_lot_id == 1
        ancienne = sauvegarde.sauvegarder(engine, tmp_path / "ancienne.zip")
        assert importer(engine, "laureats", VALIDES / "laureats.csv").import_lot_id == 2
        sauvegarde.restaurer(
            engine, ancienne.chemin, acteur="test", ecraser_donnees_reelles=True, dossier=tmp_path / "auto"
        )
        assert _compter(engine, Utilisateur) == 1
        assert importer(engine, "laureats", VALIDES / "laureats.csv").import_lot_id == 3


class _base:
    """An initialised-later database of the given kind: (engine, url)."""

    def __init__(self, genre, dossier):
        self.genre, self.dossier, self.pg = genre, dossier, None

    def __enter__(self):
        if self.genre == "sqlite":
            url = f"sqlite:///{self.dossier / 'base.sqlite'}"
        else:
            self.pg = base_postgres_temporaire()
            url = self.pg.__enter__()
        self.engine = make_engine(url)
        return self.engine, url

    def __exit__(self, *exc):
        self.engine.dispose()
        if self.pg is not None:
            self.pg.__exit__(*exc)


def test_sav004_fichiers_en_attente_hors_des_sauvegardes(moteur_vierge, tmp_path):
    """A file waiting for its confirmation (up to 200 MB, gone within a day) is not data: the backup lists
    its table, empty, and the restore leaves none."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from dashboard.store.schema import FichierEnAttente

    migration.upgrade(moteur_vierge)
    with moteur_vierge.begin() as connection:
        connection.execute(
            insert(FichierEnAttente).values(
                depose_par="a@x.fr",
                empreinte="0" * 64,
                extension=".csv",
                nom="gros.csv",
                kind="laureats",
                contenu=b"x" * 100_000,
                depose_le=datetime.now(UTC),
            )
        )
    faite = sauvegarde.sauvegarder(moteur_vierge, tmp_path / "b.zip")
    assert faite.lignes["fichier_en_attente"] == 0
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        assert archive.read("fichier_en_attente.jsonl") == b""
    sauvegarde.restaurer(moteur_vierge, tmp_path / "b.zip", acteur="test", dossier=tmp_path)
    assert _compter(moteur_vierge, FichierEnAttente) == 0
