"""The operator's liabilities, as the pages show them: the national card, the block of a territory's or a
laureate's page (its places with passes never paid back, exported in CSV/XLSX), and the banner of a
laureate whose data stopped (« Données figées depuis MM/AAAA »). Plain data, no Dash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from dashboard.domain.formatage import NON_RENSEIGNE, date_courte, euros, nombre, pourcentage
from dashboard.domain.indicateurs import VALEUR_FACIALE_EUR
from dashboard.store import passif
from dashboard.store.entites import Entite
from dashboard.vues import Sources

DATE_LIQUIDATION = date(2024, 1, 16)
TITRE = "Passif de l'opérateur"
TITRE_EXPORT = "Lieux de médiation : pass utilisés non remboursés"
COLONNES_EXPORT = [
    ("siret", "SIRET"),
    ("nom", "Lieu"),
    ("commune", "Commune"),
    ("pass_utilises", "Pass utilisés"),
    ("pass_non_rembourses", "Pass non remboursés"),
    ("montant_non_rembourse_eur", "Montant non remboursé (€)"),
    ("pass_sans_information", "Pass sans information"),
]
CONTEXTE = (
    f"L'opérateur du programme a été placé en liquidation le {date_courte(DATE_LIQUIDATION)} : des pass "
    "acceptés par les lieux de médiation ne leur ont jamais été remboursés (valeur faciale "
    f"{euros(VALEUR_FACIALE_EUR)} par pass)."
)


@dataclass(frozen=True)
class CartePassif:
    """The national card: each figure already formatted."""

    pass_non_rembourses: str
    montant: str
    lieux_concernes: str
    part_sans_information: str
    renseigne: bool  # some redemption says whether it was paid back


def carte_nationale(sources: Sources) -> CartePassif:
    s = passif.synthese(sources.engine)
    renseigne = not np.isnan(s.pass_non_rembourses)
    return CartePassif(
        pass_non_rembourses=nombre(s.pass_non_rembourses) if renseigne else NON_RENSEIGNE,
        montant=euros(s.montant_eur) if renseigne else NON_RENSEIGNE,
        lieux_concernes=nombre(s.lieux_concernes) if renseigne else NON_RENSEIGNE,
        part_sans_information=pourcentage(s.part_sans_information),
        renseigne=renseigne,
    )


@dataclass(frozen=True)
class Passif:
    """The block of a page: its sentence, its places (most unpaid first), and the frozen-data banner."""

    phrase: str
    lieux: pd.DataFrame  # passif.COLONNES_LIEUX
    figees: str | None  # « Données figées depuis 02/2022 … » (a laureate only)


def calculer(sources: Sources, ent: Entite, ligne: pd.Series) -> Passif:
    """`ligne`: the entity's indicators (its pass_non_rembourses, NaN when no redemption says)."""
    lieux = passif.repartition_lieux(sources.engine, ent.niveau, ent.code)
    return Passif(phrase_passif(ligne, len(lieux)), lieux, bandeau_figees(sources, ent))


def phrase_passif(ligne: pd.Series, n_lieux: int) -> str:
    non = ligne.get("pass_non_rembourses", np.nan)
    if pd.isna(non):
        return "Non renseigné : aucun fichier d'utilisations ne dit si ces pass ont été remboursés."
    if non == 0:
        return "Aucun pass utilisé non remboursé connu."
    lieux = f"{nombre(n_lieux)} lieu{'x' if n_lieux > 1 else ''}"
    s = "s" if non > 1 else ""
    return (
        f"{nombre(non)} pass utilisé{s} non remboursé{s}, soit {euros(non * VALEUR_FACIALE_EUR)} "
        f"dus à {lieux} de médiation."
    )


def bandeau_figees(sources: Sources, ent: Entite, au: date | None = None) -> str | None:
    """« Données figées depuis MM/AAAA » for a laureate whose last month of activity lies more than two
    months before the data date; None otherwise (and for a territory)."""
    if ent.niveau != "porteur":
        return None
    f = passif.figees(sources.engine, ent.code, au)
    if f is None:
        return None
    return (
        f"Données figées depuis {f.dernier_mois:%m/%Y} : dernier retour du lauréat le "
        f"{date_courte(f.dernier_retour)}. Ses chiffres ne bougent plus depuis ; les pass utilisés "
        "après cette date, s'il y en a, ne sont pas connus."
    )


def etiquettes_figees(sources: Sources) -> dict[str, str]:
    """{siren: « figées depuis MM/AAAA »} of the laureates whose data stopped (the national table)."""
    return {s: f"figées depuis {m:%m/%Y}" for s, m in passif.sirens_figes(sources.engine).items()}


def tables_export(p: Passif | None) -> dict[str, tuple[str, pd.DataFrame, list[tuple[str, str]]]]:
    """name → (title, table, columns): the places of the block, for the page's CSV/XLSX exports."""
    lieux = p.lieux if p is not None else pd.DataFrame(columns=passif.COLONNES_LIEUX)
    return {"passif": (TITRE_EXPORT, lieux, COLONNES_EXPORT)}


METHODE = (
    f"L'opérateur du programme a été placé en liquidation le {date_courte(DATE_LIQUIDATION)}. Les fichiers "
    "d'utilisations peuvent dire, ligne par ligne, si l'opérateur a remboursé le lieu (colonne facultative "
    "« rembourse » : oui/non, o/n, 1/0, vrai/faux, remboursé/non remboursé ; vide = inconnu ; une autre "
    "valeur fait refuser le fichier).",
    "Pass utilisés non remboursés : Σ des pass des lignes dites « non remboursé », comptés au lieu "
    f"d'utilisation ; montant = pass × {euros(VALEUR_FACIALE_EUR)} (valeur faciale). Une ligne sans "
    "information n'est comptée ni comme remboursée ni comme non remboursée ; un lauréat ou un territoire "
    "dont aucune utilisation n'a l'information est « non renseigné » (—), jamais 0. Les lignes des fichiers "
    "importés avant cette colonne restent sans information jusqu'à ce qu'on les importe de nouveau.",
    "Carte « Passif de l'opérateur » de la carte nationale : tout le programme, quels que soient les "
    "filtres ; lieux concernés = SIRET de lieux ayant au moins un pass non remboursé ; part des utilisations "
    "sans information = pass utilisés dont la ligne ne dit rien ÷ pass utilisés.",
    f"« Données figées depuis MM/AAAA » : la fiche d'un lauréat dont le dernier mois d'activité (pass "
    f"distribués ou utilisés) précède de plus de {passif.MOIS_FIGEES} mois la date des données et la fin de "
    "validité de ses derniers pass : il a cessé d'envoyer ses fichiers alors que des pass restaient valables "
    "(un programme achevé avec ses pass n'est pas « figé ») ; la date du dernier retour est celle de sa "
    "ligne la plus récente (distribution ou utilisation).",
)
