"""What the pages say of the forecasts (dashboard.vues.prevision): ranges in words, the CSV of the list."""

import pandas as pd

from dashboard.vues.prevision import csv_liste, fourchette_euros, fourchette_mois, fourchette_nombre

NNBSP = "\u202f"
M = pd.Timestamp


def test_prv030_fourchettes_en_francais():
    assert (
        fourchette_nombre(1100.2, 1234.4, 1400, "pass") == f"1{NNBSP}234 pass (de 1{NNBSP}100 à 1{NNBSP}400)"
    )
    assert fourchette_nombre(70, 70.2, 69.9, "pass") == "70 pass"  # no range when it is the forecast
    assert fourchette_euros(200, 350, 500) == "350 € (de 200 € à 500 €)"


def test_prv031_mois_avec_intervalle():
    assert (
        fourchette_mois(M(2024, 4, 1), M(2024, 6, 1), M(2024, 9, 1), "jamais")
        == "juin 2024 (avril – sept. 2024)"
    )
    assert (
        fourchette_mois(M(2024, 11, 1), M(2025, 1, 1), M(2025, 2, 1), "jamais")
        == "janvier 2025 (nov. 2024 – févr. 2025)"
    )
    assert fourchette_mois(M(2024, 6, 1), M(2024, 6, 1), M(2024, 6, 1), "jamais") == "juin 2024"
    assert fourchette_mois(M(2024, 6, 1), pd.NaT, pd.NaT, "pas avant l'échéance") == "pas avant l'échéance"
    assert (
        fourchette_mois(M(2024, 6, 1), M(2024, 8, 1), pd.NaT, "jamais") == "août 2024 (juin 2024 – au-delà)"
    )


def test_prv032_csv_de_la_liste_nationale():
    liste = pd.DataFrame(
        {
            "siren": ["200035764"],
            "nom": ["CC de la Beauce Loirétaine"],
            "pass_expirant_prevus": [4325.4],
            "etat_risque_eur": [21625.3],
            "etat_risque_bas_eur": [20000.0],
            "etat_risque_haut_eur": [23000.6],
        }
    )
    lignes = csv_liste(liste).splitlines()
    assert lignes[0].startswith("siren;nom;pass_expirant_prevus (estimé);etat_risque_eur (estimé)")
    assert lignes[1] == "200035764;CC de la Beauce Loirétaine;4325;21625;20000;23001"
