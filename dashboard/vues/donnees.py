"""What the data page `/donnees` shows to whom: the upload (for those who may import, a coordinator's
région said), the demo dataset (for those who may load it), the import history, the data-quality list and
(for admins) the audit journal; and the work the page runs as background jobs: validating or importing an
uploaded file (dashboard.ingest.depot), loading a demo dataset."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from dashboard.demo.chargement import DemoImpossible, charger_demo
from dashboard.domain.droits import ADMIN, CHARGER_DEMO, IMPORTER, Principal
from dashboard.domain.progression import Progression
from dashboard.domain.vocabulaire import KINDS
from dashboard.ingest.depot import (
    TAILLE_MAX,
    DepotInvalide,
    au_pourcent,
    fichier_en_attente,
    mettre_en_attente,
    moteur_du_job,
    retirer,
)
from dashboard.ingest.rapport import RapportImport
from dashboard.settings import Settings
from dashboard.store.comptes import journal, nom_region
from dashboard.store.imports import LotImporte, derniers_lots
from dashboard.store.qualite import problemes_qualite
from dashboard.vues import Sources

NB_EVENEMENTS = 100

CONSEIL_REMPLACEMENT = (
    "pour remplacer l'import précédent par ce fichier, cochez « Remplacer l'import précédent » : "
    "le fichier est alors validé de nouveau, sans avoir à le redéposer"
)
"""What a file already imported tells the page's user (the command line says --remplacer)."""


@dataclass(frozen=True)
class Etat:
    lots: list[LotImporte]  # the latest imports, newest first
    problemes: pd.DataFrame  # siren, nom, probleme, detail


@dataclass(frozen=True)
class VueDonnees:
    importer: bool
    region: str | None  # the name of a coordinator's région: their files may only concern it
    taille_max: int  # bytes of a file
    charger_demo: bool
    etat: Etat
    journal: list[dict] | None  # the audit journal, for admins


def etat(engine: Engine) -> Etat:
    return Etat(derniers_lots(engine), problemes_qualite(engine))


def donnees(sources: Sources, principal: Principal | None) -> VueDonnees:
    engine = sources.engine
    importer = principal is not None and principal.peut(IMPORTER)
    region = principal.region_imports if importer else None
    return VueDonnees(
        importer=importer,
        region=region and (nom_region(engine, region) or region),
        taille_max=TAILLE_MAX,
        charger_demo=principal is not None and principal.peut(CHARGER_DEMO),
        etat=etat(engine),
        journal=journal(engine, NB_EVENEMENTS) if principal is not None and principal.role == ADMIN else None,
    )


def executer(
    settings: Settings, principal: Principal, fichier: dict, dry_run: bool, progression: Progression
) -> RapportImport:
    """Validate (`dry_run`) or import the pending file as `principal` (a coordinator's file may only concern
    their région); a file refused at validation, or imported, is no longer kept. DepotInvalide (French)
    when the pending file is not there."""
    from dashboard.ingest.chargement import importer
    from dashboard.ingest.lecture import Limites

    with moteur_du_job(settings) as engine:
        depose = fichier_en_attente(engine, fichier, principal.identifiant)
        rapport = importer(
            engine,
            depose.kind,
            depose.contenu,
            nom_fichier=depose.nom,
            dry_run=dry_run,
            remplacer=bool(fichier.get("remplacer")),
            utilisateur=principal.identifiant,
            progression=progression,
            region_autorisee=principal.region_imports,
            limites=Limites.depuis(settings),
            conseil_remplacement=CONSEIL_REMPLACEMENT,
        )
        if rapport.accepte != dry_run:
            retirer(engine, fichier, principal.identifiant)
    return rapport


def deposer(sources: Sources, principal: Principal, contenu, nom, kind, remplacer) -> dict:
    """Keep an uploaded file in the database, bound to `principal`, until it is validated and confirmed
    (by any host); what the page keeps of it. DepotInvalide (French) when it cannot be taken."""
    return mettre_en_attente(sources.engine, contenu, nom, kind, remplacer, principal.identifiant)


def pourquoi_de_nouveau(declencheur: str | None, precedent, depot: dict) -> str | None:
    """Why the page validates a file again, in French, or None for a new file: the same file picked
    twice, the type changed, « Remplacer » ticked or unticked."""
    if declencheur == "donnees-remplacer":
        if depot.get("remplacer"):
            return "validé de nouveau pour remplacer l'import précédent."
        return "validé de nouveau, sans remplacement."
    if declencheur == "donnees-kind":
        return f"validé de nouveau comme « {KINDS.get(depot.get('kind'), depot.get('kind'))} »."
    if isinstance(precedent, dict) and precedent.get("empreinte") == depot.get("empreinte"):
        return "même fichier que le précédent : validé de nouveau."
    return None


def etat_du_job(settings: Settings) -> Etat:
    """The history and the quality list as they are now, read in a background job's own connections."""
    with moteur_du_job(settings) as engine:
        return etat(engine)


MOT_REMPLACER = "REMPLACER"
"""What the user types on /donnees to confirm the replacement of an earlier import."""


def refus_remplacement(fichier: dict | None, saisie: str | None) -> str | None:
    """The French refusal when the pending file replaces an earlier import and the typed confirmation is
    not the word asked for; None when the import may go on. Checked on the server whatever the page sent."""
    if not (fichier or {}).get("remplacer"):
        return None
    if (saisie or "").strip().upper() == MOT_REMPLACER:
        return None
    return (
        f"Remplacer un import précédent efface ses lignes : tapez {MOT_REMPLACER} dans le champ de "
        "confirmation pour le faire (une sauvegarde automatique est prise avant). Rien n'a été écrit."
    )


def charger(
    settings: Settings, principal: Principal, echelle: str, confirmation: str | None, progression: Progression
) -> tuple[str, Etat]:
    """Load a demo dataset in a background job (its own connections), audited: the French message for the
    page and the history and quality as they are now. DemoImpossible (French) when it cannot be loaded:
    the confirmation typed is not the dataset's name, or the database holds real data (decided from the
    database, whatever the page showed). What it replaces is backed up first, the path said."""
    if (confirmation or "").strip().lower() != echelle:
        raise DemoImpossible(
            f"Pour confirmer, tapez le nom du jeu (« {echelle} ») dans le champ de confirmation : "
            "ce jeu remplace celui qui est en base. Rien n'a été modifié."
        )
    with moteur_du_job(settings) as engine:
        charge = charger_demo(
            engine,
            settings.geo_dir,
            echelle,
            progression,
            acteur=principal.identifiant,
            sauvegardes=settings.data_dir / "sauvegardes",
        )
        message = (
            f"Jeu de démonstration « {echelle} » chargé. Rechargez la page pour voir le badge."
            if charge
            else f"Le jeu de démonstration « {echelle} » est déjà chargé."
        )
        if charge.sauvegarde is not None:
            message += f" Sauvegarde automatique des données remplacées : {charge.sauvegarde}"
        return message, etat(engine)


__all__ = [
    "DemoImpossible",
    "DepotInvalide",
    "Etat",
    "VueDonnees",
    "au_pourcent",
    "charger",
    "deposer",
    "donnees",
    "etat",
    "etat_du_job",
    "executer",
    "pourquoi_de_nouveau",
]
