"""Orders, passes handed out and redeemed attributed to waves, on a laureate computed by hand (SQLite and
PostgreSQL): the convention in force, the file's explicit wave, first in first out, the overflow."""

from datetime import date

import pytest
from sqlalchemy import insert

from dashboard.domain.filtres import lire_filtres
from dashboard.store.attribution import attribution
from dashboard.store.indicateurs import table_indicateurs
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import ActiviteMensuelle, Commande, Convention, Metadonnee, Porteur
from tests.conftest import GEO_DIR

CD44 = "224400028"


@pytest.fixture(scope="module")
def moteur(moteur_module):
    initialiser(moteur_module, GEO_DIR)
    with moteur_module.begin() as c:
        c.execute(insert(Porteur).values(siren=CD44, nom="Loire-Atlantique", type="CD", code_territoire="44"))
        c.execute(
            insert(Convention),
            [
                {
                    "siren_porteur": CD44,
                    "vague": 2019,
                    "date_convention": date(2019, 6, 1),
                    "budget_total_eur": 3000,
                    "subvention_etat_eur": 1500,
                },
                {
                    "siren_porteur": CD44,
                    "vague": 2020,
                    "date_convention": date(2020, 9, 1),
                    "budget_total_eur": 4000,
                    "subvention_etat_eur": 2000,
                },
            ],
        )
        commande = {"siren_porteur": CD44, "pass_par_carnet": 10, "valeur_faciale_eur": 10}
        c.execute(
            insert(Commande),
            [
                # In force on 2019-10: the 2019 convention; on 2020-10: the 2020 one; the third
                # order's file says 2019 although the 2020 convention is in force.
                {
                    **commande,
                    "date_commande": date(2019, 10, 1),
                    "nb_carnets": 10,
                    "vague": None,
                    "fin_validite": date(2021, 6, 30),
                },
                {
                    **commande,
                    "date_commande": date(2020, 10, 1),
                    "nb_carnets": 20,
                    "vague": None,
                    "fin_validite": date(2024, 12, 31),
                },
                {
                    **commande,
                    "date_commande": date(2021, 1, 1),
                    "nb_carnets": 5,
                    "vague": 2019,
                    "fin_validite": None,
                },
            ],
        )
        activite = {"siren_porteur": CD44, "code_commune": "44109"}
        c.execute(
            insert(ActiviteMensuelle),
            [
                {**activite, "mois": date(2020, 1, 1), "pass_distribues": 150, "pass_utilises": 80},
                {**activite, "mois": date(2021, 3, 1), "pass_distribues": 200, "pass_utilises": 200},
            ],
        )
        c.execute(insert(Metadonnee).values(cle="date_donnees", valeur="2023-12-31"))
    return moteur_module


def _ligne(moteur, **filtres):
    return table_indicateurs(moteur, "porteur", "porteurs", lire_filtres(filtres)).set_index("code").loc[CD44]


def test_att004_convention_en_vigueur_vague_explicite_et_premier_entre_premier_sorti(moteur):
    assert attribution(moteur).commandes["vague"].tolist() == [2019, 2020, 2019]
    # Numbering: passes 0–99 are 2019's, 100–299 2020's, 300–349 2019's (the explicit order).
    v2019, v2020 = _ligne(moteur, vague="2019"), _ligne(moteur, vague="2020")
    assert (v2019.pass_commandes, v2019.pass_distribues, v2019.pass_utilises) == (150, 150, 100)
    assert (v2020.pass_commandes, v2020.pass_distribues, v2020.pass_utilises) == (200, 200, 180)
    # Of the 2019 passes handed out, 100 were redeemed (the first 280 of the numbering).
    assert v2019.taux_utilisation == pytest.approx(100 / 150)
    assert v2020.taux_utilisation == pytest.approx(180 / 200)
    tout = _ligne(moteur)
    assert tout.pass_distribues == v2019.pass_distribues + v2020.pass_distribues
    assert tout.subvention_etat_engagee_eur == 3500 and not tout.donnees_incoherentes


def test_att005_periode_flux_et_montants_au_prorata_des_commandes(moteur):
    ligne = _ligne(moteur, periode="2021-01..2021-12")
    assert (ligne.pass_commandes, ligne.pass_distribues, ligne.pass_utilises) == (50, 200, 200)
    # The 2021 order is a third of the 2019 wave's passes: a third of its subsidy.
    assert ligne.subvention_etat_engagee_eur == pytest.approx(1500 / 3)
    # The first order (100 passes, validity over mid-2021) had 100 redeemed: none expired; the third
    # order's end of validity is unknown, the second's not reached.
    assert _ligne(moteur, periode="2021-06..2021-06").pass_expires == 0
    # Of the 200 handed out in March 2021 (numbered 150–349), those numbered below 280 were redeemed.
    assert ligne.taux_utilisation == pytest.approx(130 / 200)
