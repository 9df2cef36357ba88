"""Every order, pass handed out and pass redeemed attributed to a wave, once per data version.

An order belongs to the wave its file says (the optional `vague` column of commandes), else to the
convention in force on its date (the laureate's latest convention signed on or before it; an order older
than every convention belongs to the first). Passes handed out and redeemed
follow their orders first in, first out (dashboard.domain.fifo): with the laureate's two conventions, its
first 2019 passes are handed out before its 2020 ones. So the waves partition every count: wave 2019 +
wave 2020 = all waves, for every flow and stock.

The same numbering gives the cohorts the rates need, so that a rate never divides a flow by a stock of
another period: the passes of an order later handed out or redeemed, the passes handed out in a month
later redeemed, the passes of an order that expired unused.

For the laureates whose files carry pass numbers on every line (dashboard.store.numeros), the numbers
replace first in, first out: the same columns, exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from dashboard.domain.fifo import Numerotation, departs, parmi
from dashboard.domain.mois import indice_mois, indices_mois
from dashboard.domain.vocabulaire import VAGUES
from dashboard.store import metadonnees, numeros
from dashboard.store.donnees import agregats, programme
from dashboard.store.memoire import memoiser
from dashboard.store.schema import Commande

# Per wave v, the activity table gains these columns, named f"{colonne}_{v}".
COLONNES_VAGUE = ("pass_distribues", "pass_utilises", "utilises_parmi_distribues")


@dataclass(frozen=True)
class Attribution:
    """commandes: one row per order (siren_porteur, vague, mois_indice, fin_indice — NaN when the end of
    validity is unknown —, pass_commandes, distribues_parmi, utilises_parmi, pass_expires — NaN when
    unknown); activite: the monthly activity with, per wave, its passes handed out and redeemed and the
    passes handed out that were later redeemed (`utilises_parmi_distribues`); structures: the structure
    rows with `en_<vague>` true when their laureate's month has passes of that wave for their role;
    incoherents: the laureates whose files report more passes redeemed than handed out, or handed out
    than ordered; numerotes: the laureates whose passes are numbered (their figures are exact, not
    estimated); paires: their passes handed out then redeemed (the columns of the activity row of the
    distribution — siren_porteur, codes, mois_indice —, mois_utilisation, vague, nb_pass); exacts: the
    laureates with no estimated figure (numbered, or no pass handed out nor redeemed)."""

    commandes: pd.DataFrame
    activite: pd.DataFrame
    structures: pd.DataFrame
    incoherents: frozenset[str]
    numerotes: frozenset[str] = frozenset()
    paires: pd.DataFrame | None = None
    exacts: frozenset[str] = frozenset()


def attribution(engine: Engine) -> Attribution:
    """Computed once per data version. Shared, read-only."""
    return memoiser(engine, _attribuer, partage=True)


def colonne(table: pd.DataFrame, nom: str, vagues: tuple[int, ...]) -> np.ndarray:
    """The column `nom` restricted to the waves `vagues` (all of them when empty)."""
    if not vagues:
        return table[nom].to_numpy(dtype=float)
    return sum(table[f"{nom}_{v}"].to_numpy(dtype=float) for v in vagues)


def _lire_commandes(engine: Engine) -> tuple[pd.DataFrame, date]:
    """Every order (its passes, end of validity and explicit wave), and the data date."""
    with engine.connect() as connection:
        commandes = pd.read_sql(
            select(
                Commande.id,
                Commande.siren_porteur.label("siren"),
                Commande.date_commande,
                (Commande.nb_carnets * Commande.pass_par_carnet).label("pass_commandes"),
                Commande.fin_validite,
                Commande.vague.label("vague_explicite"),
                Commande.premier_numero,
                Commande.dernier_numero,
            ),
            connection,
            dtype={"premier_numero": "Int64", "dernier_numero": "Int64"},
        )
        echeance = metadonnees.date_donnees(connection) or date.today()
    return commandes, echeance


def vague_en_vigueur(conventions: pd.DataFrame, commandes: pd.DataFrame) -> pd.Series:
    """The wave of each order (index of `commandes`): the latest convention of its laureate signed on or
    before the order date (a convention without date counts from January 1st of its wave), else the
    laureate's first convention."""
    effet = pd.to_datetime(conventions["date_convention"]).fillna(
        pd.to_datetime(conventions["vague"].astype(str) + "-01-01")
    )
    if commandes.empty:
        return pd.Series(dtype=float, index=commandes.index)
    conv = conventions.assign(effet=effet, siren=conventions["siren"].astype(object))
    conv = conv.sort_values(["effet", "vague"])[["siren", "effet", "vague"]]
    cmd = commandes.assign(
        date=pd.to_datetime(commandes["date_commande"]),
        _i=commandes.index,
        siren=commandes["siren"].astype(object),
    )
    jointure = pd.merge_asof(
        cmd.sort_values("date")[["_i", "siren", "date"]], conv, left_on="date", right_on="effet", by="siren"
    )
    premiere = conv.groupby("siren")["vague"].first()
    vague = jointure["vague"].fillna(jointure["siren"].map(premiere))
    return pd.Series(vague.to_numpy(), index=jointure["_i"].to_numpy()).reindex(commandes.index)


def _attribuer(engine: Engine) -> Attribution:
    commandes, echeance = _lire_commandes(engine)
    conventions = programme(engine).conventions
    activite, structures = agregats(engine)
    sirens = sorted(set(conventions["siren"]))
    rang = {s: i for i, s in enumerate(sirens)}

    # The file's `vague` column when given, else the convention in force on the order date.
    explicite = pd.to_numeric(commandes.pop("vague_explicite"), errors="coerce")
    commandes = commandes.assign(vague=explicite.fillna(vague_en_vigueur(conventions, commandes)))
    commandes = commandes[commandes["siren"].isin(rang)].sort_values(["siren", "date_commande", "id"])
    pos_cmd = commandes["siren"].map(rang).to_numpy(dtype=np.int64)
    quantite = commandes["pass_commandes"].to_numpy(dtype=float)

    act = activite.assign(_pos=activite["siren_porteur"].astype(str).map(rang))
    act = act[act["_pos"].notna()].sort_values(["_pos", "mois_indice", "code_commune"], ignore_index=True)
    pos_act = act["_pos"].to_numpy(dtype=np.int64)
    distribues = act["pass_distribues"].to_numpy(dtype=float)
    utilises = act["pass_utilises"].to_numpy(dtype=float)
    total_d = np.bincount(pos_act, weights=distribues, minlength=len(sirens))
    total_u = np.bincount(pos_act, weights=utilises, minlength=len(sirens))
    total_c = np.bincount(pos_cmd, weights=quantite, minlength=len(sirens))

    numerotation = Numerotation(
        VAGUES,
        len(sirens),
        pos_cmd,
        quantite,
        commandes["vague"].to_numpy(),
        _debordement(sirens, conventions, commandes),
    )
    colonnes = _par_vague(numerotation, pos_act, distribues, utilises, total_u)
    act = act.drop(columns="_pos").assign(**colonnes)

    depart = numerotation.depart_commandes
    distribues_parmi = parmi(depart, quantite, total_d[pos_cmd])
    utilises_parmi = parmi(depart, quantite, total_u[pos_cmd])
    utilises_avant_fin = utilises_parmi.copy()  # first in, first out: the first ones, before the end
    exacte = numeros.attribuer(
        len(sirens), rang, commandes, pos_cmd, act, pos_act, numeros.lire_evenements(engine)
    )
    for nom, valeurs in exacte.activite.items():
        act.loc[exacte.lignes, nom] = valeurs[exacte.lignes]
    distribues_parmi[exacte.commandes] = exacte.par_commande["distribues_parmi"]
    utilises_parmi[exacte.commandes] = exacte.par_commande["utilises_parmi"]
    utilises_avant_fin[exacte.commandes] = exacte.par_commande["utilises_avant_fin"]
    fin = pd.to_datetime(commandes["fin_validite"])
    table_commandes = pd.DataFrame(
        {
            "siren_porteur": pd.Categorical(commandes["siren"]),
            "vague": commandes["vague"].to_numpy(dtype=np.int64),
            "mois_indice": indices_mois(commandes["date_commande"]).to_numpy(),
            "fin_indice": np.where(fin.isna(), np.nan, fin.dt.year * 12 + fin.dt.month - 1),
            "pass_commandes": quantite,
            "distribues_parmi": distribues_parmi,
            "utilises_parmi": utilises_parmi,
            "pass_expires": numeros.expires(
                quantite, utilises_avant_fin, commandes["fin_validite"], echeance
            ),
        }
    )
    incoherents = frozenset(np.asarray(sirens)[(total_u > total_d) | (total_d > total_c)].tolist())
    numerotes = np.asarray(sirens, dtype=object)[exacte.numerotes]
    sans_activite = np.asarray(sirens, dtype=object)[(total_d == 0) & (total_u == 0)]
    return Attribution(
        table_commandes,
        act,
        _structures_par_vague(structures, act),
        incoherents,
        frozenset(numerotes.tolist()),
        _paires(act, exacte.paires),
        frozenset(numerotes.tolist()) | frozenset(sans_activite.tolist()),
    )


def _paires(act: pd.DataFrame, paires: pd.DataFrame) -> pd.DataFrame:
    """The passes handed out then redeemed, with the columns of their distribution's activity row."""
    colonnes = [
        "siren_porteur",
        "code_commune",
        "code_region",
        "code_departement",
        "code_epci",
        "mois_indice",
    ]
    lignes = act[colonnes].iloc[paires["ligne"].to_numpy()].reset_index(drop=True)
    return lignes.assign(**{c: paires[c].to_numpy() for c in numeros.COLONNES_PAIRES})


def _debordement(sirens: list[str], conventions: pd.DataFrame, commandes: pd.DataFrame) -> np.ndarray:
    """The wave of the passes beyond each laureate's last order: its last order's, else its latest
    convention's."""
    derniere_commande = commandes.groupby("siren")["vague"].last()
    derniere_convention = conventions.groupby("siren")["vague"].max()
    vague = pd.Series(sirens).map(derniere_commande).fillna(pd.Series(sirens).map(derniere_convention))
    return vague.to_numpy(dtype=np.int64)


def _par_vague(
    numerotation: Numerotation,
    pos: np.ndarray,
    distribues: np.ndarray,
    utilises: np.ndarray,
    total_u: np.ndarray,
) -> dict[str, np.ndarray]:
    """Per wave: passes handed out, redeemed, and handed out then redeemed, of each activity row."""
    debut_d = departs(pos, distribues)
    debut_u = departs(pos, utilises)
    tous_utilises = total_u[pos]  # the laureate's passes redeemed so far: the first ones handed out
    d = numerotation.compter(pos, debut_d, debut_d + distribues)
    u = numerotation.compter(pos, debut_u, debut_u + utilises)
    fin_d = debut_d + distribues
    c = numerotation.compter(pos, np.minimum(debut_d, tous_utilises), np.minimum(fin_d, tous_utilises))
    colonnes = {"utilises_parmi_distribues": parmi(debut_d, distribues, tous_utilises)}
    for v in numerotation.vagues:
        colonnes |= {
            f"pass_distribues_{v}": d[v],
            f"pass_utilises_{v}": u[v],
            f"utilises_parmi_distribues_{v}": c[v],
        }
    return colonnes


def _structures_par_vague(structures: pd.DataFrame, activite: pd.DataFrame) -> pd.DataFrame:
    """`en_<vague>` on each structure row: its laureate's month has passes of that wave for its role."""
    cles = ["siren_porteur", "mois_indice"]
    sommes = activite.groupby(cles, observed=True)[
        [f"pass_{r}_{v}" for r in ("distribues", "utilises") for v in VAGUES]
    ].sum()
    jointure = structures[cles].merge(sommes, left_on=cles, right_index=True, how="left").fillna(0)
    distributeur = (structures["role"] == "distributeur").to_numpy()
    en = {
        f"en_{v}": np.where(distributeur, jointure[f"pass_distribues_{v}"], jointure[f"pass_utilises_{v}"])
        > 0
        for v in VAGUES
    }
    return structures.assign(**en)


def dans_periode(table: pd.DataFrame, indice: str, debut: date | None, fin: date | None) -> np.ndarray:
    """Rows of a table whose month column `indice` lies in [debut, fin] (an open bound is None)."""
    mois = table[indice].to_numpy(dtype=float)
    garde = ~np.isnan(mois)
    if debut is not None:
        garde &= mois >= indice_mois(debut)
    if fin is not None:
        garde &= mois <= indice_mois(fin)
    return garde
