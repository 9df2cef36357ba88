"""Events on the ground: carnets handed out by structures, passes scanned at mediation places.

Vectorised per convention: one array element per carnet distributed, then one per pass redeemed.
Dates are integers (days since 1970-01-01) until the files are written.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.demo.laureats import ENTONNOIR, FIN_DONNEES_OBSOLETES, FIN_RETOURS_SILENCE, OBSOLETE, SILENCE
from dashboard.demo.references import DATE_DONNEES, jour
from dashboard.demo.reseau import PUBLICS_CUMULES, Reseau

FIN = int(DATE_DONNEES.astype(np.int64))
# COVID lockdowns: nothing handed out or scanned during the first; most activity postponed in the second.
CONFINEMENTS = ((jour("2020-03-17"), jour("2020-05-10"), 1.0), (jour("2020-10-30"), jour("2020-12-14"), 0.7))
REPRISE_APRES_COVID = jour("2020-06-15")


def _decaler_confinements(rng: np.random.Generator, dates: np.ndarray) -> np.ndarray:
    for debut, fin, part in CONFINEMENTS:
        dedans = (dates >= debut) & (dates <= fin) & (rng.random(len(dates)) < part)
        dates = np.where(dedans, fin + 1 + rng.integers(0, 40, len(dates)), dates)
    return dates


def _jours_ouvres(dates: np.ndarray, samedi_ouvert: bool) -> np.ndarray:
    """Move Sundays (and Saturdays, for offices) to the nearest working day."""
    semaine = (dates + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    dates = np.where(semaine == 6, dates + 1, dates)
    return dates if samedi_ouvert else np.where(semaine == 5, dates - 1, dates)


def _debut_distribution(rng: np.random.Generator, c: pd.Series, premiere_commande: int) -> int:
    if c["debut_distribution"] is not None and not pd.isna(c["debut_distribution"]):
        return int(c["debut_distribution"])
    debut = premiere_commande + int(rng.integers(30, 150))
    if debut < REPRISE_APRES_COVID:
        debut = REPRISE_APRES_COVID + int(rng.integers(0, 75))
    return debut


def _carnets_distribues(rng, c, cmd: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per carnet handed out: order row, date, carnet size, end of validity."""
    debut = _debut_distribution(rng, c, int(cmd["date"].min()))
    morceaux = []
    for k, (date, carnets, taille, fin) in enumerate(
        cmd[["date", "nb_carnets", "taille", "fin_validite"]].to_numpy()
    ):
        premier = max(date + int(rng.integers(20, 60)), debut) if k else max(date + 14, debut)
        dernier = min(fin - int(rng.integers(30, 90)), FIN - 10)
        dernier = max(dernier, min(premier + 30, fin - 1))
        n = rng.binomial(carnets, c["taux_distribution"]) if premier < fin else 0
        dates = premier + np.floor((dernier - premier) * rng.beta(1.2, 2.0, n)).astype(np.int64)
        dates = np.clip(_jours_ouvres(_decaler_confinements(rng, dates), False), premier, dernier)
        morceaux.append((dates, np.full(n, taille), np.full(n, fin)))
    dates, tailles, fins = (np.concatenate(m) for m in zip(*morceaux, strict=True))
    if len(dates) and c["debut_distribution"] is not None and not pd.isna(c["debut_distribution"]):
        dates[np.argmin(dates)] = debut  # a published start date is the first distribution day
    return {"date": dates, "taille": tailles, "fin": fins}


def _sessions(
    rng: np.random.Generator, utilises: np.ndarray, delai_median: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per redeemed pass: its carnet and its delay after distribution (first workshop, then weekly-ish)."""
    carnet = np.repeat(np.arange(len(utilises)), utilises)
    premier = np.clip(rng.lognormal(np.log(delai_median), 0.75, len(utilises)), 0, 183).astype(np.int64)
    ecart = np.where(rng.random(len(carnet)) < 0.12, 0, 7 * rng.geometric(0.45, len(carnet)))
    ecart += rng.integers(-2, 3, len(carnet))
    debut_carnet = np.r_[0, np.cumsum(utilises)[:-1]]
    rang = np.arange(len(carnet)) - debut_carnet[carnet]
    ecart = np.where(rang == 0, 0, np.maximum(ecart, 0))
    cumul = np.cumsum(ecart)
    cumul -= cumul[debut_carnet[carnet]]  # restart at each carnet
    return carnet, premier[carnet] + cumul


def simuler(rng: np.random.Generator, c: pd.Series, cmd: pd.DataFrame, res: Reseau) -> tuple[dict, dict]:
    """Distribution lines (one per carnet) and redemption lines (one per pass) of one convention."""
    carnets = _carnets_distribues(rng, c, cmd)
    n = len(carnets["date"])
    position = rng.choice(len(res.structures), size=n, p=res.poids_structures)
    publics = (rng.random(n)[:, None] > PUBLICS_CUMULES[res.especes[position]]).sum(axis=1)
    r = c["taux_utilisation"]
    engagement = rng.beta(r * 1.6, (1 - r) * 1.6, n)  # some people use the whole carnet, some none
    utilises = rng.binomial(carnets["taille"], engagement)
    proche = rng.random(n) < 0.75
    lieu = np.where(proche, res.lieu_proche[position], rng.choice(len(res.lieux), size=n, p=res.poids_lieux))
    carnet, delai = _sessions(rng, utilises, c["delai_median"])
    dates_u = _jours_ouvres(_decaler_confinements(rng, carnets["date"][carnet] + delai), True)
    valides = dates_u <= np.minimum(carnets["fin"][carnet], FIN)  # unused passes expire
    distributions = {
        "date": carnets["date"],
        "structure": res.structures[position],
        "public": publics,
        "nb_pass": carnets["taille"],
    }
    utilisations = {"date": dates_u[valides], "lieu": res.lieux[lieu[carnet[valides]]]}
    return _anomalies(rng, c, distributions, utilisations)


def _anomalies(rng: np.random.Generator, c: pd.Series, dist: dict, util: dict) -> tuple[dict, dict]:
    if c["anomalie"] == OBSOLETE:  # nothing reported after February 2022
        dist = {k: v[dist["date"] <= FIN_DONNEES_OBSOLETES] for k, v in dist.items()}
        util = {k: v[util["date"] <= FIN_DONNEES_OBSOLETES] for k, v in util.items()}
    elif c["anomalie"] == SILENCE:  # no return after September 2023, its passes still valid
        dist = {k: v[dist["date"] <= FIN_RETOURS_SILENCE] for k, v in dist.items()}
        util = {k: v[util["date"] <= FIN_RETOURS_SILENCE] for k, v in util.items()}
    elif c["anomalie"] == ENTONNOIR:  # most structures never reported their distributions
        garde = rng.random(len(dist["date"])) < 0.35
        dist = {k: v[garde] for k, v in dist.items()}
    return dist, util
