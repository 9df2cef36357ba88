"""No click loses data, one import per file (issue 17), on SQLite and PostgreSQL: a demo dataset is refused as
soon as one real import exists (decided from the database, from the CLI or the page alike, typed confirmation
or not); a replacement takes an automatic backup and is journaled; lot numbers are never given twice; two
imports of one file started together write exactly one lot."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from dashboard.demo.chargement import DemoImpossible, charger_demo
from dashboard.domain.droits import ADMIN, Principal
from dashboard.ingest.chargement import importer
from dashboard.settings import ROOT
from dashboard.store import migration, sauvegarde
from dashboard.store.db import make_engine
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import ImportLot, JournalAudit, Porteur, Syndicat, SyndicatMembre
from dashboard.vues import donnees as vue_donnees
from tests.conftest import GEO_DIR, base_postgres_temporaire, settings_pour

VALIDES = ROOT / "tests" / "fixtures" / "imports" / "valides"


def _compter(engine, table, *conditions) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(table).where(*conditions))


def _actions(engine) -> list[str]:
    with engine.connect() as connection:
        return connection.scalars(select(JournalAudit.action).order_by(JournalAudit.id)).all()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo_puis_reel(request, base_demo, tmp_path_factory):
    """The attack's database: the small demo, then a real file imported on top through the importer (the
    demo badge stays set). A copy of the session's demo base, through a backup (PostgreSQL too)."""
    dossier = tmp_path_factory.mktemp("demo-reel")
    copie = sauvegarde.sauvegarder(make_engine(base_demo.resolved_database_url), dossier / "demo.zip")
    if request.param == "sqlite":
        url, pg = f"sqlite:///{dossier / 'base.sqlite'}", None
    else:
        pg = base_postgres_temporaire()
        url = pg.__enter__()
    engine = make_engine(url)
    migration.upgrade(engine)
    sauvegarde.restaurer(engine, copie.chemin, acteur="test", dossier=dossier / "auto")
    rapport = importer(engine, "syndicats", VALIDES / "syndicats.csv", utilisateur="agent@exemple.fr")
    assert rapport.ecrit, rapport.texte()
    yield engine, settings_pour(url, dossier)
    engine.dispose()
    if pg is not None:
        pg.__exit__(None, None, None)


def test_sav010_demo_refusee_des_qu_un_import_reel_existe(demo_puis_reel):
    """On main, the national demo wiped the real import (the demo badge said « demo ») and lot numbers
    restarted at 1. Here: refused, nothing changed, the refusal journaled."""
    engine, _settings = demo_puis_reel
    lots, porteurs = _compter(engine, ImportLot), _compter(engine, Porteur)
    for echelle in ("national", "small"):
        with pytest.raises(DemoImpossible, match="données réelles"):
            charger_demo(engine, GEO_DIR, echelle, acteur="admin@exemple.fr")
    assert _compter(engine, ImportLot) == lots and _compter(engine, Porteur) == porteurs
    assert _compter(engine, ImportLot, ImportLot.utilisateur == "agent@exemple.fr") == 1
    assert _actions(engine)[-2:] == ["demo_refusee", "demo_refusee"]


def test_sav011_page_confirmation_tapee_et_refus_cote_serveur(demo_puis_reel):
    """/donnees: the demo needs its name typed, and even typed it is refused over real data, whatever the
    page showed; a replacement needs REMPLACER typed."""
    engine, settings = demo_puis_reel
    admin = Principal(ADMIN, "admin@exemple.fr", "Admin")
    lots = _compter(engine, ImportLot)
    with pytest.raises(DemoImpossible, match="tapez le nom du jeu"):
        vue_donnees.charger(settings, admin, "national", "oui", lambda *_: None)
    with pytest.raises(DemoImpossible, match="données réelles"):
        vue_donnees.charger(settings, admin, "national", " National ", lambda *_: None)
    assert _compter(engine, ImportLot) == lots

    fichier = {"empreinte": "a" * 64, "extension": ".csv", "kind": "laureats"}
    assert vue_donnees.refus_remplacement(fichier, None) is None  # not a replacement
    for saisie in (None, "", "oui", "remplace"):
        assert "tapez REMPLACER" in vue_donnees.refus_remplacement({**fichier, "remplacer": True}, saisie)
    assert vue_donnees.refus_remplacement({**fichier, "remplacer": True}, " remplacer ") is None


@pytest.fixture(params=["sqlite", "postgresql"])
def base_initialisee(request, tmp_path):
    if request.param == "sqlite":
        url, pg = f"sqlite:///{tmp_path / 'base.sqlite'}", None
    else:
        pg = base_postgres_temporaire()
        url = pg.__enter__()
    engine = make_engine(url)
    initialiser(engine, GEO_DIR)
    yield engine, url
    engine.dispose()
    if pg is not None:
        pg.__exit__(None, None, None)


def test_sav012_numero_de_lot_jamais_redonne(base_initialisee):
    """Lot 1 was deleted (as the demo loader empties the tables): the next import is lot 2 — on main, SQLite
    gave 1 again and the journal held two « lot n° 1 »."""
    engine, _url = base_initialisee
    assert importer(engine, "syndicats", VALIDES / "syndicats.csv").import_lot_id == 1
    with engine.begin() as connection:
        for table in (SyndicatMembre, Syndicat, ImportLot):
            connection.execute(delete(table))
    assert importer(engine, "syndicats", VALIDES / "syndicats.csv").import_lot_id == 2


def test_sav013_deux_commandes_import_du_meme_fichier_en_meme_temps(base_initialisee):
    """Two `passnum import` of one file started together: exactly one lot, the other refused in French."""
    engine, url = base_initialisee
    commande = [sys.executable, "-m", "dashboard.cli", "import", "syndicats", str(VALIDES / "syndicats.csv")]
    environnement = {**os.environ, "PASSNUM_DATABASE_URL": url}
    processus = [
        subprocess.Popen(
            [*commande, "--silencieux"], cwd=ROOT, env=environnement, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    sorties = [(p.communicate(timeout=300)[0], p.returncode) for p in processus]
    assert sorted(code for _sortie, code in sorties) == [0, 2], sorties
    refus = next(sortie for sortie, code in sorties if code == 2)
    assert "fichier déjà importé" in refus and "Traceback" not in refus
    assert _compter(engine, ImportLot) == 1


def _course(engine, remplacer: bool) -> tuple:
    """Two imports of one file, interleaved for sure: the second reads the lots and validates while the
    first is inside its write transaction (as two tabs confirming together, or two commands); then the
    first commits and the second writes. Returns both reports."""
    premier_dedans, second_valide = threading.Event(), threading.Event()
    rapports: dict[int, object] = {}

    def premier_avance(etape, _fait, _total):
        if etape == "chargement" and not premier_dedans.is_set():
            premier_dedans.set()
            second_valide.wait(60)

    def second_avance(etape, fait, total):
        if etape == "validation" and fait == total:
            second_valide.set()

    def lancer(numero, avancer):
        rapports[numero] = importer(
            engine,
            "syndicats",
            VALIDES / "syndicats.csv",
            remplacer=remplacer,
            utilisateur=f"onglet {numero}",
            progression=avancer,
        )

    premier = threading.Thread(target=lancer, args=(1, premier_avance))
    premier.start()
    assert premier_dedans.wait(60)
    lancer(2, second_avance)
    premier.join(60)
    return rapports[1], rapports[2]


def test_sav014_deux_confirmations_simultanees_un_seul_lot(base_initialisee, tmp_path):
    """Two confirmations of one file at once: on main both were written (two lots, same checksum). Here one
    lot, the other refused « fichier déjà importé (import simultané) »; the same for two replacements."""
    engine, _url = base_initialisee
    premier, second = _course(engine, remplacer=False)
    assert premier.ecrit and not second.ecrit
    assert "fichier déjà importé (import simultané)" in second.texte()
    assert _compter(engine, ImportLot) == 1

    dossier = sauvegarde.dossier_sauvegardes(engine)  # PostgreSQL: the repository's data/sauvegardes
    deja = set(dossier.glob("*.zip"))
    premier, second = _course(engine, remplacer=True)
    for fichier in set(dossier.glob("*.zip")) - deja:  # each replacement backed the base up first
        fichier.unlink()
    assert premier.ecrit and not second.ecrit
    assert "déjà remplacé (import simultané)" in second.texte()
    with engine.connect() as connection:
        lots = connection.execute(
            select(ImportLot.id, ImportLot.remplace, ImportLot.remplace_lot_id).order_by(ImportLot.id)
        ).all()
    assert lots == [(1, True, None), (premier.import_lot_id, False, 1)]


def test_sav015_remplacer_sauvegarde_avant_et_journalise(base_initialisee):
    """`--remplacer` (legitimate on real data): an automatic backup first, its path in the report, the
    replacement journaled, the replaced lot kept in the history, out of force."""
    engine, _url = base_initialisee
    assert importer(engine, "syndicats", VALIDES / "syndicats.csv", utilisateur="a").ecrit
    membres = _compter(engine, SyndicatMembre)
    rapport = importer(engine, "syndicats", VALIDES / "syndicats.csv", remplacer=True, utilisateur="b")
    assert rapport.ecrit and rapport.import_lot_id == 2
    chemin = rapport.texte().split("sauvegarde automatique prise avant le remplacement : ")[1].split()[0]
    manifeste = sauvegarde.lire_manifeste(Path(chemin))
    assert manifeste["tables"]["import_lot"]["lignes"] == 1  # the database as it was before
    assert _compter(engine, SyndicatMembre) == membres
    assert _actions(engine)[-2:] == ["import_remplace", "import"]
    assert _compter(engine, ImportLot, ImportLot.remplace) == 1
    Path(chemin).unlink()


def test_sav016_sans_sauvegarde_possible_rien_n_est_remplace(tmp_path):
    """The automatic backup cannot be written (data/sauvegardes is a file here): the replacement is refused
    in French and nothing changes — never a replacement without its backup, never a traceback."""
    engine = make_engine(f"sqlite:///{tmp_path / 'base.sqlite'}")
    initialiser(engine, GEO_DIR)
    assert importer(engine, "syndicats", VALIDES / "syndicats.csv").ecrit
    (tmp_path / "sauvegardes").write_text("pas un dossier")
    rapport = importer(engine, "syndicats", VALIDES / "syndicats.csv", remplacer=True)
    assert not rapport.ecrit and "sauvegarde automatique impossible" in rapport.texte()
    assert _compter(engine, ImportLot) == 1 and _compter(engine, ImportLot, ImportLot.remplace) == 0
    engine.dispose()
