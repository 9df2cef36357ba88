"""The reporting calendar: the monthly returns each laureate owes, and whether each came in on time.

A laureate owes one return a month, from the month of its first order to the month its last passes
expire, bounded by the reference date (the data date unless asked). A month's return is the set of
distribution and redemption lines of the laureate dated that month; it is received when an import brought
some of them, on the date of that import (the first one). Its deadline is the `JOUR_ECHEANCE` of the
next month: received by then, on time; after, late; nothing received once the deadline has passed,
missing; before, still to come.

The files carry no "empty return": a month without any line may be a quiet month honestly reported as
such, yet nothing tells it from a return never sent. Both count as missing (said on /methodologie).

Pure Python: the store (dashboard.store.calendrier) reads the lots and the lines, this module decides.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from dashboard.domain.mois import indice_mois, mois_de_indice

JOUR_ECHEANCE = 15
"""A month's return is due by this day of the next month (included)."""
MOIS_RELANCE = 3
"""À relancer : at least one missing return among this many latest months past their deadline."""

RECU, RETARD, MANQUANT, A_VENIR = "recu", "retard", "manquant", "a_venir"
STATUTS = (RECU, RETARD, MANQUANT, A_VENIR)
LIBELLES = {RECU: "reçu à temps", RETARD: "reçu en retard", MANQUANT: "manquant", A_VENIR: "à venir"}
LETTRES = {RECU: "T", RETARD: "R", MANQUANT: "M", A_VENIR: "·"}
"""What a cell of the grid shows, readable without its colour: T (à temps), R (retard), M (manquant)."""

# The demo's lots are all written the same day, by the loader: its receptions are simulated (the month's
# last line, plus a delay drawn from the laureate and the month, always the same).
PART_DEMO_EN_RETARD = 0.2
DELAI_DEMO_A_TEMPS = (1, 14)  # days after the month's last line
DELAI_DEMO_EN_RETARD = (20, 75)

DEFINITION_SCORE = (
    "Score de complétude d'un lauréat : mois reçus (à temps ou en retard) ÷ mois échus, de 0 à 100 %. "
    f"Mois échus : les mois attendus dont l'échéance (le {JOUR_ECHEANCE} du mois suivant) est passée à la "
    "date de référence ; sans mois échu, pas de score (« — »)."
)
REGLES = (
    "Mois attendus : de la première commande du lauréat au mois où expirent ses derniers pass (fin de "
    "validité la plus tardive de ses commandes), bornés par la date des données (ou la date de référence "
    "choisie) ; un lauréat sans commande n'attend aucun retour.",
    "Un mois est reçu quand un import (journal des imports) a apporté des lignes de distribution ou "
    "d'utilisation du lauréat datées de ce mois ; il est reçu à la date du premier de ces imports. "
    f"Reçu au plus tard le {JOUR_ECHEANCE} du mois suivant : à temps ; après : en retard ; rien une fois "
    "l'échéance passée : manquant ; avant l'échéance : à venir.",
    "Les fichiers ne portent pas de « retour vide » : un mois sans aucune ligne peut être un mois calme "
    "honnêtement déclaré, rien ne le distingue d'un retour jamais envoyé. Il compte comme manquant.",
    "Un import remplacé (le même fichier importé de nouveau) compte à la date de son premier import.",
    f"À relancer : au moins un mois manquant parmi les {MOIS_RELANCE} derniers mois échus de la période "
    "attendue. Mois sans retour : les mois échus manquants consécutifs en fin de période.",
    "Date de référence : sans autre choix, la date des données ; tous les imports connus comptent, même "
    "faits après elle. Avec une date de référence passée (retour en arrière), seuls les imports reçus au "
    "plus tard ce jour-là comptent.",
    "Démonstration : les lots du jeu de démonstration sont tous importés le même jour, à son chargement. "
    "Leur date de réception est simulée : la date de la dernière ligne du mois, plus un délai tiré du "
    "lauréat et du mois (toujours le même) — de 1 à 14 jours pour quatre mois sur cinq, de 20 à 75 jours "
    "pour le cinquième. Le calendrier de la démonstration n'est qu'une illustration.",
)


def premier_du_mois(jour: date) -> date:
    return jour.replace(day=1)


def echeance(mois: date) -> date:
    """The deadline of the month's return: the JOUR_ECHEANCE of the next month."""
    return mois_de_indice(indice_mois(mois) + 1).replace(day=JOUR_ECHEANCE)


def est_echu(mois: date, au: date) -> bool:
    """The month's deadline has passed on `au` (the deadline day itself still counts as in time)."""
    return au > echeance(mois)


def mois_attendus(premiere_commande: date | None, fin_validite: date | None, au: date) -> list[date]:
    """The first day of every month a return is due for: from the month of the first order to the month
    the last passes expire (None: still valid), bounded by `au`."""
    if premiere_commande is None or premiere_commande > au:
        return []
    fin = au if fin_validite is None else min(fin_validite, au)
    return [mois_de_indice(i) for i in range(indice_mois(premiere_commande), indice_mois(fin) + 1)]


def statut(mois: date, recu_le: date | None, au: date) -> str:
    """RECU, RETARD, MANQUANT or A_VENIR of the month's return, received on `recu_le` (None: not yet),
    seen on `au`."""
    if recu_le is not None:
        return RECU if recu_le <= echeance(mois) else RETARD
    return MANQUANT if est_echu(mois, au) else A_VENIR


def delai_demo(siren: str, mois: date) -> int:
    """Days between a demo month's last line and its simulated reception: drawn from the laureate and
    the month (SHA-256, the same on every machine and run)."""
    graine = hashlib.sha256(f"{siren}:{mois:%Y-%m}".encode()).digest()
    u = int.from_bytes(graine[:8], "big") / 2**64
    if u < PART_DEMO_EN_RETARD:
        bas, haut = DELAI_DEMO_EN_RETARD
        return bas + int(u / PART_DEMO_EN_RETARD * (haut - bas + 1))
    bas, haut = DELAI_DEMO_A_TEMPS
    return bas + int((u - PART_DEMO_EN_RETARD) / (1 - PART_DEMO_EN_RETARD) * (haut - bas + 1))


def reception_demo(siren: str, mois: date, derniere_ligne: date) -> date:
    return derniere_ligne + timedelta(days=delai_demo(siren, mois))


@dataclass(frozen=True)
class Synthese:
    mois_attendus: int
    mois_echus: int
    mois_recus: int  # on time, among the months past their deadline
    mois_en_retard: int
    mois_manquants: int
    score: float | None  # (received + late) ÷ past deadline; None without a month past its deadline
    dernier_mois_recu: date | None
    mois_sans_retour: int  # missing months in a row at the end of the months past their deadline
    a_relancer: bool
    manquants_recents: tuple[date, ...]  # the missing months among the MOIS_RELANCE latest ones past due


def manquants_en_fin(statuts: Sequence[str]) -> int:
    """Missing months in a row at the end of `statuts` (the months past their deadline, in order)."""
    n = 0
    for s in reversed(statuts):
        if s != MANQUANT:
            break
        n += 1
    return n


def a_relancer(statuts: Sequence[str]) -> bool:
    """At least one missing return among the MOIS_RELANCE latest of `statuts` (the months past their
    deadline, in order)."""
    return MANQUANT in statuts[-MOIS_RELANCE:]


def synthese(mois: Sequence[date], statuts: Sequence[str], au: date) -> Synthese:
    """The laureate's counts, score and follow-up from its months (in order) and their statuses. A month
    received before its deadline has passed is not counted yet: the counts and the score are over the
    months past their deadline only (received + late + missing = past deadline)."""
    echus = [(m, s) for m, s in zip(mois, statuts, strict=True) if est_echu(m, au)]
    compte = {s: sum(1 for _, x in echus if x == s) for s in (RECU, RETARD, MANQUANT)}
    recus = [m for m, s in zip(mois, statuts, strict=True) if s in (RECU, RETARD)]
    manquants = tuple(m for m, s in echus[-MOIS_RELANCE:] if s == MANQUANT)
    n_echus = len(echus)
    return Synthese(
        mois_attendus=len(mois),
        mois_echus=n_echus,
        mois_recus=compte[RECU],
        mois_en_retard=compte[RETARD],
        mois_manquants=compte[MANQUANT],
        score=(compte[RECU] + compte[RETARD]) / n_echus if n_echus else None,
        dernier_mois_recu=max(recus) if recus else None,
        mois_sans_retour=manquants_en_fin([s for _, s in echus]),
        a_relancer=a_relancer([s for _, s in echus]),
        manquants_recents=manquants,
    )
