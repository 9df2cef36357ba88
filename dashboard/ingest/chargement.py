"""`importer`: read, validate, then load one file in ONE transaction with ONE journal entry.

Any error → nothing is written (not even the journal). `dry_run` runs the whole load and rolls it back,
so that its verdict and its warnings are exactly those of the real import.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from dashboard.domain.formatage import date_courte
from dashboard.domain.progression import Progression
from dashboard.ingest import agregats, banatic, flux, numeros
from dashboard.ingest import lieux as lieux_
from dashboard.ingest.ecriture import inserer_en_masse, upsert
from dashboard.ingest.lecture import FichierIllisible, Limites, Tableau, lire_fichier
from dashboard.ingest.perimetre import PerimetreRegional
from dashboard.ingest.rapport import Anomalie, Collecteur, RapportImport
from dashboard.ingest.schemas import EVENEMENTS, SCHEMAS, STRUCTURES
from dashboard.ingest.validation import COLONNE_PARTAGEE, Reference, colonnes, valider
from dashboard.store.comptes import auditer
from dashboard.store.sauvegarde import sauvegarde_automatique
from dashboard.store.schema import (
    Commande,
    Convention,
    Distribution,
    ImportLot,
    Porteur,
    Structure,
    Syndicat,
    SyndicatMembre,
    Utilisation,
)

__all__ = ["Anomalie", "RapportImport", "importer"]

LIBELLES_ETAPES = {
    "lecture": "Lecture du fichier",
    "validation": "Validation",
    "chargement": "Chargement",
    "agrégats": "Agrégats mensuels",
}
"""The importer's steps (the `etape` of its progress), in French."""

CONSEIL_REMPLACEMENT = "relancez avec --remplacer pour remplacer l'import précédent"
"""What a file already imported tells the command line's user; the page Données gives its own words."""


# The technical detail of a file the readers failed on, for the operators (never shown to the user, and
# at INFO: the command line's stderr stays free of tracebacks).
_journal = logging.getLogger("passnum.imports")
MOTIF_INATTENDU = (
    "son contenu a mis le lecteur en échec (fichier abîmé ou forgé ?) ; le détail technique est dans le "
    "journal du serveur"
)


class _AnnulerDryRun(Exception):
    """Raised at the end of a dry run to roll the transaction back."""


def importer(
    engine: Engine,
    kind: str,
    fichier: Path | bytes,
    *,
    nom_fichier: str | None = None,
    dry_run: bool = False,
    remplacer: bool = False,
    utilisateur: str | None = None,
    progression: Progression | None = None,
    region_autorisee: str | None = None,
    demo: bool = False,
    limites: Limites | None = None,
    conseil_remplacement: str = CONSEIL_REMPLACEMENT,
) -> RapportImport:
    """Import one file of `kind`; `region_autorisee` (a région code) restricts it to the laureates whose
    perimeter touches that région, as for a regional coordinator (None: no restriction); `demo`: written
    by the demo loader (any other lot is real data). Every real import, loaded or refused, goes to the
    audit log; a replacement (`remplacer`) takes an automatic backup first. `limites`: how big a file may
    be read, the wall time counted from this call; `passnum import` and the page Données give those of the
    settings, the other callers (the demo's generated files) get the default bounds without a wall time.
    `conseil_remplacement`: how the user replaces a file already imported, in the words of their channel."""
    rapport = _importer(
        engine,
        kind,
        fichier,
        nom_fichier,
        dry_run,
        remplacer,
        utilisateur,
        progression,
        region_autorisee,
        demo,
        replace(limites or Limites(duree_s=math.inf), debut=time.monotonic()),
        conseil_remplacement,
    )
    # A refused file is audited even when only validated (the page Données validates before importing):
    # who tried to bring which file in is the point of the journal.
    if not dry_run or not rapport.accepte:
        auditer(
            engine,
            utilisateur or "?",
            "import" if rapport.accepte else "import_refuse",
            cible=f"lot n° {rapport.import_lot_id}" if rapport.accepte else rapport.fichier,
            details={
                "type": kind,
                "fichier": rapport.fichier,
                "lignes": rapport.lignes,
                "empreinte": rapport.checksum,
                "erreurs": rapport.nb_erreurs,
                "region": region_autorisee,
                **({"validation_seule": True} if dry_run else {}),
            },
        )
    return rapport


def _importer(
    engine: Engine,
    kind: str,
    fichier: Path | bytes,
    nom_fichier: str | None,
    dry_run: bool,
    remplacer: bool,
    utilisateur: str | None,
    progression: Progression | None,
    region_autorisee: str | None,
    demo: bool,
    limites: Limites,
    conseil_remplacement: str,
) -> RapportImport:
    if kind not in SCHEMAS and kind != lieux_.KIND:
        raise ValueError(f"type d'import inconnu : {kind} (attendu : {', '.join([*SCHEMAS, lieux_.KIND])})")
    # Read first: an unknown région is the caller's mistake, reported before reading a large file.
    perimetre = _perimetre(engine, region_autorisee)
    avancer = progression or (lambda _etape, _fait, _total: None)
    if flux.en_flux(fichier, kind):  # a large event CSV: read, validated and written by blocks
        return _importer_en_flux(
            engine,
            kind,
            Path(fichier),
            nom_fichier,
            (dry_run, remplacer, demo),
            utilisateur,
            avancer,
            perimetre,
            limites,
            conseil_remplacement,
        )
    contenu = bytes(fichier) if isinstance(fichier, bytes | bytearray) else Path(fichier).read_bytes()
    nom = nom_fichier or (Path(fichier).name if not isinstance(fichier, bytes | bytearray) else "fichier")
    rapport = RapportImport(kind, nom, hashlib.sha256(contenu).hexdigest(), 0, [], [], False, None, dry_run)
    erreurs = Collecteur()

    avancer("lecture", 0, 1)
    try:
        if kind == lieux_.KIND:
            tableau = lieux_.lire(contenu, limites)
        else:
            tableau = lire_fichier(contenu, kind, banatic.selection if kind == "syndicats" else None, limites)
    except FichierIllisible as exc:
        erreurs.ajouter(Anomalie(None, None, None, f"fichier illisible : {exc}"))
        return _conclure(rapport, erreurs)
    except Exception:  # whatever a forged file does to the readers, it is refused in French, journaled
        _journal.info("lecture du fichier %s impossible", nom, exc_info=True)
        erreurs.ajouter(Anomalie(None, None, None, f"fichier illisible : {MOTIF_INATTENDU}"))
        return _conclure(rapport, erreurs)
    rapport.lignes, rapport.description = len(tableau.donnees), tableau.description
    avancer("lecture", 1, 1)

    with engine.connect() as connection:
        precedent = _lot_precedent(connection, kind, rapport.checksum)
        reference = Reference.lire(connection)
        if kind == lieux_.KIND:
            reference_lieux = lieux_.ReferenceLieux.lire(connection, reference.codes_communes())
    if precedent is not None and not remplacer:
        erreurs.ajouter(_deja_importe(precedent, conseil_remplacement))
        return _conclure(rapport, erreurs)

    avancer("validation", 0, 1)
    try:
        if kind == lieux_.KIND:
            donnees = lieux_.valider_pour(rapport, tableau, reference_lieux, erreurs, date.today(), perimetre)
        else:
            donnees = _valider(tableau, kind, reference, erreurs, rapport, perimetre)
            if donnees is not None:
                with engine.connect() as connection:  # pass numbers: between lines and against the database
                    numeros.verifier(
                        connection,
                        kind,
                        donnees,
                        tableau,
                        erreurs,
                        reference.porteurs,
                        precedent and precedent[0],
                    )
        limites.verifier_duree("la validation")
    except FichierIllisible as exc:
        erreurs.ajouter(Anomalie(None, None, None, f"fichier refusé : {exc}"))
    except DBAPIError:
        raise  # the database, not the file: the caller says it
    except Exception:
        _journal.info("validation du fichier %s impossible", nom, exc_info=True)
        erreurs.ajouter(Anomalie(None, None, None, f"fichier refusé : {MOTIF_INATTENDU}"))
    avancer("validation", 1, 1)
    if erreurs:
        return _conclure(rapport, erreurs)
    del tableau

    try:
        _ecrire(
            engine,
            rapport,
            lambda _connection: iter([donnees]),
            precedent[0] if precedent else None,
            utilisateur,
            avancer,
            demo,
        )
    except _AnnulerDryRun:
        pass
    except EcritureImpossible as exc:
        erreurs.ajouter(Anomalie(None, None, None, str(exc)))
        rapport.import_lot_id = None
        return _conclure(rapport, erreurs)
    except DBAPIError as exc:  # a safety net: validation should have caught it, and nothing was written
        erreurs.ajouter(Anomalie(None, None, None, f"la base de données a refusé l'écriture : {exc.orig}"))
        rapport.import_lot_id = None
        return _conclure(rapport, erreurs)
    return rapport


def _deja_importe(precedent: tuple[int, datetime | None], conseil_remplacement: str) -> Anomalie:
    lot_id, le = precedent
    return Anomalie(
        None,
        None,
        None,
        f"fichier déjà importé (même contenu) : {conseil_remplacement}",
        f"lot n° {lot_id} du {date_courte(le.date()) if le else '?'}",
    )


class _BlocRefuse(Exception):
    """A block of a large file has errors: leaves the transaction, which is rolled back."""


def _importer_en_flux(
    engine: Engine,
    kind: str,
    chemin: Path,
    nom_fichier: str | None,
    options: tuple[bool, bool, bool],
    utilisateur: str | None,
    avancer: Progression,
    perimetre: PerimetreRegional | None,
    limites: Limites,
    conseil_remplacement: str,
) -> RapportImport:
    """A large event CSV (dashboard.ingest.flux): each block read, validated and written in the one
    transaction of the import; at the first error the transaction is rolled back (nothing written) and
    the remaining blocks are only validated, so that the report counts every error."""
    dry_run, remplacer, demo = options
    rapport = RapportImport(
        kind, nom_fichier or chemin.name, flux.empreinte(chemin), 0, [], [], False, None, dry_run
    )
    erreurs = Collecteur()
    with engine.connect() as connection:
        precedent = _lot_precedent(connection, kind, rapport.checksum)
        reference = Reference.lire(connection)
    if precedent is not None and not remplacer:
        erreurs.ajouter(_deja_importe(precedent, conseil_remplacement))
        return _conclure(rapport, erreurs)
    lecteur = flux.LecteurFlux(chemin, kind, limites)
    blocs, taille = lecteur.blocs(), chemin.stat().st_size
    lot_remplace = precedent[0] if precedent else None
    entetes = {"lisibles": True}

    def valider_bloc(connection: Connection, bloc: flux.Bloc) -> pd.DataFrame | None:
        avancer("lecture", bloc.lus, taille)
        avertissements = rapport.avertissements if lecteur.lignes == len(bloc.tableau.donnees) else []
        if not colonnes(bloc.tableau, kind, erreurs, avertissements):
            entetes["lisibles"] = False
            return None
        donnees = valider(
            bloc.tableau, kind, reference, erreurs, date.today(), perimetre, rapport.informations
        )
        numeros.verifier(connection, kind, donnees, bloc.tableau, erreurs, reference.porteurs, lot_remplace)
        return donnees

    def morceaux(connection: Connection) -> Iterator[pd.DataFrame]:
        for bloc in blocs:
            donnees = valider_bloc(connection, bloc)
            if erreurs:
                raise _BlocRefuse
            yield donnees
        lecteur.doublons(erreurs)
        rapport.lignes, rapport.description = lecteur.lignes, lecteur.description
        if erreurs or not rapport.lignes:
            raise _BlocRefuse

    try:
        _ecrire(engine, rapport, morceaux, lot_remplace, utilisateur, avancer, demo)
    except _AnnulerDryRun:
        pass
    except _BlocRefuse:  # rolled back: the other blocks are validated for the report only
        try:
            if entetes["lisibles"]:
                with engine.connect() as connection:
                    for bloc in blocs:
                        valider_bloc(connection, bloc)
                lecteur.doublons(erreurs)
        except FichierIllisible as exc:
            erreurs.ajouter(Anomalie(None, None, None, f"fichier refusé : {exc}"))
        rapport.lignes, rapport.description = lecteur.lignes, lecteur.description
        if not rapport.lignes and not erreurs:
            erreurs.ajouter(Anomalie(None, None, None, "aucune ligne de données sous la ligne d'en-tête"))
        return _conclure(rapport, erreurs)
    except FichierIllisible as exc:
        erreurs.ajouter(Anomalie(None, None, None, f"fichier refusé : {exc}"))
        return _conclure(rapport, erreurs)
    except EcritureImpossible as exc:
        erreurs.ajouter(Anomalie(None, None, None, str(exc)))
        return _conclure(rapport, erreurs)
    except DBAPIError as exc:
        erreurs.ajouter(Anomalie(None, None, None, f"la base de données a refusé l'écriture : {exc.orig}"))
        return _conclure(rapport, erreurs)
    return rapport


def _valider(
    tableau: Tableau,
    kind: str,
    reference: Reference,
    erreurs: Collecteur,
    rapport: RapportImport,
    perimetre: PerimetreRegional | None,
) -> pd.DataFrame | None:
    """The typed rows of the file, in this project's format or (syndicats) BANATIC's."""
    banatique = kind == "syndicats" and banatic.reconnaitre(tableau)
    if banatique and not banatic.colonnes(tableau, erreurs):
        return None
    if not banatique and not colonnes(tableau, kind, erreurs, rapport.avertissements):
        return None
    if rapport.lignes == 0:
        erreurs.ajouter(Anomalie(None, None, None, "aucune ligne de données sous la ligne d'en-tête"))
        return None  # nothing to validate (the readers of values expect at least one line)
    if banatique:
        return banatic.valider(
            tableau, reference, erreurs, date.today(), perimetre, rapport.informations, rapport.fichier
        )
    return valider(tableau, kind, reference, erreurs, date.today(), perimetre, rapport.informations)


def _perimetre(engine: Engine, region: str | None) -> PerimetreRegional | None:
    if region is None:
        return None
    with engine.connect() as connection:
        return PerimetreRegional.lire(connection, region)


def _conclure(rapport: RapportImport, erreurs: Collecteur) -> RapportImport:
    rapport.erreurs = list(erreurs.anomalies)
    rapport.comptes_erreurs = dict(erreurs.comptes)
    rapport.ecrit = False
    return rapport


class EcritureImpossible(Exception):
    """The write cannot start: nothing was written (French message, reported like a refusal)."""


class ImportSimultane(EcritureImpossible):
    """The same content was written meanwhile by another import (French message)."""


def _lot_precedent(connection: Connection, kind: str, checksum: str) -> tuple[int, datetime | None] | None:
    """The lot in force with this content (at most one: index uq_import_lot_contenu)."""
    ligne = connection.execute(
        select(ImportLot.id, ImportLot.importe_le)
        .where(ImportLot.kind == kind, ImportLot.checksum == checksum, ~ImportLot.remplace)
        .order_by(ImportLot.id.desc())
        .limit(1)
    ).first()
    return None if ligne is None else (ligne[0], ligne[1])


def _ecrire(
    engine: Engine,
    rapport: RapportImport,
    morceaux: Callable[[Connection], Iterator[pd.DataFrame]],
    remplace: int | None,
    utilisateur: str | None,
    avancer: Progression,
    demo: bool = False,
) -> None:
    sauvegarde = None
    if remplace is not None and not rapport.dry_run:
        try:
            sauvegarde = sauvegarde_automatique(engine, f"avant-remplacement-lot-{remplace}").chemin
        except OSError as exc:
            raise EcritureImpossible(
                f"sauvegarde automatique impossible avant le remplacement ({exc.strerror or exc}) : "
                "rien n'a été écrit"
            ) from None
    with engine.begin() as connection:
        lot_id = _nouveau_lot(connection, rapport, remplace, utilisateur, demo)
        retires = _retirer_lot(connection, rapport.kind, remplace) if remplace is not None else set()
        sirens, lignes = _charger_morceaux(connection, rapport.kind, morceaux(connection), lot_id, avancer)
        if rapport.kind == lieux_.KIND:
            rapport.informations += lieux_.bilan(lignes)
        if rapport.kind in ("commandes", *EVENEMENTS):
            avancer("agrégats", 0, 1)
            if remplace is None:
                _ajouter_aux_agregats(connection, rapport.kind, lignes, avancer)
            else:  # rows also disappeared: rebuild from the raw tables
                _recalculer_agregats(connection, rapport.kind, sorted(set(sirens) | retires))
            if rapport.kind in EVENEMENTS:
                agregats.mettre_a_jour_date_donnees(connection)
            rapport.avertissements += agregats.incoherences_entonnoir(connection, sirens)
            avancer("agrégats", 1, 1)
        journal = [a.phrase() for a in rapport.avertissements]
        journal += [f"information : {phrase}" for phrase in rapport.informations]
        connection.execute(
            update(ImportLot)
            .where(ImportLot.id == lot_id)
            .values(avertissements=json.dumps(journal, ensure_ascii=False), lignes=rapport.lignes)
        )
        if rapport.dry_run:
            raise _AnnulerDryRun  # leaves the `begin()` block: the whole transaction is rolled back
    rapport.ecrit, rapport.import_lot_id = True, lot_id
    if sauvegarde is not None:
        rapport.informations.append(f"sauvegarde automatique prise avant le remplacement : {sauvegarde}")
        auditer(
            engine,
            utilisateur or "?",
            "import_remplace",
            cible=f"lot n° {remplace}",
            details={
                "remplace_par": f"lot n° {lot_id}",
                "fichier": rapport.fichier,
                "sauvegarde": str(sauvegarde),
            },
        )


def _charger_morceaux(
    connection: Connection, kind: str, morceaux: Iterator[pd.DataFrame], lot_id: int, avancer: Progression
) -> tuple[list[str], pd.DataFrame]:
    """Write each piece of the file (one, or the blocks of a large event file); the porteurs and the lines
    for the aggregates (events: summed by month beforehand, which the aggregates do anyway)."""
    sirens, lignes = set(), []
    for donnees in morceaux:
        touches, ecrites = CHARGEURS[kind](connection, donnees, lot_id, avancer)
        del donnees
        sirens.update(touches)
        lignes.append(_par_mois(kind, ecrites) if kind in EVENEMENTS else ecrites)
    return sorted(sirens), lignes[0] if len(lignes) == 1 else pd.concat(lignes, ignore_index=True)


def _par_mois(kind: str, lignes: pd.DataFrame) -> pd.DataFrame:
    """Event lines summed by laureate, month (its first day, as a date), commune, structure and refund:
    what the monthly aggregates read of them."""
    col_siret, col_nom, _ = STRUCTURES[kind]
    codes, jours = pd.factorize(lignes["date"])
    mois = pd.Series(np.array([j[:8] + "01" for j in jours], dtype=object)[codes], index=lignes.index)
    cles = ["siren_porteur", "date", "code_commune", col_siret, col_nom]
    cles += ["rembourse"] if "rembourse" in lignes else []
    return (
        lignes[[c for c in cles if c != "date"] + ["nb_pass"]]
        .assign(date=mois)
        .groupby(cles, sort=False, dropna=False, as_index=False)["nb_pass"]
        .sum()
    )


DEJA_IMPORTE = "fichier déjà importé (import simultané) : un autre import du même contenu vient d'être écrit"


def _nouveau_lot(
    connection: Connection, rapport: RapportImport, remplace: int | None, utilisateur: str | None, demo: bool
) -> int:
    """The journal line of the lot, first thing in the transaction: a second import of the same content,
    started meanwhile, waits here for the first and is refused (unique index on the lots in force) before
    writing anything (the error leaves the transaction: no savepoint, which pysqlite would commit). A
    replacement takes the replaced lot out of force in the same transaction."""
    if remplace is not None:
        retire = connection.execute(
            update(ImportLot).where(ImportLot.id == remplace, ~ImportLot.remplace).values(remplace=True)
        )
        if retire.rowcount != 1:
            raise ImportSimultane(
                f"fichier déjà remplacé (import simultané) : le lot n° {remplace} vient d'être remplacé"
            )
    try:
        return connection.execute(
            insert(ImportLot).values(
                kind=rapport.kind,
                fichier=rapport.fichier[:400],
                checksum=rapport.checksum,
                lignes=rapport.lignes,
                utilisateur=utilisateur,
                importe_le=datetime.now(UTC),
                remplace_lot_id=remplace,
                demo=demo,
            )
        ).inserted_primary_key[0]
    except IntegrityError as exc:
        message = str(exc.orig)  # PostgreSQL names the index, SQLite its columns
        if "uq_import_lot_contenu" in message or "import_lot.kind, import_lot.checksum" in message:
            raise ImportSimultane(DEJA_IMPORTE) from None
        raise


def _retirer_lot(connection: Connection, kind: str, lot_id: int) -> set[str]:
    """--remplacer: the earlier lot's rows go (returns their porteurs); porteurs and syndicats are
    upserted again by the new lot (they are identities that other rows refer to)."""
    table = {
        "laureats": Convention,
        "commandes": Commande,
        "distributions": Distribution,
        "utilisations": Utilisation,
    }.get(kind)
    if table is None:
        return set()
    sirens = set(
        connection.scalars(select(table.siren_porteur).where(table.import_lot_id == lot_id).distinct())
    )
    connection.execute(delete(table).where(table.import_lot_id == lot_id))
    return sirens


def _ajouter_aux_agregats(
    connection: Connection, kind: str, lignes: pd.DataFrame, avancer: Progression
) -> None:
    if kind == "commandes":
        agregats.ajouter_commandes(connection, lignes, avancer)
    else:
        agregats.ajouter_activite(connection, kind, lignes, avancer)


def _recalculer_agregats(connection: Connection, kind: str, sirens: list[str]) -> None:
    if kind == "commandes":
        agregats.recalculer_commandes(connection, sirens)
        return
    agregats.recalculer_activite(connection, sirens)
    table = Distribution if kind == "distributions" else Utilisation
    agregats.recalculer_structures(connection, sirens, table, STRUCTURES[kind][2])


def _sans_nan(df: pd.DataFrame) -> list[dict]:
    return [
        {k: (None if pd.isna(val) else val) for k, val in ligne.items()} for ligne in df.to_dict("records")
    ]


def _charger_laureats(
    connection: Connection, donnees: pd.DataFrame, lot_id: int, avancer: Progression
) -> list[str]:
    porteurs = donnees.drop_duplicates("siren", keep="last")[
        ["siren", "nom", "type", "sous_type", "code_territoire", "code_territoire_brut"]
    ]
    upsert(connection, Porteur, _sans_nan(porteurs.assign(import_lot_id=lot_id)), ["siren"])
    existantes = {
        (siren, vague): id_
        for id_, siren, vague in connection.execute(
            select(Convention.id, Convention.siren_porteur, Convention.vague)
        )
    }
    champs = [
        "date_convention",
        "budget_total_eur",
        "subvention_etat_eur",
        "subvention_versee_eur",
        "pass_prevus",
    ]
    conventions = donnees.rename(columns={"siren": "siren_porteur"})[["siren_porteur", "vague", *champs]]
    conventions = conventions.assign(vague=conventions["vague"].astype(int), import_lot_id=lot_id)
    nouvelles, modifiees = [], []
    for ligne in _sans_nan(conventions):
        ligne["pass_prevus"] = None if ligne["pass_prevus"] is None else int(ligne["pass_prevus"])
        ligne["date_convention"] = (
            date.fromisoformat(ligne["date_convention"]) if ligne["date_convention"] else None
        )
        id_ = existantes.get((ligne["siren_porteur"], ligne["vague"]))
        (nouvelles if id_ is None else modifiees).append(ligne if id_ is None else {**ligne, "id_": id_})
    if nouvelles:
        connection.execute(insert(Convention), nouvelles)
    for ligne in modifiees:
        id_ = ligne.pop("id_")
        connection.execute(update(Convention).where(Convention.id == id_).values(**ligne))
    avancer("chargement", len(donnees), len(donnees))
    return sorted(porteurs["siren"]), conventions


def _charger_syndicats(
    connection: Connection, donnees: pd.DataFrame, lot_id: int, avancer: Progression
) -> list[str]:
    """Each syndicat of the file with its whole membership (the earlier one is replaced), where it comes
    from (our format or BANATIC) and the date the file gives."""
    syndicats = donnees.drop_duplicates("siren_syndicat", keep="last")
    lignes = [
        {"siren": s, "nom": n, "source": source, "perimetre_au": au, "import_lot_id": lot_id}
        for s, n, source, au in zip(
            syndicats["siren_syndicat"],
            syndicats["nom_syndicat"],
            syndicats["source"],
            syndicats["perimetre_au"].map(_jour),
            strict=True,
        )
    ]
    upsert(connection, Syndicat, lignes, ["siren"])
    sirens = sorted(syndicats["siren_syndicat"])
    connection.execute(delete(SyndicatMembre).where(SyndicatMembre.siren_syndicat.in_(sirens)))
    # Two codes of the file may name one member (a former commune and the commune it merged into): the
    # member is written once, with the code as written on the first line that names it.
    cle = ["siren_syndicat", "niveau_membre", "code_membre"]
    membres = donnees[[*cle, "code_brut"]].drop_duplicates(cle)
    if len(membres):
        connection.execute(insert(SyndicatMembre), _sans_nan(membres))
    avancer("chargement", len(donnees), len(donnees))
    return sirens, membres


def _jour(valeur) -> date | None:
    if valeur is None or pd.isna(valeur):
        return None
    return valeur.date() if isinstance(valeur, datetime) else valeur


def _charger_commandes(
    connection: Connection, donnees: pd.DataFrame, lot_id: int, avancer: Progression
) -> list[str]:
    lignes = donnees.assign(
        nb_carnets=donnees["nb_carnets"].astype("int64"),
        pass_par_carnet=donnees["pass_par_carnet"].astype("int64"),
        vague=donnees["vague"].astype("Int64"),  # NULL when the file does not say it
        import_lot_id=lot_id,
    )
    colonnes_ = ["siren_porteur", "date_commande", "nb_carnets", "pass_par_carnet", "valeur_faciale_eur"]
    colonnes_ += ["fin_validite", "vague", "premier_numero", "dernier_numero", "import_lot_id"]
    inserer_en_masse(connection, "commande", lignes[colonnes_], avancer)
    return sorted(donnees["siren_porteur"].unique()), lignes


def _charger_evenements(kind: str):
    table = EVENEMENTS[kind]
    col_siret, col_nom, role = STRUCTURES[kind]
    textes = ["public"] if kind == "distributions" else []
    # Redemptions: whether the operator paid the place back (True, False, None: the file does not say).
    extra = [*textes, *(["rembourse"] if kind == "utilisations" else [])]

    def charger(
        connection: Connection, donnees: pd.DataFrame, lot_id: int, avancer: Progression
    ) -> list[str]:
        lignes = donnees.assign(nb_pass=donnees["nb_pass"].astype("int64"), import_lot_id=lot_id)
        for col in (col_siret, col_nom, *textes):
            lignes[col] = lignes[col].where(lignes[col].notna() & lignes[col].ne(""), None)
        # In the order of the (siren_porteur, date) index: SQLite then appends to the index instead of
        # inserting at random places, several times faster for a million rows (import line of
        # bench/BENCHMARKS.md).
        lignes = lignes.sort_values(["siren_porteur", "date"], kind="stable", ignore_index=True)
        colonnes_ = ["siren_porteur", "date", "code_commune", "code_commune_brut", "nb_pass", "import_lot_id"]
        colonnes_ += [col_siret, col_nom, "premier_numero", "dernier_numero"]
        # A line keeps its own name only without SIRET: a SIRET's name goes to `structure` (below).
        a_ecrire = lignes[[*colonnes_, *extra]].assign(
            **{col_nom: lignes[col_nom].where(lignes[col_siret].isna(), None)}
        )
        inserer_en_masse(connection, table, a_ecrire, avancer)
        del a_ecrire
        _structures(connection, lignes, col_siret, col_nom, role)
        return sorted(lignes["siren_porteur"].unique()), lignes

    return charger


def _structures(
    connection: Connection, lignes: pd.DataFrame, col_siret: str, col_nom: str, role: str
) -> None:
    """Upsert the structures a file names: the last non-empty name and the commune of its last line."""
    avec = lignes[lignes[col_siret].notna()]
    if COLONNE_PARTAGEE in avec:  # a coordinator's file: the structures other régions use stay as they are
        avec = avec[~avec[COLONNE_PARTAGEE].astype(bool)]
    if avec.empty:
        return
    dernier_nom = avec[col_nom].groupby(avec[col_siret]).last()
    commune = avec.groupby(col_siret)["code_commune"].last()
    structures = [
        {"siret": siret, "role": role, "nom": dernier_nom.get(siret), "code_commune": commune[siret]}
        for siret in commune.index
    ]
    upsert(connection, Structure, structures, ["siret", "role"], garder_si_nul=["nom"])


CHARGEURS = {
    "laureats": _charger_laureats,
    "syndicats": _charger_syndicats,
    "commandes": _charger_commandes,
    "distributions": _charger_evenements("distributions"),
    "utilisations": _charger_evenements("utilisations"),
    lieux_.KIND: lieux_.charger,
}
