from datetime import date

import pandas as pd
import pytest

from dashboard.domain.delais import appariements_fifo, delai_median_mois, mediane_ponderee
from dashboard.domain.indicateurs import BASES, IDS, INDICATEURS, Nature, calculer_derives, indicateur

CONTRAT_CLI = {
    "budget_total_eur",
    "subvention_etat_engagee_eur",
    "subvention_etat_versee_eur",
    "pass_commandes",
    "pass_distribues",
    "pass_utilises",
    "taux_distribution",
    "taux_utilisation",
}
PRODUIT = CONTRAT_CLI | {
    "part_etat",
    "pass_expires",
    "pass_pour_1000_habitants",
    "euros_etat_par_habitant",
    "euros_etat_par_pass_utilise",
    "delai_median_mois",
    "lieux_actifs",
    "structures_distributrices",
    "population_couverte",
}


def test_reg001_tous_les_indicateurs_du_produit_une_seule_fois():
    assert set(IDS) == PRODUIT and len(IDS) == len(INDICATEURS)
    for ind in INDICATEURS:
        assert ind.libelle and ind.unite and ind.formule and ind.definition


def test_reg002_taux_en_taux_stocks_en_stocks():
    assert indicateur("taux_utilisation").nature is Nature.TAUX
    assert indicateur("pass_distribues").nature is Nature.STOCK
    assert indicateur("euros_etat_par_habitant").nature is Nature.RATIO
    with pytest.raises(ValueError, match="Indicateur inconnu"):
        indicateur("nimporte_quoi")


def test_reg003_formats_francais():
    assert (
        indicateur("taux_utilisation").formater(0.123).replace("\u202f", " ").replace("\xa0", " ") == "12,3 %"
    )
    assert (
        indicateur("subvention_etat_engagee_eur").formater(68000).replace("\u202f", " ").replace("\xa0", " ")
        == "68 000 €"
    )
    assert indicateur("pass_distribues").formater(1234567) == "1\u202f234\u202f567"
    assert indicateur("delai_median_mois").formater(1.5) == "1,5 mois"


def test_reg004_derives_division_par_zero_sans_donnee():
    base = pd.DataFrame({b: [0.0, 0.0] for b in BASES})
    base.loc[0, ["pass_commandes", "pass_distribues", "pass_utilises"]] = [100, 50, 10]
    derive = calculer_derives(base)
    assert derive.loc[0, "taux_distribution"] == 0.5 and derive.loc[0, "taux_utilisation"] == 0.2
    assert derive.loc[1, ["taux_distribution", "taux_utilisation", "part_etat"]].isna().all()


def test_del001_fifo_a_la_main():
    mois = [date(2020, 1, 1), date(2020, 2, 1), date(2020, 4, 1)]
    assert appariements_fifo(mois, [10, 5, 0], [2, 10, 5]) == [
        (date(2020, 1, 1), 0, 2),
        (date(2020, 2, 1), 1, 8),
        (date(2020, 2, 1), 0, 2),
        (date(2020, 4, 1), 2, 3),
    ]  # the 2 passes redeemed beyond those distributed have no match
    assert delai_median_mois(mois, [10, 5, 0], [2, 10, 5]) == 1.0
    assert delai_median_mois(mois, [10, 5, 0], [2, 10, 5], debut=date(2020, 3, 1)) == 2.0


def test_del002_mediane_ponderee():
    assert mediane_ponderee([(3, 1), (1, 1), (2, 1)]) == 2.0
    assert mediane_ponderee([(0, 4), (1, 8), (2, 3)]) == 1.0
    assert mediane_ponderee([(0, 100), (1, 100)]) == 0.5  # exact tie: mean of the two middle values
    assert mediane_ponderee([(5, 0)]) is None and mediane_ponderee([]) is None


def test_del003_utilisation_partielle_ne_gonfle_pas_le_delai():
    """Half of each month's passes are redeemed two months later: the delay is 2 months, not more
    (plain first-in-first-out would pair redemptions with never-used old passes)."""
    mois = [date(2020, m, 1) for m in range(1, 13)]
    distribues = [100] * 10 + [0, 0]
    utilises = [0, 0] + [50] * 10
    assert delai_median_mois(mois, distribues, utilises) == 2.0
