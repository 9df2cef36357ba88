"""The key figures of a selection (the KPI cards of `/` and of the entity pages, the big figures of the
deck), each formatted by the indicator registry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard.domain.formatage import date_courte, nombre
from dashboard.domain.indicateurs import est_exact, indicateur

KPIS = (
    "subvention_etat_engagee_eur",
    "subvention_etat_versee_eur",
    "pass_commandes",
    "pass_distribues",
    "pass_utilises",
    "taux_distribution",
    "taux_utilisation",
    "euros_etat_par_pass_utilise",
)
KPIS_DIAPO = (
    "pass_commandes",
    "pass_distribues",
    "pass_utilises",
    "taux_utilisation",
    "subvention_etat_engagee_eur",
)


@dataclass(frozen=True)
class Chiffre:
    id: str  # the element id of its card (`kpi-laureats`, `kpi-taux_utilisation`)
    titre: str
    valeur: str  # formatted in French


@dataclass(frozen=True)
class Kpis:
    chiffres: tuple[Chiffre, ...]
    date: str  # "Données au 23/12/2023", or that there is no activity data


def kpis(
    totaux: pd.Series,
    nb_laureats: int | None,
    date_donnees: date | None,
    vue: str | None = None,
    periode: str | None = None,
    par_vague: bool = False,
    premiers: tuple[Chiffre, ...] = (),
) -> Kpis:
    """The cards: laureates (none when `nb_laureats` is None: a laureate's own page), the `premiers`
    given, then the registry's formatting of each KPI of the totals that the view offers, with its label
    there (« estimé » or « exact », `est_exact`). `periode`: "entre mars et décembre 2021", said under
    the cards (their counts are then the flows of the period); `par_vague`: a wave is selected, and how
    its passes handed out and redeemed are known is said too."""
    exact = est_exact(totaux)
    chiffres = [] if nb_laureats is None else [Chiffre("kpi-laureats", "Lauréats", nombre(nb_laureats))]
    chiffres += premiers
    for identifiant in KPIS:
        ind = indicateur(identifiant)
        if (vue or "porteurs") in ind.vues:
            valeur = ind.formater(totaux[identifiant])
            chiffres.append(Chiffre(f"kpi-{identifiant}", ind.libelle_en(vue, exact), valeur))
    quand = f"Données au {date_courte(date_donnees)}" if date_donnees else "Aucune donnée d'activité"
    if periode:
        quand += f" · flux {periode} (commandes, distributions, utilisations et montants de la période)"
    if par_vague:
        quand += f" · {REPARTITION_EXACTE if exact else REPARTITION_ESTIMEE}"
    return Kpis(tuple(chiffres), quand)


REPARTITION_ESTIMEE = (
    "pass distribués et utilisés de la vague estimés (premier commandé, premier distribué, premier utilisé)"
)
REPARTITION_EXACTE = "pass distribués et utilisés de la vague exacts (pass numérotés)"


def grands_chiffres(totaux: pd.Series, nb_laureats: int | None = None) -> tuple[Chiffre, ...]:
    """The figures of a slide, labels in lower case after the number (`12 345 pass distribués`)."""
    chiffres = [] if nb_laureats is None else [Chiffre("laureats", "lauréats", nombre(nb_laureats))]
    for identifiant in KPIS_DIAPO:
        ind = indicateur(identifiant)
        libelle = ind.libelle[:1].lower() + ind.libelle[1:]
        chiffres.append(Chiffre(identifiant, libelle, ind.formater(totaux[identifiant])))
    return tuple(chiffres)
