"""Whether the operator paid the mediation places back for the passes they accepted (column `rembourse`).

The programme's operator went into liquidation on 16/01/2024: it paid the places back for almost every
pass until mid-2023, then for fewer and fewer as its cash ran out (a growing share of the redemptions of
the last months of 2023 never paid back). A few laureates' files never say (the column left empty), and
a few lines elsewhere neither. Deterministic for a seed: one generator per laureate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.demo.references import jour

OUI, NON, INCONNU = "oui", "non", ""
# Share of the redemptions never paid back, by month of 2023 (earlier: PART_AVANT).
PART_NON_REMBOURSEE_2023 = {7: 0.04, 8: 0.12, 9: 0.25, 10: 0.45, 11: 0.7, 12: 0.9}
PART_AVANT = 0.003  # disputed passes, now and then
PART_LAUREATS_SANS_INFORMATION = 0.06  # files that never say
PART_LIGNES_SANS_INFORMATION = 0.02


def part_non_remboursee(jours: np.ndarray) -> np.ndarray:
    """The probability that a redemption of that day (days since 1970-01-01) was never paid back."""
    jours = np.asarray(jours, dtype=np.int64)
    part = np.full(len(jours), PART_AVANT)
    for mois, valeur in PART_NON_REMBOURSEE_2023.items():
        debut = jour(f"2023-{mois:02d}-01")
        fin = jour("2024-01-01") if mois == 12 else jour(f"2023-{mois + 1:02d}-01")
        part = np.where((jours >= debut) & (jours < fin), valeur, part)
    return np.where(jours >= jour("2024-01-01"), 1.0, part)


def statuts(utilisations: pd.DataFrame, seed: int) -> np.ndarray:
    """ "oui", "non" or "" (unknown) for each redemption line (columns siren, date in days), in its order."""
    resultat = np.empty(len(utilisations), dtype=object)
    codes, sirens = pd.factorize(utilisations["siren"].astype(str))
    dates = utilisations["date"].to_numpy(dtype=np.int64)
    ordre = np.argsort(codes, kind="stable")
    bornes = np.searchsorted(codes[ordre], np.arange(len(sirens) + 1))
    for k, siren in enumerate(sirens):
        lignes = ordre[bornes[k] : bornes[k + 1]]
        rng = np.random.default_rng([seed, 11, int(siren)])
        if rng.random() < PART_LAUREATS_SANS_INFORMATION:
            resultat[lignes] = INCONNU
            continue
        non = rng.random(len(lignes)) < part_non_remboursee(dates[lignes])
        inconnu = rng.random(len(lignes)) < PART_LIGNES_SANS_INFORMATION
        resultat[lignes] = np.where(inconnu, INCONNU, np.where(non, NON, OUI))
    return resultat
