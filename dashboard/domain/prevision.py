"""Forecasts of each laureate's passes after the data date: passes that will expire unused, the State's
money they carry, the month the ordered stock runs out, the month the envelope is spent.

Months are integers (dashboard.domain.mois). The model, per laureate, after the month `au`:

- **Distributions**: the laureate's own pace, the mean of its last 6 months, damped month after month by
  the trend of its peers (same type, same wave: their distributions of the last 3 months against the 3
  before, per month), slowed in the last 6 months before the end of validity of the order handed out
  from as its peers' ended orders were, and bounded by its ordered stock still valid (first in, first
  out over its orders: no pass is handed out after its order's end of validity).
- **Redemptions**: each month's distributed passes (a cohort) are redeemed along the peers' cohort curve
  (share of a cohort redeemed k months after its distribution, pooled over the peers), scaled by the
  laureate's own redemption rate against that curve (its passes redeemed so far ÷ what the peers' curve
  expected of its cohorts, shrunk towards 1 by `KAPPA` passes), at most the cohort's passes still
  unused, and never after its order's end of validity.
- **Expiring passes**: the passes of the orders still valid at `au` that are neither redeemed nor (for
  the stock) handed out by their end of validity; the State's money at risk: each × its face value × the
  State's share of its wave.
- **Envelope**: orders at the laureate's pace of the last 12 months (State's share of the amounts)
  against the subsidy left.

Intervals (80 %): `TIRAGES` bootstrap draws (fixed seed `GRAINE`: reproducible) resampling the peers
(their curve, trend and slowdown) and the laureate's own months (its pace, and each future month's
variation around it); the forecast is the median draw, the interval the 10th and 90th percentiles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dashboard.domain.delais import cohortes

TIRAGES = 200
GRAINE = 20_240_116
QUANTILES = (0.1, 0.5, 0.9)
MOIS_RYTHME = 6  # the laureate's own pace: its last 6 months
MOIS_TENDANCE = 3  # the peers' trend: their last 3 months against the 3 before
MOIS_COMMANDES = 12  # the pace of orders: the last 12 months
KAPPA = 200.0  # own redemption rate shrunk towards the peers' by this many expected passes
HORIZON_MIN = 6
HORIZON_MAX = 120
AMORTI_MIN, AMORTI_MAX = 0.5, 1.05  # monthly trend of the peers, bounded
JAMAIS = np.inf  # a month that never comes (within the horizon)


# --- Peers -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Historique:
    """One laureate's monthly series up to `au` (consecutive month indices)."""

    mois: np.ndarray
    distribues: np.ndarray
    utilises: np.ndarray


def historique(
    mois: Sequence[int], distribues: Sequence[float], utilises: Sequence[float], au: int
) -> Historique:
    """Every month from the first given to `au` (zeros filled), months after `au` dropped."""
    mois = np.asarray(mois, dtype=np.int64)
    garde = mois <= au
    if not garde.any():
        return Historique(np.array([], dtype=np.int64), np.array([]), np.array([]))
    debut = int(mois[garde].min())
    tous = np.arange(debut, au + 1)
    d = np.zeros(len(tous))
    u = np.zeros(len(tous))
    np.add.at(d, mois[garde] - debut, np.asarray(distribues, dtype=float)[garde])
    np.add.at(u, mois[garde] - debut, np.asarray(utilises, dtype=float)[garde])
    return Historique(tous, d, u)


def cohortes_par_delai(h: Historique, au: int, k_max: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(redeemed by delay k, distributed observed at delay k, unused now per month of `h`): the
    laureate's cohorts (domain.delais.cohortes: redemptions matched first in first out to the passes
    that will be used), summed over cohorts per delay 0..k_max-1."""
    utilises_k = np.zeros(k_max)
    distribues_k = np.zeros(k_max)
    non_utilises = h.distribues.copy()
    if not len(h.mois) or not h.distribues.sum():
        return utilises_k, distribues_k, non_utilises
    courbes = cohortes(h.mois.tolist(), h.distribues.tolist(), h.utilises.tolist(), au)
    if courbes.empty:
        return utilises_k, distribues_k, non_utilises
    k = courbes["k"].to_numpy()
    dans = k < k_max
    np.add.at(utilises_k, k[dans], (courbes["part"] * courbes["distribues"]).to_numpy()[dans])
    np.add.at(distribues_k, k[dans], courbes["distribues"].to_numpy()[dans])
    dernieres = courbes.groupby("cohorte")["part"].last()
    position = dernieres.index.to_numpy() - h.mois[0]
    non_utilises[position] = h.distribues[position] * (1 - dernieres.to_numpy())
    return utilises_k, distribues_k, np.maximum(non_utilises, 0)


def tirages_pairs(nb_pairs: int, rng: np.random.Generator, tirages: int = TIRAGES) -> np.ndarray:
    """(tirages × nb_pairs) weights: each draw resamples the peers with replacement; the first draw is
    the peers themselves (weight 1 each)."""
    poids = rng.multinomial(nb_pairs, np.full(nb_pairs, 1 / nb_pairs), size=tirages).astype(float)
    poids[0] = 1.0
    return poids


def courbe_pairs(utilises_k: np.ndarray, distribues_k: np.ndarray, poids: np.ndarray) -> np.ndarray:
    """(tirages × K) cumulative share of a cohort redeemed by delay k, pooled over the weighted peers
    (rows: peers × delays); non-decreasing, flat after the last delay observed."""
    u = poids @ utilises_k
    d = poids @ distribues_k
    with np.errstate(invalid="ignore", divide="ignore"):
        part = np.where(d > 0, u / np.where(d > 0, d, 1), np.nan)
    part = _prolonger(part)
    return np.clip(np.maximum.accumulate(part, axis=1), 0, 1)


def _prolonger(part: np.ndarray) -> np.ndarray:
    """Unknown delays (no cohort observed that long) take the last known value (0 before any)."""
    resultat = part.copy()
    resultat[:, 0] = np.nan_to_num(resultat[:, 0])
    for k in range(1, resultat.shape[1]):
        manque = np.isnan(resultat[:, k])
        resultat[manque, k] = resultat[manque, k - 1]
    return resultat


MOIS_ECHEANCE = 6  # the peers' slowdown before an order's end of validity: its last 6 months


def avant_echeance(h: Historique, c: Commandes, au: int) -> tuple[np.ndarray, np.ndarray]:
    """(passes handed out from the laureate's orders ended by `au`, j = 0 … MOIS_ECHEANCE − 1 months
    before their end of validity; the same summed over the MOIS_ECHEANCE months before those, ÷ their
    number): what the peers' slowdown before the end is measured on."""
    proches = np.zeros(MOIS_ECHEANCE)
    reference = 0.0
    if not len(h.mois) or not len(c.pass_commandes):
        return proches, reference
    parts, _ = repartir(h, c)
    for j_cmd, fin in enumerate(c.fin):
        if fin > au:
            continue
        ecart = (fin - h.mois).astype(np.int64)
        dans = (ecart >= 0) & (ecart < MOIS_ECHEANCE)
        np.add.at(proches, ecart[dans], parts[dans, j_cmd])
        avant = (ecart >= MOIS_ECHEANCE) & (ecart < 2 * MOIS_ECHEANCE)
        reference += parts[avant, j_cmd].sum() / MOIS_ECHEANCE
    return proches, np.float64(reference)


def profil_echeance(proches: np.ndarray, references: np.ndarray, poids: np.ndarray) -> np.ndarray:
    """(tirages × MOIS_ECHEANCE) the share of its usual pace an order keeps j months before its end of
    validity, pooled over the weighted peers (rows: peers), at most 1; 1 when no peer's order ended."""
    p = poids @ proches
    r = poids @ references
    with np.errstate(invalid="ignore", divide="ignore"):
        profil = np.where(r[:, None] > 0, p / np.where(r > 0, r, 1)[:, None], 1.0)
    return np.clip(profil, 0.0, 1.0)


def amortissement_pairs(recents: np.ndarray, anciens: np.ndarray, poids: np.ndarray) -> np.ndarray:
    """(tirages,) the peers' monthly trend of distributions: (their last `MOIS_TENDANCE` months ÷ the
    ones before) ** (1 / MOIS_TENDANCE), bounded; 1 when they handed out nothing before."""
    r = poids @ recents
    a = poids @ anciens
    with np.errstate(invalid="ignore", divide="ignore"):
        rapport = np.where(a > 0, r / np.where(a > 0, a, 1), 1.0) ** (1 / MOIS_TENDANCE)
    return np.clip(rapport, AMORTI_MIN, AMORTI_MAX)


# --- One laureate ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Commandes:
    """A laureate's orders up to `au`, oldest first: passes, month of the end of validity, still valid
    at `au` (end of validity after `au`), face value (€) and the State's share (0–1)."""

    pass_commandes: np.ndarray
    fin: np.ndarray
    valide: np.ndarray
    valeur_faciale: np.ndarray
    part_etat: np.ndarray


@dataclass(frozen=True)
class Simulation:
    """Per draw (rows) of one laureate: distributed and redeemed per future month (columns, month
    au + 1 + column), passes expiring per order, month the stock runs out (JAMAIS: never)."""

    distribues: np.ndarray
    utilises: np.ndarray
    expirant_par_commande: np.ndarray
    rupture: np.ndarray
    stock_valide: float

    @property
    def expirant(self) -> np.ndarray:
        return self.expirant_par_commande.sum(axis=1)


def horizon(c: Commandes, au: int) -> int:
    """Months simulated: to the last end of validity of the orders valid at `au`, 6 at least."""
    fins = c.fin[c.valide]
    dernier = int(fins.max()) - au if len(fins) else 0
    return int(min(max(HORIZON_MIN, dernier), HORIZON_MAX))


def rythme(h: Historique, rng: np.random.Generator, tirages: int = TIRAGES) -> np.ndarray:
    """(tirages,) the laureate's monthly pace of distribution: the mean of its last `MOIS_RYTHME` months,
    resampled with replacement (first draw: the months themselves)."""
    derniers = h.distribues[-MOIS_RYTHME:]
    if not len(derniers):
        return np.zeros(tirages)
    echantillons = rng.choice(derniers, size=(tirages, len(derniers)), replace=True)
    echantillons[0] = derniers
    return echantillons.mean(axis=1)


def aleas(recents: np.ndarray, nb_mois: int, rng: np.random.Generator, tirages: int = TIRAGES) -> np.ndarray:
    """(tirages × nb_mois) month-to-month variation of a flow: each future month of each draw takes one
    of the laureate's last `MOIS_RYTHME` months, relative to their mean (1 when they are all 0; the
    first draw: 1). What makes the interval of a month wider than that of the pace alone."""
    derniers = np.asarray(recents, dtype=float)[-MOIS_RYTHME:]
    moyenne = derniers.mean() if len(derniers) else 0.0
    if moyenne <= 0:
        return np.ones((tirages, nb_mois))
    facteurs = rng.choice(derniers / moyenne, size=(tirages, nb_mois), replace=True)
    facteurs[0] = 1.0
    return facteurs


def taux_propre(h: Historique, courbe: np.ndarray, au: int) -> np.ndarray:
    """(tirages,) the laureate's redemptions so far ÷ what the peers' curve expected of its cohorts,
    shrunk towards 1 by KAPPA expected passes."""
    if not len(h.mois):
        return np.ones(courbe.shape[0])
    delai = np.minimum(au - h.mois, courbe.shape[1] - 1)
    attendu = courbe[:, delai] @ h.distribues
    return np.clip((h.utilises.sum() + KAPPA) / (attendu + KAPPA), 0.05, 20.0)


def repartir(h: Historique, c: Commandes) -> tuple[np.ndarray, np.ndarray]:
    """(months of `h` × orders + 1) the passes of each month handed out from each order, and the stock
    of each order not handed out. First in, first out over the orders still valid in the month (an
    order's stock not handed out by its end of validity is never handed out); passes handed out beyond
    the orders go to the last column (no order: they never expire)."""
    nb = len(c.pass_commandes)
    stock = c.pass_commandes.astype(float).copy()
    parts = np.zeros((len(h.mois), nb + 1))
    for i, (m, d) in enumerate(zip(h.mois, h.distribues, strict=True)):
        reste = float(d)
        for j in range(nb):
            if reste <= 0:
                break
            if c.fin[j] < m or stock[j] <= 0:
                continue
            pris = min(reste, stock[j])
            stock[j] -= pris
            parts[i, j] += pris
            reste -= pris
        parts[i, nb] += reste
    return parts, stock


def simuler(
    h: Historique,
    c: Commandes,
    courbe: np.ndarray,
    amorti: np.ndarray,
    rythmes: np.ndarray,
    au: int,
    non_utilises: np.ndarray | None = None,
    nb_mois: int | None = None,
    alea_d: np.ndarray | None = None,
    alea_u: np.ndarray | None = None,
    profil: np.ndarray | None = None,
) -> Simulation:
    """Simulate the months au + 1 … au + nb_mois of one laureate for every draw (rows of `courbe`,
    `amorti`, `rythmes`). `non_utilises`: the passes of each month of `h` still unused (default:
    `cohortes_par_delai`); `alea_d`, `alea_u`: (draws × months) variations of the month's passes
    handed out and redeemed (`aleas`; default none); `profil`: (draws × MOIS_ECHEANCE) the pace kept
    j months before the end of validity of the order handed out from (`profil_echeance`; default: the
    full pace). Passes are numbered first in, first out over the orders; passes handed out beyond the
    orders belong to none (they never expire)."""
    b = courbe.shape[0]
    nb_mois = horizon(c, au) if nb_mois is None else nb_mois
    alea_d = np.ones((b, nb_mois)) if alea_d is None else alea_d
    alea_u = np.ones((b, nb_mois)) if alea_u is None else alea_u
    quantites = np.append(c.pass_commandes.astype(float), 0.0)
    fins = np.append(c.fin.astype(float), np.inf)
    valides = np.append(c.valide, False)
    nb_cmd = len(quantites)
    taux = taux_propre(h, courbe, au)  # (b,)
    increments = np.diff(courbe, axis=1, prepend=0.0)  # (b, K) share redeemed at delay k

    # Passes handed out so far and still unused, per month of distribution and order.
    if non_utilises is None:
        non_utilises = cohortes_par_delai(h, au, 1)[2]
    parts, reste_stock = repartir(h, c)
    with np.errstate(invalid="ignore", divide="ignore"):
        fraction = np.where(
            h.distribues[:, None] > 0, parts / np.where(h.distribues > 0, h.distribues, 1)[:, None], 0
        )
    # Cohort segments: size (distributed), still unused, month, order.
    seg_taille = (h.distribues[:, None] * fraction).ravel()
    seg_reste = np.broadcast_to((non_utilises[:, None] * fraction).ravel(), (b, len(seg_taille))).copy()
    seg_mois = np.repeat(h.mois, nb_cmd).astype(float)
    seg_cmd = np.tile(np.arange(nb_cmd), len(h.mois))
    garde = seg_reste[0] > 1e-9
    seg_taille, seg_reste, seg_mois, seg_cmd = (
        seg_taille[garde],
        seg_reste[:, garde],
        seg_mois[garde],
        seg_cmd[garde],
    )

    # The stock not yet handed out, per order, for every draw.
    stock = np.broadcast_to(np.append(reste_stock, 0.0), (b, nb_cmd)).copy()
    stock[:, ~valides] = 0.0
    stock_valide = float(stock[0].sum())
    expire_stock = np.zeros((b, nb_cmd))
    distribues = np.zeros((b, nb_mois))
    utilises = np.zeros((b, nb_mois))
    rupture = np.full(b, JAMAIS)
    # Future cohorts: (b, month, order) passes handed out and still unused.
    futur_taille = np.zeros((b, nb_mois, nb_cmd))
    futur_reste = np.zeros((b, nb_mois, nb_cmd))
    for i in range(nb_mois):
        m = au + 1 + i
        # Orders ended before this month: their stock expires unused.
        finies = fins < m
        expire_stock[:, finies] += stock[:, finies]
        stock[:, finies] = 0.0
        disponible = stock.sum(axis=1)
        voulu = rythmes * amorti ** (i + 1 + (MOIS_RYTHME - 1) / 2) * alea_d[:, i]
        if profil is not None:
            # The order handed out from first: the pace it keeps so close to its end of validity.
            premiere = np.argmax(stock > 1e-9, axis=1)
            ecart = (fins[premiere] - m).astype(float)
            proche = np.isfinite(ecart) & (ecart < MOIS_ECHEANCE) & (ecart >= 0)
            j = np.where(proche, ecart, 0).astype(np.int64)
            voulu = np.where(proche, voulu * profil[np.arange(b), j], voulu)
        donne = np.minimum(voulu, disponible)
        epuise = (disponible > 1e-9) & (voulu >= disponible) & np.isinf(rupture)
        rupture[epuise] = m
        # First in, first out over the orders' stock.
        avant = np.cumsum(stock, axis=1) - stock
        pris = np.clip(donne[:, None] - avant, 0, stock)
        stock -= pris
        distribues[:, i] = donne
        futur_taille[:, i, :] = pris
        futur_reste[:, i, :] = pris
        # Redemptions this month: past cohorts, then the future ones (this month's included).
        if len(seg_mois):
            delai = (m - seg_mois).astype(np.int64)
            inc = (taux * alea_u[:, i])[:, None] * seg_taille[None, :] * _a_delai(increments, delai)
            inc = np.where(fins[seg_cmd][None, :] >= m, np.minimum(inc, seg_reste), 0.0)
            seg_reste -= inc
            utilises[:, i] += inc.sum(axis=1)
        delai_f = i - np.arange(i + 1)
        inc_f = (
            (taux * alea_u[:, i])[:, None, None]
            * futur_taille[:, : i + 1, :]
            * _a_delai(increments, delai_f)[:, :, None]
        )
        inc_f = np.where(fins[None, None, :] >= m, np.minimum(inc_f, futur_reste[:, : i + 1, :]), 0.0)
        futur_reste[:, : i + 1, :] -= inc_f
        utilises[:, i] += inc_f.sum(axis=(1, 2))
    # What is still unused at the end: it expires (orders valid at `au` only, pseudo-order excluded).
    expirant = expire_stock + stock + futur_reste.sum(axis=1)
    if len(seg_mois):
        expirant += np.stack([np.bincount(seg_cmd, weights=r, minlength=nb_cmd) for r in seg_reste])
    expirant[:, ~valides] = 0.0
    return Simulation(distribues, utilises, expirant[:, :-1], rupture, stock_valide)


def _a_delai(increments: np.ndarray, delai: np.ndarray) -> np.ndarray:
    """(b, len(delai)) the increments of the curve at each delay (0 beyond the curve)."""
    dans = delai < increments.shape[1]
    resultat = np.zeros((increments.shape[0], len(delai)))
    resultat[:, dans] = increments[:, delai[dans]]
    return resultat


# --- Envelope --------------------------------------------------------------------------------------


def fin_enveloppe(
    montants_etat: np.ndarray, restante: float, au: int, rng: np.random.Generator, tirages: int = TIRAGES
) -> np.ndarray:
    """(tirages,) the month the State's subsidy left (`restante`, €) is spent by orders at the pace of
    the last `MOIS_COMMANDES` months (`montants_etat`: the State's share of each month's orders, oldest
    first, resampled with replacement); JAMAIS when nothing is ordered or nothing is left."""
    derniers = np.asarray(montants_etat, dtype=float)[-MOIS_COMMANDES:]
    if not len(derniers) or restante <= 0:
        return np.full(tirages, JAMAIS)
    echantillons = rng.choice(derniers, size=(tirages, len(derniers)), replace=True)
    echantillons[0] = derniers
    pas = echantillons.mean(axis=1)
    with np.errstate(divide="ignore"):
        mois = np.where(pas > 0, au + np.ceil(restante / np.where(pas > 0, pas, 1)), JAMAIS)
    return np.where(mois - au > HORIZON_MAX, JAMAIS, mois)


# --- Summaries -------------------------------------------------------------------------------------


def fourchette(tirages: np.ndarray, axe: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(bas, central, haut): the 10th, 50th and 90th percentiles of the draws."""
    bas, central, haut = np.quantile(tirages, QUANTILES, axis=axe)
    return bas, central, haut


def fourchette_mois(tirages: np.ndarray, axe: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The same for months (JAMAIS kept: a percentile that never comes stays JAMAIS)."""
    bas, central, haut = np.quantile(tirages, QUANTILES, axis=axe, method="inverted_cdf")
    return bas, central, haut
