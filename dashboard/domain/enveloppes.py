"""The State's money of a convention, in pure Python: its share of the passes ordered, the subsidy consumed
and left, the window in which it can be spent, and the progress towards the passes it planned.

- Part de l'État : 50 % for the 2020 call (flat rate of the passes bought); for 2019, the convention's own
  rate, subvention de l'État ÷ budget total (variable 20 %–65 %).
- Consommée : part de l'État × face value of the passes ordered under the convention (10 € a pass),
  capped at the subsidy committed; what goes beyond is the `depassement`, told, never counted.
- Restante : engagée − consommée (never below zero).
- Fenêtre : from the convention's date to the end of validity of its last passes. A pass is valid to
  31 December of the year of its order, with a tolerance to 31 January of the next year: an order
  without `fin_validite` ends on that 31 January. Without any order, the window is that of a pass
  ordered on the day of the convention.
- Statut de l'objectif: RÈGLE_STATUT.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

VALEUR_FACIALE_EUR = 10.0  # the face value of a pass
PART_ETAT_2020 = 0.5  # AAP 2020: flat 50 % of the passes bought
TOLERANCE_POINTS = 0.10  # ± 10 points between progress and the share of the window elapsed

EN_AVANCE = "en avance"
DANS_LES_TEMPS = "dans les temps"
EN_RETARD = "en retard"
NON_EVALUABLE = "non évaluable"
STATUTS = (EN_AVANCE, DANS_LES_TEMPS, EN_RETARD, NON_EVALUABLE)

REGLE_STATUT = (
    "Avancement = pass distribués ÷ pass prévus ; il est comparé à la part écoulée de la fenêtre "
    "(jours écoulés depuis la convention ÷ jours de la fenêtre, à la date de référence). Plus de 10 points "
    "au-dessus : « en avance » ; plus de 10 points en dessous : « en retard » ; sinon « dans les temps ». "
    "Sans pass prévus (ou sans fenêtre), « non évaluable »."
)
REGLE_FENETRE = (
    "Fenêtre : de la date de la convention (à défaut le 1er janvier de sa vague) à la fin de validité de "
    "ses derniers pass commandés ; un pass vaut jusqu'au 31 décembre de l'année de sa commande, avec une "
    "tolérance au 31 janvier suivant : une commande sans fin de validité dans les fichiers finit ce "
    "31 janvier. Sans commande, la fenêtre est celle d'un pass commandé le jour de la convention."
)


def part_etat(vague: int, subvention_eur: float, budget_eur: float) -> float:
    """The State's share of the passes bought under a convention (fraction 0–1): 50 % in 2020, the
    convention's subsidy ÷ budget in 2019 (0 without budget)."""
    if vague == 2020:
        return PART_ETAT_2020
    if not budget_eur or budget_eur <= 0 or _absent(subvention_eur):
        return 0.0
    return min(max(subvention_eur / budget_eur, 0.0), 1.0)


@dataclass(frozen=True)
class Consommation:
    consommee_eur: float  # ≤ engagée
    restante_eur: float  # engagée − consommée, ≥ 0
    depassement_eur: float  # what the passes ordered would take beyond the subsidy committed, ≥ 0


def consommation(part: float, montant_commande_eur: float, engagee_eur: float) -> Consommation:
    """The subsidy consumed by the passes ordered (`montant_commande_eur`: their face value)."""
    engagee = max(0.0 if _absent(engagee_eur) else float(engagee_eur), 0.0)
    brute = max(part * (0.0 if _absent(montant_commande_eur) else float(montant_commande_eur)), 0.0)
    consommee = min(brute, engagee)
    return Consommation(consommee, engagee - consommee, brute - consommee)


def fin_validite(date_commande: date, fin_indiquee: date | None = None) -> date:
    """The end of validity of an order's passes: the file's when given, else 31 January of the year after
    the order (31 December of its year, and the month of tolerance)."""
    if fin_indiquee is not None and not _absent(fin_indiquee):
        return fin_indiquee
    return date(date_commande.year + 1, 1, 31)


def debut_fenetre(vague: int, date_convention: date | None) -> date:
    """The convention's date, else January 1st of its wave."""
    return date_convention if date_convention is not None else date(vague, 1, 1)


def part_ecoulee(debut: date | None, fin: date | None, au: date) -> float:
    """Share of the window [debut, fin] elapsed at `au` (0–1); NaN without a window."""
    if debut is None or fin is None:
        return math.nan
    if au <= debut:
        return 0.0
    if au >= fin:
        return 1.0
    return (au - debut).days / (fin - debut).days


def avancement(pass_distribues: float, pass_prevus: float | None) -> float:
    """Passes handed out ÷ passes planned (may exceed 1); NaN without passes planned."""
    if pass_prevus is None or _absent(pass_prevus) or pass_prevus <= 0:
        return math.nan
    return float(pass_distribues) / float(pass_prevus)


def statut_objectif(avancement_objectif: float, part_fenetre_ecoulee: float) -> str:
    """RÈGLE_STATUT."""
    if _absent(avancement_objectif) or _absent(part_fenetre_ecoulee):
        return NON_EVALUABLE
    ecart = avancement_objectif - part_fenetre_ecoulee
    if ecart > TOLERANCE_POINTS + 1e-12:
        return EN_AVANCE
    if ecart < -TOLERANCE_POINTS - 1e-12:
        return EN_RETARD
    return DANS_LES_TEMPS


def part(numerateur: float, denominateur: float) -> float:
    """A share; NaN when the denominator is zero or unknown."""
    if _absent(denominateur) or denominateur <= 0 or _absent(numerateur):
        return math.nan
    return float(numerateur) / float(denominateur)


def _absent(valeur) -> bool:
    if valeur is None:
        return True
    try:
        return math.isnan(valeur)
    except TypeError:
        return False
