"""The exact attribution of the laureates whose passes are numbered (dashboard.store.attribution keeps
first in, first out for the others).

A laureate is numbered when all its orders, distributions and redemptions carry pass numbers, and those
numbers hold together: each range as long as its line's passes, no pass ordered, distributed or redeemed
twice, every distributed or redeemed pass within its orders, and the lines adding up to the monthly
aggregates. The import refuses what breaks these rules; a laureate whose files mix lines with and
without numbers stays estimated as a whole.

For a numbered laureate every redeemed pass is tied to its order (wave, end of validity), to its
distribution (month, commune) and to its redemption (month): the waves of the passes handed out and
redeemed, the passes of each order handed out and redeemed, the expired ones (not redeemed by the end of
the order's validity), the passes handed out then redeemed and their delay are counts, not estimates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Engine, String, cast, select

from dashboard.domain.numeros import Intersections, Plages, chevauchements, cles, couverts, longueurs_par
from dashboard.domain.vocabulaire import VAGUES
from dashboard.store.schema import Distribution, Porteur, Utilisation

COLONNES_PAIRES = ("mois_utilisation", "vague", "nb_pass")


@dataclass(frozen=True)
class Evenements:
    """The numbered lines of one event table, and the laureates having lines without numbers."""

    lignes: pd.DataFrame  # siren, date, mois_indice, code_commune, nb_pass, premier_numero, dernier_numero
    sans_numeros: frozenset[str]


def lire_evenements(engine: Engine) -> dict[str, Evenements]:
    """Read once per data version by the attribution: the raw numbered lines (only they tie a pass to
    its order; ix_<table>_numerotees reads them without a scan), and who has lines without numbers."""
    resultat = {}
    with engine.connect() as connection:
        for nom, table in (("distributions", Distribution), ("utilisations", Utilisation)):
            lignes = pd.read_sql(
                select(
                    table.siren_porteur.label("siren"),
                    cast(table.date, String).label("date"),  # ISO text: read faster than dates
                    table.code_commune,
                    table.nb_pass,
                    table.premier_numero,
                    table.dernier_numero,
                ).where(table.premier_numero.is_not(None), table.dernier_numero.is_not(None)),
                connection,
            )
            # Per laureate, one seek (ix_<table>_porteur_date) to its first line without numbers: no scan.
            sans_numero = (
                select(table.id)
                .where(
                    table.siren_porteur == Porteur.siren,
                    table.premier_numero.is_(None) | table.dernier_numero.is_(None),
                )
                .exists()
            )
            sans = connection.scalars(select(Porteur.siren).where(sans_numero))
            jours = pd.to_datetime(lignes["date"], format="%Y-%m-%d")
            lignes = lignes.assign(
                date=jours.to_numpy("datetime64[D]"),
                mois_indice=(jours.dt.year * 12 + jours.dt.month - 1).astype("int64"),
            )
            resultat[nom] = Evenements(lignes, frozenset(sans))
    return resultat


@dataclass(frozen=True)
class Exacte:
    """What the attribution replaces for the numbered laureates: `numerotes` (per laureate position);
    per activity row, the columns of COLONNES_VAGUE and `utilises_parmi_distribues` (rows of numbered
    laureates only: `lignes`); per order, `distribues_parmi`, `utilises_parmi`, `utilises_avant_fin`
    (orders of numbered laureates only: `commandes`); the passes handed out then redeemed
    (`paires`: activity row of the distribution, mois_utilisation, vague, nb_pass)."""

    numerotes: np.ndarray
    lignes: np.ndarray
    activite: dict[str, np.ndarray]
    commandes: np.ndarray
    par_commande: dict[str, np.ndarray]
    paires: pd.DataFrame


def attribuer(
    nb_laureats: int,
    rang: dict[str, int],
    commandes: pd.DataFrame,
    pos_cmd: np.ndarray,
    act: pd.DataFrame,
    pos_act: np.ndarray,
    evenements: dict[str, Evenements],
) -> Exacte:
    """`commandes` and `act` as sorted by the attribution (positions `pos_cmd`, `pos_act`); commandes
    carries premier_numero, dernier_numero, vague and fin_validite."""
    d_lignes, u_lignes = (_positions(evenements[k].lignes, rang) for k in ("distributions", "utilisations"))
    numerotes = _numerotes(
        nb_laureats, rang, commandes, pos_cmd, act, pos_act, evenements, d_lignes, u_lignes
    )
    cmd = np.flatnonzero(numerotes[pos_cmd])
    d_lignes = d_lignes[numerotes[d_lignes["_pos"].to_numpy()]]
    u_lignes = u_lignes[numerotes[u_lignes["_pos"].to_numpy()]]
    lignes = np.flatnonzero(numerotes[pos_act])
    rangee_d = _rangees(d_lignes, act, pos_act)
    rangee_u = _rangees(u_lignes, act, pos_act)

    c = Plages.de(
        pos_cmd[cmd], commandes["premier_numero"].to_numpy()[cmd], commandes["dernier_numero"].to_numpy()[cmd]
    )
    d = Plages.de(d_lignes["_pos"], d_lignes["premier_numero"], d_lignes["dernier_numero"])
    u = Plages.de(u_lignes["_pos"], u_lignes["premier_numero"], u_lignes["dernier_numero"])
    inter = Intersections.calculer(c, d, u)
    vague_cmd = commandes["vague"].to_numpy()[cmd]
    fin = pd.to_datetime(commandes["fin_validite"]).to_numpy("datetime64[D]")[cmd]
    activite = _par_ligne(inter, vague_cmd, rangee_d, rangee_u, len(act))
    par_commande = _par_commande(inter, fin, u_lignes["date"].to_numpy("datetime64[D]"), len(cmd))
    parcours = inter.parcours
    paires = pd.DataFrame(
        {
            "ligne": rangee_d[parcours.distribution],
            "mois_utilisation": u_lignes["mois_indice"].to_numpy()[parcours.utilisation],
            "vague": vague_cmd[parcours.commande].astype(np.int64),
            "nb_pass": parcours.longueur.astype(float),
        }
    )
    paires = paires.groupby(["ligne", "mois_utilisation", "vague"], as_index=False)["nb_pass"].sum()
    return Exacte(numerotes, lignes, activite, cmd, par_commande, paires)


def _par_ligne(
    inter: Intersections, vague_cmd: np.ndarray, rangee_d: np.ndarray, rangee_u: np.ndarray, n: int
) -> dict[str, np.ndarray]:
    """Per activity row and wave: passes handed out, redeemed, handed out then redeemed."""
    distribues, utilises, parcours = inter.distribues, inter.utilises, inter.parcours
    activite = {}
    for v in VAGUES:
        de_v = vague_cmd[distribues.b] == v
        activite[f"pass_distribues_{v}"] = longueurs_par(
            rangee_d[distribues.a[de_v]], distribues.longueur[de_v], n
        )
        de_v = vague_cmd[utilises.b] == v
        activite[f"pass_utilises_{v}"] = longueurs_par(rangee_u[utilises.a[de_v]], utilises.longueur[de_v], n)
        de_v = vague_cmd[parcours.commande] == v
        activite[f"utilises_parmi_distribues_{v}"] = longueurs_par(
            rangee_d[parcours.distribution[de_v]], parcours.longueur[de_v], n
        )
    activite["utilises_parmi_distribues"] = longueurs_par(
        rangee_d[parcours.distribution], parcours.longueur, n
    )
    return activite


def _par_commande(inter: Intersections, fin: np.ndarray, jour_u: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """Per order: passes handed out, redeemed, redeemed by its end of validity (none without one)."""
    distribues, utilises = inter.distribues, inter.utilises
    avant_fin = jour_u[utilises.a] <= fin[utilises.b]  # NaT compares False
    return {
        "distribues_parmi": longueurs_par(distribues.b, distribues.longueur, n),
        "utilises_parmi": longueurs_par(utilises.b, utilises.longueur, n),
        "utilises_avant_fin": longueurs_par(utilises.b[avant_fin], utilises.longueur[avant_fin], n),
    }


def _positions(lignes: pd.DataFrame, rang: dict[str, int]) -> pd.DataFrame:
    lignes = lignes.assign(_pos=lignes["siren"].map(rang))
    lignes = lignes[lignes["_pos"].notna()]
    return lignes.assign(_pos=lignes["_pos"].astype(np.int64)).reset_index(drop=True)


def _rangees(lignes: pd.DataFrame, act: pd.DataFrame, pos_act: np.ndarray) -> np.ndarray:
    """The activity row (laureate, month, commune) of each event line, -1 when there is none."""
    cles_act = pd.MultiIndex.from_arrays(
        [pos_act, act["mois_indice"].to_numpy(), act["code_commune"].astype(str).to_numpy()]
    )
    cles_lignes = pd.MultiIndex.from_arrays(
        [
            lignes["_pos"].to_numpy(),
            lignes["mois_indice"].to_numpy(),
            lignes["code_commune"].astype(str).to_numpy(),
        ]
    )
    return cles_act.get_indexer(cles_lignes)


def _numerotes(
    nb_laureats: int,
    rang: dict[str, int],
    commandes: pd.DataFrame,
    pos_cmd: np.ndarray,
    act: pd.DataFrame,
    pos_act: np.ndarray,
    evenements: dict[str, Evenements],
    d_lignes: pd.DataFrame,
    u_lignes: pd.DataFrame,
) -> np.ndarray:
    """The laureates whose figures can be exact (see the module's docstring)."""
    ok = np.bincount(pos_cmd, minlength=nb_laureats) > 0
    premier = commandes["premier_numero"]
    dernier = commandes["dernier_numero"]
    sans = premier.isna() | dernier.isna()
    ok &= np.bincount(pos_cmd[sans.to_numpy()], minlength=nb_laureats) == 0
    for e in evenements.values():
        for siren in e.sans_numeros:
            if siren in rang:
                ok[rang[siren]] = False
    p = premier.fillna(0).to_numpy(dtype=np.int64)
    q = dernier.fillna(-1).to_numpy(dtype=np.int64)
    longueur_fausse = (q - p + 1) != commandes["pass_commandes"].to_numpy()
    ok &= np.bincount(pos_cmd[longueur_fausse & ~sans.to_numpy()], minlength=nb_laureats) == 0
    garde_c = ~sans.to_numpy()
    ok = _sans_chevauchement(ok, pos_cmd[garde_c], p[garde_c], q[garde_c])
    for lignes, colonne in ((d_lignes, "pass_distribues"), (u_lignes, "pass_utilises")):
        pos = lignes["_pos"].to_numpy()
        a, b = lignes["premier_numero"].to_numpy(np.int64), lignes["dernier_numero"].to_numpy(np.int64)
        nb = lignes["nb_pass"].to_numpy(np.int64)
        ok &= np.bincount(pos[(b - a + 1) != nb], minlength=nb_laureats) == 0
        ok = _sans_chevauchement(ok, pos, a, b)
        dedans = couverts(pos, a, b, pos_cmd[garde_c], p[garde_c], q[garde_c])
        ok &= np.bincount(pos[~dedans], minlength=nb_laureats) == 0
        # The lines add up to the monthly aggregates, row by row (laureate, month, commune).
        rangee = _rangees(lignes, act, pos_act)
        ok &= np.bincount(pos[rangee < 0], minlength=nb_laureats) == 0
        sommes = np.bincount(rangee[rangee >= 0], weights=nb[rangee >= 0].astype(float), minlength=len(act))
        ecart = sommes != act[colonne].to_numpy(float)
        ok &= np.bincount(pos_act[ecart], minlength=nb_laureats) == 0
    return ok


def _sans_chevauchement(
    ok: np.ndarray, pos: np.ndarray, premier: np.ndarray, dernier: np.ndarray
) -> np.ndarray:
    debut, fin = cles([pos, pos], [premier, dernier])
    autre = chevauchements(debut, fin)
    return ok & (np.bincount(pos[autre >= 0], minlength=len(ok)) == 0)


def expires(
    pass_commandes: np.ndarray, utilises_avant_fin: np.ndarray, fin: pd.Series, echeance: date
) -> np.ndarray:
    """Passes of each order not redeemed by its end of validity, once it is past; NaN when unknown."""
    fin = pd.to_datetime(fin)
    echue = (fin < pd.Timestamp(echeance)).to_numpy()
    return np.where(fin.isna().to_numpy(), np.nan, np.where(echue, pass_commandes - utilises_avant_fin, 0.0))
