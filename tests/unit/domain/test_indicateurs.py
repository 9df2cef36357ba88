import numpy as np
import pandas as pd
import pytest

from dashboard.domain.indicateurs import (
    BASES,
    IDS,
    INDICATEURS,
    VISIBLES,
    Nature,
    calculer_derives,
    indicateur,
    offerts,
    totaliser,
)

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
    "lieux_acceptant_pass",
    "lieux_pass_pour_10000_habitants",
    "pass_non_rembourses",
    "montant_non_rembourse_eur",
}
LIEUX = {"lieux_acceptant_pass", "lieux_pass_pour_10000_habitants"}


def avec_cohortes(base: pd.DataFrame) -> pd.DataFrame:
    """The cohort columns of consistent counts (all passes of the selection, first in, first out): of
    the passes ordered, min(ordered, handed out) were handed out and min(ordered, redeemed) redeemed; of
    those handed out, min(handed out, redeemed) were redeemed."""
    c, d, u = (base[n] for n in ("pass_commandes", "pass_distribues", "pass_utilises"))
    return base.assign(
        distribues_parmi_commandes=np.minimum(c, d),
        utilises_parmi_commandes=np.minimum(c, u),
        utilises_parmi_distribues=np.minimum(d, u),
    )


def test_rgi001_tous_les_indicateurs_du_produit_une_seule_fois():
    assert {i.id for i in VISIBLES} == PRODUIT and len(IDS) == len(INDICATEURS)
    assert {i.id for i in offerts("territoires")} == PRODUIT - {
        "taux_distribution",
        "euros_etat_par_pass_utilise",
    }
    # Places serve any holder of a Pass whatever the laureate: not counted per laureate.
    assert {i.id for i in offerts("porteurs")} == PRODUIT - LIEUX
    assert all(indicateur(i).sans_objet for i in LIEUX)
    for ind in INDICATEURS:
        assert ind.libelle and ind.unite and ind.formule and ind.definition


def test_rgi002_taux_en_taux_stocks_en_stocks():
    assert indicateur("taux_utilisation").nature is Nature.TAUX
    assert indicateur("pass_distribues").nature is Nature.STOCK
    assert indicateur("euros_etat_par_habitant").nature is Nature.RATIO
    with pytest.raises(ValueError, match="Indicateur inconnu"):
        indicateur("nimporte_quoi")


def test_rgi003_formats_francais():
    assert (
        indicateur("taux_utilisation").formater(0.123).replace("\u202f", " ").replace("\xa0", " ") == "12,3 %"
    )
    assert (
        indicateur("subvention_etat_engagee_eur").formater(68000).replace("\u202f", " ").replace("\xa0", " ")
        == "68 000 €"
    )
    assert indicateur("pass_distribues").formater(1234567) == "1\u202f234\u202f567"
    assert indicateur("delai_median_mois").formater(1.5) == "1,5 mois"


def test_rgi004_derives_division_par_zero_sans_donnee():
    base = pd.DataFrame({b: [0.0, 0.0] for b in BASES})
    base.loc[0, ["pass_commandes", "pass_distribues", "pass_utilises"]] = [100, 50, 10]
    derive = calculer_derives(avec_cohortes(base))
    assert derive.loc[0, "taux_distribution"] == 0.5 and derive.loc[0, "taux_utilisation"] == 0.2
    assert derive.loc[1, ["taux_distribution", "taux_utilisation", "part_etat"]].isna().all()


def test_mot002_titre_avec_unite_jamais_repetee():
    assert indicateur("pass_distribues").titre() == "Pass distribués"
    assert indicateur("pass_utilises").titre("territoires") == "Pass utilisés sur place"
    assert indicateur("pass_expires").titre("porteurs") == "Pass expirés (estimé)"
    assert indicateur("taux_utilisation").titre() == "Taux d'utilisation (%)"
    assert indicateur("subvention_etat_engagee_eur").titre() == "Subvention État engagée (€)"
    assert indicateur("euros_etat_par_habitant").titre() == "€ État par habitant couvert"
    assert indicateur("pass_pour_1000_habitants").titre() == "Pass distribués pour 1 000 habitants couverts"
    assert indicateur("lieux_actifs").titre() == "Lieux actifs"
    delai = indicateur("delai_median_mois")
    assert delai.titre() == "Délai médian distribution → utilisation (mois, estimé)"
    assert delai.titre("porteurs", exact=True) == "Délai médian distribution → utilisation (mois, exact)"
    assert indicateur("taux_utilisation").titre("territoires") == "Taux d'utilisation (%, estimé)"
    for ind in VISIBLES:
        for vue in ind.vues:
            titre = ind.titre(vue)
            assert "(pass)" not in titre and "(lieux)" not in titre and "(structures)" not in titre


def test_mot003_le_delai_median_est_une_duree_pas_un_ratio():
    delai = indicateur("delai_median_mois")
    assert delai.nature is Nature.DUREE and delai.nature is not Nature.RATIO
    assert delai.unite == "mois"


def test_rpl002_totaux_comme_les_sommes_pandas_colonne_par_colonne():
    """The totals read at once: each base column summed as pandas sums it (no data left out; no data
    when every value of a non-empty column is unknown), rates recomputed from the sums."""
    rng = np.random.default_rng(20)
    table = pd.DataFrame({b: rng.random(1255) * 10 ** rng.integers(0, 8) for b in BASES})
    table.loc[table.index[::3], "pass_expires"] = np.nan
    table["lieux_acceptant_pass"] = np.nan
    totaux = totaliser(table)
    for b in BASES:
        if b in ("delai_median_mois", "lieux_acceptant_pass"):
            assert np.isnan(totaux[b])
        else:
            assert totaux[b] == float(table[b].sum()), b
    attendu = totaux["utilises_parmi_distribues"] / totaux["pass_distribues"]
    assert totaux["taux_utilisation"] == pytest.approx(attendu)
    # A row of a page, built from loose values (an unknown one among them).
    ligne = pd.DataFrame([{**{b: 3.0 for b in BASES}, "pass_expires": None}])
    totaux_ligne = totaliser(ligne)
    assert np.isnan(totaux_ligne["pass_expires"]) and totaux_ligne["pass_distribues"] == 3.0
    assert totaliser(table.iloc[:0])["pass_distribues"] == 0.0
