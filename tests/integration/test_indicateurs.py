"""The indicator table on a tiny dataset whose every figure is computed by hand, on SQLite and PostgreSQL.

Three laureates: the CD of Loire-Atlantique (2019), the CC Le Grésivaudan (2019, an inconsistent funnel:
more passes redeemed than distributed) and a syndicat mixte of Yvelines + Hauts-de-Seine (2020).
"""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import insert

from dashboard.domain.filtres import lire_filtres
from dashboard.store.db import make_engine
from dashboard.store.indicateurs import table_indicateurs
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import (
    ActiviteMensuelle,
    ActiviteStructureMensuelle,
    Commande,
    CommandeMensuelle,
    Convention,
    Metadonnee,
    Porteur,
    Syndicat,
    SyndicatMembre,
)
from tests.conftest import GEO_DIR

CD44, CCG, SM = "224400028", "200018166", "259000001"
POP = {"44": 1487570, "38": 1298990, "78": 1485086, "92": 1654712, "CCG": 103962}


def _jeu(engine) -> None:
    initialiser(engine, GEO_DIR)
    m = date
    with engine.begin() as c:
        c.execute(insert(Syndicat), [{"siren": SM, "nom": "Seine-et-Yvelines Numérique"}])
        c.execute(
            insert(SyndicatMembre),
            [
                {"siren_syndicat": SM, "niveau_membre": "departement", "code_membre": "78"},
                {"siren_syndicat": SM, "niveau_membre": "departement", "code_membre": "92"},
            ],
        )
        c.execute(
            insert(Porteur),
            [
                {
                    "siren": CD44,
                    "nom": "Département de Loire-Atlantique",
                    "type": "CD",
                    "code_territoire": "44",
                },
                {
                    "siren": CCG,
                    "nom": "CC Le Grésivaudan",
                    "type": "EPCI",
                    "sous_type": "CC",
                    "code_territoire": CCG,
                },
                {
                    "siren": SM,
                    "nom": "Seine-et-Yvelines Numérique",
                    "type": "SM",
                    "sous_type": None,
                    "code_territoire": SM,
                },
            ],
        )
        c.execute(
            insert(Convention),
            [
                {
                    "siren_porteur": CD44,
                    "vague": 2019,
                    "budget_total_eur": 120000,
                    "subvention_etat_eur": 68000,
                    "subvention_versee_eur": 34000,
                },
                {
                    "siren_porteur": CCG,
                    "vague": 2019,
                    "budget_total_eur": 13000,
                    "subvention_etat_eur": 7800,
                    "subvention_versee_eur": None,
                },
                {
                    "siren_porteur": SM,
                    "vague": 2020,
                    "budget_total_eur": 200000,
                    "subvention_etat_eur": 100000,
                    "subvention_versee_eur": 50000,
                },
            ],
        )
        c.execute(
            insert(Commande),
            [
                {
                    "siren_porteur": CD44,
                    "date_commande": m(2019, 10, 1),
                    "nb_carnets": 100,
                    "pass_par_carnet": 10,
                    "valeur_faciale_eur": 10,
                    "fin_validite": m(2021, 12, 31),
                },
                {  # the end of validity is unknown
                    "siren_porteur": CCG,
                    "date_commande": m(2020, 1, 1),
                    "nb_carnets": 40,
                    "pass_par_carnet": 5,
                    "valeur_faciale_eur": 10,
                    "fin_validite": None,
                },
                {
                    "siren_porteur": SM,
                    "date_commande": m(2021, 1, 1),
                    "nb_carnets": 400,
                    "pass_par_carnet": 5,
                    "valeur_faciale_eur": 10,
                    "fin_validite": m(2024, 1, 31),
                },
            ],
        )
        c.execute(
            insert(CommandeMensuelle),
            [
                {"siren_porteur": CD44, "mois": m(2019, 10, 1), "pass_commandes": 1000, "montant_eur": 10000},
                {"siren_porteur": CCG, "mois": m(2020, 1, 1), "pass_commandes": 200, "montant_eur": 2000},
                {"siren_porteur": SM, "mois": m(2021, 1, 1), "pass_commandes": 2000, "montant_eur": 20000},
            ],
        )
        c.execute(
            insert(ActiviteMensuelle),
            [
                {
                    "siren_porteur": CD44,
                    "code_commune": "44109",
                    "mois": m(2020, 1, 1),
                    "pass_distribues": 300,
                    "pass_utilises": 0,
                },
                {
                    "siren_porteur": CD44,
                    "code_commune": "44109",
                    "mois": m(2020, 2, 1),
                    "pass_distribues": 100,
                    "pass_utilises": 150,
                },
                {
                    "siren_porteur": CD44,
                    "code_commune": "44184",
                    "mois": m(2020, 2, 1),
                    "pass_distribues": 200,
                    "pass_utilises": 50,
                },
                {
                    "siren_porteur": CCG,
                    "code_commune": "38006",
                    "mois": m(2020, 3, 1),
                    "pass_distribues": 100,
                    "pass_utilises": 120,
                },
                {
                    "siren_porteur": SM,
                    "code_commune": "78646",
                    "mois": m(2021, 3, 1),
                    "pass_distribues": 500,
                    "pass_utilises": 100,
                },
                {
                    "siren_porteur": SM,
                    "code_commune": "92012",
                    "mois": m(2021, 4, 1),
                    "pass_distribues": 0,
                    "pass_utilises": 200,
                },
            ],
        )
        c.execute(
            insert(ActiviteStructureMensuelle),
            [
                {
                    "siren_porteur": CD44,
                    "siret": "11111111111111",
                    "role": "distributeur",
                    "mois": m(2020, 1, 1),
                    "code_commune": "44109",
                    "nb_pass": 300,
                },
                {
                    "siren_porteur": CD44,
                    "siret": "22222222222222",
                    "role": "distributeur",
                    "mois": m(2020, 2, 1),
                    "code_commune": "44184",
                    "nb_pass": 300,
                },
                {
                    "siren_porteur": CD44,
                    "siret": "33333333333333",
                    "role": "lieu",
                    "mois": m(2020, 2, 1),
                    "code_commune": "44109",
                    "nb_pass": 150,
                },
                {
                    "siren_porteur": CD44,
                    "siret": "44444444444444",
                    "role": "lieu",
                    "mois": m(2020, 2, 1),
                    "code_commune": "44184",
                    "nb_pass": 50,
                },
            ],
        )
        c.execute(insert(Metadonnee).values(cle="date_donnees", valeur="2023-12-31"))


@pytest.fixture(scope="module")
def moteur(moteur_module):
    _jeu(moteur_module)  # the tests only read
    return moteur_module


def _porteurs(moteur, **filtres) -> pd.DataFrame:
    return table_indicateurs(moteur, "porteur", None, lire_filtres(filtres)).set_index("code")


def test_ind001_vue_porteurs_calculee_a_la_main(moteur):
    t = _porteurs(moteur)
    assert list(t.index) == [CCG, CD44, SM]
    cd = t.loc[CD44]
    assert (cd.niveau, cd.nom) == ("porteur", "Département de Loire-Atlantique")
    assert (cd.budget_total_eur, cd.subvention_etat_engagee_eur, cd.subvention_etat_versee_eur) == (
        120000,
        68000,
        34000,
    )
    assert cd.part_etat == pytest.approx(68000 / 120000)
    assert (cd.pass_commandes, cd.pass_distribues, cd.pass_utilises) == (1000, 600, 200)
    assert cd.pass_expires == 800  # 1 000 passes valid until 31/12/2021, 200 redeemed
    assert cd.taux_distribution == pytest.approx(0.6)
    assert cd.taux_utilisation == pytest.approx(200 / 600)
    assert cd.population_couverte == POP["44"]
    assert cd.pass_pour_1000_habitants == pytest.approx(600 * 1000 / POP["44"])
    assert cd.euros_etat_par_habitant == pytest.approx(68000 / POP["44"])
    assert cd.euros_etat_par_pass_utilise == pytest.approx(340.0)
    # Usage rate 1/3: 100 of January's and 100 of February's passes will be used; February's 200
    # redemptions take them first in, first out → 100 at 1 month, 100 at 0 month: median 0.5.
    assert cd.delai_median_mois == 0.5
    assert (cd.lieux_actifs, cd.structures_distributrices) == (2, 2)


def test_ind002_syndicat_perimetre_union_des_membres(moteur):
    sm = _porteurs(moteur).loc[SM]
    assert sm.population_couverte == POP["78"] + POP["92"]
    assert (sm.pass_distribues, sm.pass_utilises, sm.pass_expires) == (500, 300, 0)  # validity not over
    assert sm.delai_median_mois == 1.0  # usage rate 0.6: 100 at 0 month, 200 at 1 month


def test_ind003_tunnel_incoherent_signale_sans_taux_et_sans_donnee_distinct_de_zero(moteur):
    table = _porteurs(moteur)
    cc = table.loc[CCG]
    # 120 redeemed for 100 handed out: its counts stay, its rates and delay mean nothing.
    assert (cc.pass_distribues, cc.pass_utilises) == (100, 120)
    assert cc.donnees_incoherentes and not table.loc[CD44].donnees_incoherentes
    assert np.isnan(cc.taux_utilisation) and np.isnan(cc.delai_median_mois)
    assert cc.population_couverte == POP["CCG"]
    assert cc.subvention_etat_versee_eur == 0
    assert np.isnan(cc.pass_expires)  # no order says when its validity ends: unknown, not 0
    assert (cc.lieux_actifs, cc.structures_distributrices) == (0, 0)


@pytest.mark.parametrize(
    ("filtres", "attendus"),
    [
        ({"vague": "2019"}, [CCG, CD44]),
        ({"type": "SM"}, [SM]),
        ({"type": "CD,EPCI"}, [CCG, CD44]),
        ({"region": "11"}, [SM]),
        ({"region": "52,84"}, [CCG, CD44]),
        ({"subvention": "50000-80000"}, [CD44]),
        ({"subvention": "-10000"}, [CCG]),
        ({"distribues": "500-"}, [CD44, SM]),
        ({"taux": "0.3-0.5"}, [CD44]),
    ],
)
def test_ind004_filtres(moteur, filtres, attendus):
    assert list(_porteurs(moteur, **filtres).index) == attendus


def test_ind005_periode_sur_l_activite_delai_sur_tout_l_historique(moteur):
    cd = _porteurs(moteur, periode="2020-02..2020-02").loc[CD44]
    assert (cd.pass_distribues, cd.pass_utilises) == (300, 200)
    # Flows of the period only: no order in February 2020, hence no money either.
    assert cd.pass_commandes == 0 and cd.subvention_etat_engagee_eur == 0
    assert np.isnan(cd.subvention_etat_versee_eur)  # payments are not dated
    # The 200 redeemed so far are January's first 200 passes (first in, first out): none of
    # February's 300 was redeemed.
    assert cd.taux_utilisation == 0
    assert cd.delai_median_mois == 0.5
    assert (cd.lieux_actifs, cd.structures_distributrices) == (2, 1)


def test_ind006_vue_territoires_activite_au_lieu_montants_repartis(moteur):
    t = table_indicateurs(moteur, "departement", "territoires", lire_filtres({})).set_index("code")
    assert list(t.index) == ["38", "44", "78", "92"]
    assert t.loc["44"].nom == "Loire-Atlantique" and t.loc["44"].niveau == "departement"
    assert (t.loc["92"].pass_distribues, t.loc["92"].pass_utilises) == (0, 200)
    assert (t.loc["78"].pass_distribues, t.loc["78"].pass_utilises) == (500, 100)
    part_78 = POP["78"] / (POP["78"] + POP["92"])
    assert t.loc["78"].budget_total_eur == pytest.approx(200000 * part_78, abs=0.01)  # to the cent
    # 945,98 + 1 054,02 passes: whole passes by the largest remainder, 946 + 1 054 = 2 000.
    assert (t.loc["78"].pass_commandes, t.loc["92"].pass_commandes) == (946, 1054)
    assert t["budget_total_eur"].sum() == pytest.approx(333000)  # the split keeps the totals
    assert t["subvention_etat_engagee_eur"].sum() == pytest.approx(175800)
    assert t["pass_utilises"].sum() == 620
    assert t.loc["38"].population_couverte == POP["CCG"]  # only the EPCI's part of Isère is covered
    assert t.loc["44"].taux_utilisation == pytest.approx(200 / 600)
    assert t.loc["92"].taux_utilisation != t.loc["92"].taux_utilisation  # NaN: 0 distributed → no rate


def test_ind007_vue_territoires_region_et_epci(moteur):
    regions = table_indicateurs(moteur, "region", None, lire_filtres({})).set_index("code")
    assert list(regions.index) == ["11", "52", "84"]
    assert regions.loc["11"].pass_utilises == 300
    epci = table_indicateurs(moteur, "epci", None, lire_filtres({"region": "84"})).set_index("code")
    assert list(epci.index) == [CCG]
    assert epci.loc[CCG].pass_distribues == 100


def test_ind008_vue_porteurs_au_niveau_territorial_repartit_tout(moteur):
    t = table_indicateurs(moteur, "departement", "porteurs", lire_filtres({})).set_index("code")
    part_78 = POP["78"] / (POP["78"] + POP["92"])
    # 236,49 + 263,51: the larger remainder takes the unit, the parts keep the laureate's 500.
    assert (t.loc["78"].pass_distribues, t.loc["92"].pass_distribues) == (236, 264)
    assert round(500 * part_78, 2) == 236.49
    assert t["pass_distribues"].sum() == 1200


def test_ind009_erreurs_en_francais(moteur):
    with pytest.raises(ValueError, match="porteur"):
        table_indicateurs(moteur, "porteur", "territoires", lire_filtres({}))
    with pytest.raises(ValueError, match="Niveau inconnu"):
        table_indicateurs(moteur, "commune", None, lire_filtres({}))


def test_qua001_liste_qualite(moteur):
    from dashboard.store.qualite import problemes_qualite

    q = problemes_qualite(moteur)
    par_porteur = q.groupby("siren")["probleme"].apply(sorted).to_dict()
    assert par_porteur == {
        CCG: ["Données anciennes", "Tunnel incohérent"],
        CD44: ["Données anciennes"],
        SM: ["Données anciennes"],
    }
    tunnel = q[(q.siren == CCG) & (q.probleme == "Tunnel incohérent")].detail.item()
    assert tunnel == "120 pass utilisés pour 100 distribués."
    assert q[(q.siren == CD44)].detail.item() == (
        "Dernière activité en 02/2020, alors que ses pass étaient valides jusqu'au 31/12/2021."
    )
    assert (
        q[(q.siren == SM)].detail.item() == "Dernière activité en 04/2021, données nationales au 31/12/2023."
    )


@pytest.mark.parametrize(
    ("niveau", "vue"),
    [("porteur", "porteurs"), ("region", "territoires"), ("epci", "territoires"), ("epci", "porteurs")],
)
def test_ind010_base_sans_donnees_du_programme_table_vide(base_sqlite_initialisee, niveau, vue):
    """Reference geography only: an empty table with every column, not an error."""
    engine = make_engine(base_sqlite_initialisee.resolved_database_url)
    table = table_indicateurs(engine, niveau, vue, lire_filtres({}))
    assert table.empty and list(table.columns[:3]) == ["niveau", "code", "nom"]


@pytest.mark.parametrize(("niveau", "vue"), [("porteur", "porteurs"), ("departement", "territoires")])
def test_rpl004_une_plage_garde_des_lignes_de_la_meme_selection(moteur, niveau, vue):
    """The ranges of passes handed out and of rate only keep rows: the table of a selection with a range
    is that of the selection without it (memoised once for both), its rows in the range."""
    sans = table_indicateurs(moteur, niveau, vue, lire_filtres({"vague": "2019"}))
    for plage, colonne, bas, haut in (
        ("distribues", "pass_distribues", 1, 10**6),
        ("taux", "taux_utilisation", 0.3, 1),
    ):
        avec = table_indicateurs(moteur, niveau, vue, lire_filtres({"vague": "2019", plage: f"{bas}-{haut}"}))
        dans = sans[colonne].between(bas, haut).to_numpy()
        assert 0 < len(avec) <= len(sans)
        pd.testing.assert_frame_equal(avec, sans[dans].reset_index(drop=True))
