"""Loading a demo dataset: generated, then imported through the importer exactly like real files (never
mixed with real data: refused as soon as one lot was not written by this loader, whatever a page shows);
the dataset it replaces is backed up first (data/sauvegardes/) and the load is journaled; and the first
start of the embedded database (schema, reference, small demo)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, delete, func, select, text

from dashboard.domain.progression import Progression
from dashboard.domain.vocabulaire import CLE_DATE_DONNEES, CLE_DEMO, KINDS, ORDRE_IMPORT
from dashboard.store import metadonnees, schema
from dashboard.store.comptes import auditer
from dashboard.store.initialisation import RapportInit, initialiser
from dashboard.store.sauvegarde import donnees_reelles, sauvegarde_automatique

GRAINE_DEMO = 2019
ACTEUR_DEMO = "passnum init"
REFUS_DONNEES_REELLES = (
    "La base contient des données réelles (des imports qui ne viennent pas du jeu de démonstration) : "
    "le jeu de démonstration n'y est pas chargé et rien n'a été modifié."
)
# Programme data, children first: what a demo dataset may replace.
TABLES_PROGRAMME = (
    schema.ActiviteStructureMensuelle,
    schema.ActiviteSansSiretMensuelle,
    schema.ActiviteMensuelle,
    schema.CommandeMensuelle,
    schema.Utilisation,
    schema.Distribution,
    schema.Commande,
    schema.Structure,
    schema.Lieu,
    schema.Convention,
    schema.Porteur,
    schema.SyndicatMembre,
    schema.Syndicat,
    schema.ImportLot,
)


# The national envelopes the programme published (reference: programme.md): AAP 2019, 10 M€ of the State
# for 1 million passes; AAP 2020, 15 M€ of the State (no national objective of passes published).
ENVELOPPES_PUBLIEES = {2019: (10_000_000.0, 1_000_000), 2020: (15_000_000.0, None)}
ACTEUR_ENVELOPPES = "démonstration"


class DemoImpossible(RuntimeError):
    pass


@dataclass(frozen=True)
class DemoChargee:
    """True when the dataset was loaded; `sauvegarde`: the automatic backup of what it replaced."""

    chargee: bool
    sauvegarde: Path | None = None

    def __bool__(self) -> bool:
        return self.chargee


@dataclass(frozen=True)
class RapportPreparation:
    base: RapportInit
    demo: str
    demo_chargee: bool  # False: none asked, or that dataset was already loaded
    sauvegarde: Path | None = None  # the automatic backup of the demo dataset it replaced


def preparer(
    engine: Engine, geo_dir: Path, demo: str, progression: Progression | None = None
) -> RapportPreparation:
    """`passnum init --demo …`: idempotent; a demo dataset never mixes with real data."""
    base = initialiser(engine, geo_dir, progression)
    if demo == "none":
        return RapportPreparation(base, demo, False)
    chargee = charger_demo(engine, geo_dir, demo, progression)
    return RapportPreparation(base, demo, chargee.chargee, chargee.sauvegarde)


def charger_demo(
    engine: Engine,
    geo_dir: Path,
    scale: str,
    progression: Progression | None = None,
    *,
    acteur: str = ACTEUR_DEMO,
    sauvegardes: Path | None = None,
) -> DemoChargee:
    """Generate the demo files and import them; false when that dataset is already loaded. DemoImpossible
    (French, journaled) when the database holds real data. What it replaces is backed up first
    (`sauvegardes`, default data/sauvegardes/ beside geo_dir)."""
    from dashboard.demo.generateur import generer, lire_territoires
    from dashboard.ingest.chargement import importer

    with engine.connect() as connection:
        actuel = metadonnees.lire(connection, CLE_DEMO)
        reelles = donnees_reelles(connection)
        lots = connection.scalar(select(func.count()).select_from(schema.ImportLot))
    if reelles:
        _refuser(engine, acteur, scale)
    if actuel == scale:
        return DemoChargee(False)
    sauvegarde = None
    if lots:
        dossier = sauvegardes or geo_dir.parent / "sauvegardes"
        try:
            sauvegarde = sauvegarde_automatique(engine, f"avant-demo-{scale}", dossier).chemin
        except OSError as exc:
            raise DemoImpossible(
                f"Sauvegarde automatique impossible dans {dossier} ({exc.strerror or exc}) : "
                "le jeu de démonstration n'est pas chargé et rien n'a été modifié."
            ) from None
    with engine.begin() as connection:
        _verrouiller(connection)
        if donnees_reelles(connection):  # an import written since the check above
            connection.rollback()
            _refuser(engine, acteur, scale)
        _vider_programme(connection)  # another demo dataset, or a failed attempt
    with tempfile.TemporaryDirectory(prefix="passnum-demo-") as dossier:
        fichiers = generer(scale, GRAINE_DEMO, Path(dossier), lire_territoires(geo_dir), progression)
        for kind in ORDRE_IMPORT:
            rapport = importer(
                engine,
                kind,
                fichiers[kind],
                progression=_prefixer(progression, kind),
                utilisateur=ACTEUR_DEMO,
                demo=True,
            )
            if not rapport.accepte:
                with engine.begin() as connection:
                    _verrouiller(connection)
                    if not donnees_reelles(connection):
                        _vider_programme(connection)
                raise DemoImpossible(f"Le fichier de démonstration {kind} est refusé :\n{rapport.texte()}")
    with engine.begin() as connection:
        metadonnees.ecrire(connection, CLE_DEMO, scale)
    if scale in ("national", "x10"):
        _fixer_enveloppes(engine, 10 if scale == "x10" else 1)
    charger_comites_demo(engine)
    details = {"remplace": actuel, "sauvegarde": None if sauvegarde is None else str(sauvegarde)}
    auditer(engine, acteur, "demo_chargee", cible=scale, details=details)
    return DemoChargee(True, sauvegarde)


def _fixer_enveloppes(engine: Engine, facteur: int = 1) -> None:
    """The national demo's waves get the envelopes the programme published (journaled); the x10 demo,
    ten times its activity, ten times those envelopes."""
    from dashboard.store.enveloppes import fixer_enveloppe

    for vague, (montant, objectif) in ENVELOPPES_PUBLIEES.items():
        objectif = None if objectif is None else objectif * facteur
        fixer_enveloppe(engine, vague, montant * facteur, objectif, acteur=ACTEUR_ENVELOPPES)


ACTEUR_COMITES = "démonstration"
# Two monthly committees of the demo (its data run to 31/12/2023: « depuis le dernier comité » shows
# December's activity), and notes pinned to entities of the demo, found in its data.
COMITES_DEMO = (
    (date(2023, 10, 17), "Comité de pilotage d'octobre"),
    (date(2023, 11, 21), "Comité de pilotage de novembre"),
)


def charger_comites_demo(engine: Engine) -> int:
    """The demo's committees and notes (author « démonstration »), in place of those already there;
    the number of notes written. Notes on a laureate go to laureates of the loaded data."""
    from dashboard.store import comites

    with engine.begin() as connection:
        connection.execute(delete(schema.NoteComite).where(schema.NoteComite.auteur == ACTEUR_COMITES))
        connection.execute(delete(schema.Comite).where(schema.Comite.cree_par == ACTEUR_COMITES))
        porteurs = {
            t: connection.scalar(
                select(schema.Porteur.siren)
                .where(schema.Porteur.type == t)
                .order_by(schema.Porteur.nom)
                .limit(1)
            )
            for t in ("CD", "SM", "EPCI")
        }
        cd29 = connection.scalar(
            select(schema.Porteur.siren).where(
                schema.Porteur.type == "CD", schema.Porteur.code_territoire == "29"
            )
        )
    for jour, titre in COMITES_DEMO:
        comites.ajouter_comite(engine, jour, titre, ACTEUR_COMITES)
    octobre, novembre = (jour for jour, _ in COMITES_DEMO)
    notes = [
        (
            "national",
            None,
            octobre,
            "Décision : point d'étape mensuel sur les pass distribués non utilisés, "
            "par vague, à présenter à chaque comité.",
        ),
        (
            "departement",
            "29",
            octobre,
            "Décision : relance du CD 29 sur la distribution aux structures de "
            "médiation du centre Finistère.",
        ),
        (
            "region",
            "53",
            octobre,
            "Le coordinateur régional présentera au prochain comité la liste des lieux "
            "acceptant le Pass en Bretagne.",
        ),
        (
            "national",
            None,
            novembre,
            "Décision : recenser les pass non utilisés avant la clôture annoncée de "
            "l'opérateur ; relance des lauréats sous 40 % d'utilisation.",
        ),
        (
            "porteur",
            porteurs["SM"],
            novembre,
            "Relance écrite envoyée ; rendez-vous fixé avec l'équipe projet en décembre.",
        ),
        (
            "porteur",
            cd29 or porteurs["CD"],
            novembre,
            "Suivi : nouvelle campagne de distribution en décembre, à vérifier au prochain comité.",
        ),
        (
            "porteur",
            porteurs["EPCI"],
            date(2023, 12, 5),
            "Point de suivi : utilisations en hausse depuis la relance de novembre.",
        ),
    ]
    ecrites = 0
    for niveau, code, jour, texte in notes:
        if niveau == "porteur" and not code:
            continue
        comites.ajouter_note(engine, niveau, code, jour, texte, ACTEUR_COMITES)
        ecrites += 1
    return ecrites


def _refuser(engine: Engine, acteur: str, scale: str):
    auditer(engine, acteur, "demo_refusee", cible=scale, details={"motif": "données réelles"})
    raise DemoImpossible(REFUS_DONNEES_REELLES)


def _verrouiller(connection) -> None:
    """No import may write while the programme tables are emptied (SQLite: the first write takes the
    database's write lock; PostgreSQL: the journal of lots is locked against inserts)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("LOCK TABLE import_lot IN EXCLUSIVE MODE"))
    else:
        metadonnees.ecrire(connection, CLE_DEMO, None)


def _prefixer(progression: Progression | None, kind: str) -> Progression | None:
    """Each generated file's steps, named in French: « Utilisations de pass : lecture du fichier »."""
    from dashboard.ingest.chargement import LIBELLES_ETAPES

    if progression is None:
        return None
    fichier = KINDS.get(kind, kind)
    return lambda etape, fait, total: progression(
        f"{fichier} : {LIBELLES_ETAPES.get(etape, etape).lower()}", fait, total
    )


def _vider_programme(connection) -> None:
    for table in TABLES_PROGRAMME:
        connection.execute(delete(table))
    for cle in (CLE_DEMO, CLE_DATE_DONNEES):
        metadonnees.ecrire(connection, cle, None)


def preparer_embarquee(engine: Engine, geo_dir: Path, progression: Progression | None = None) -> None:
    """A fresh embedded database (the first start of `python app.py`): schema, reference geography, and
    the small demo dataset when it holds no programme data yet."""
    initialiser(engine, geo_dir, progression)
    with engine.connect() as connection:
        vide = not connection.scalar(select(func.count()).select_from(schema.ImportLot))
    if vide:
        charger_demo(engine, geo_dir, "small", progression)
