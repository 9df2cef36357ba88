"""Forecasts after the data date (dashboard.domain.prevision), per laureate, for a set of laureates (a
territory's) and nationally: computed once per data version and date `au`.

`au` (a date, None: the data date) hides everything after it: months after its month, orders after it.
Every figure here is an estimate (column `estime`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from dashboard.domain import prevision as modele
from dashboard.domain.mois import indice_mois, indices_mois, mois_de_indice
from dashboard.store import metadonnees
from dashboard.store.attribution import vague_en_vigueur
from dashboard.store.donnees import agregats, programme
from dashboard.store.memoire import memoiser
from dashboard.store.schema import Commande

PART_ETAT_2020 = 0.5
K_MAX = 60  # delays of the cohort curves, in months
MIN_PAIRS = 3  # fewer peers with passes handed out: the laureates of the same wave, then all

COLONNES_PORTEURS = [
    "siren",
    "pass_expirant_prevus",
    "pass_expirant_bas",
    "pass_expirant_haut",
    "etat_risque_eur",
    "etat_risque_bas_eur",
    "etat_risque_haut_eur",
    "mois_rupture_stock",
    "mois_rupture_stock_bas",
    "mois_rupture_stock_haut",
    "mois_fin_enveloppe",
    "mois_fin_enveloppe_bas",
    "mois_fin_enveloppe_haut",
    "stock_valide",
    "restante_eur",
    "estime",
]
COLONNES_PROJECTION = [
    "mois",
    "distribues_prevus",
    "distribues_bas",
    "distribues_haut",
    "utilises_prevus",
    "utilises_bas",
    "utilises_haut",
]


@dataclass(frozen=True)
class Previsions:
    """Per laureate (`sirens`, same order): its simulation, the State's money at risk per draw, the
    State's share of each month's orders (for the envelope) and its subsidy committed; `au` the month."""

    au: int
    au_jour: date
    sirens: tuple[str, ...]
    simulations: dict
    risque: dict
    montants_etat: dict
    subvention: dict
    part_etat: dict


def date_reference(engine: Engine, au: date | None) -> date:
    """`au`, or the data date (else today)."""
    if au is not None:
        return au
    return metadonnees.etat_donnees(engine).date_donnees or date.today()


def _lire_commandes(engine: Engine, au: date) -> pd.DataFrame:
    with engine.connect() as connection:
        commandes = pd.read_sql(
            select(
                Commande.id,
                Commande.siren_porteur.label("siren"),
                Commande.date_commande,
                (Commande.nb_carnets * Commande.pass_par_carnet).label("pass_commandes"),
                Commande.valeur_faciale_eur,
                Commande.fin_validite,
                Commande.vague.label("vague_explicite"),
            ).where(Commande.date_commande <= au),
            connection,
        )
    commandes["valeur_faciale_eur"] = commandes["valeur_faciale_eur"].astype(float)
    return commandes


def parts_etat(conventions: pd.DataFrame) -> pd.Series:
    """The State's share per (siren, vague): 50 % in 2020, the subsidy ÷ the budget in 2019."""
    budget = conventions["budget_total_eur"].astype(float)
    part = np.where(
        conventions["vague"] == 2020,
        PART_ETAT_2020,
        np.where(budget > 0, conventions["subvention_etat_engagee_eur"] / budget.where(budget > 0, 1), 0.0),
    )
    return pd.Series(part, index=pd.MultiIndex.from_frame(conventions[["siren", "vague"]]))


def commandes_datees(engine: Engine, au: date) -> pd.DataFrame:
    """The orders up to `au`, with their wave, end of validity (the order's, else December 31 of the
    year after it), State's share and amount."""
    conventions = programme(engine).conventions
    commandes = _lire_commandes(engine, au)
    commandes = commandes[commandes["siren"].isin(set(conventions["siren"]))]
    explicite = pd.to_numeric(commandes.pop("vague_explicite"), errors="coerce")
    commandes = commandes.assign(vague=explicite.fillna(vague_en_vigueur(conventions, commandes)))
    jour = pd.to_datetime(commandes["date_commande"])
    defaut = pd.to_datetime((jour.dt.year + 1).astype(str) + "-12-31")
    fin = pd.to_datetime(commandes["fin_validite"]).fillna(defaut)
    parts = parts_etat(conventions).groupby(level=[0, 1]).first()
    cles = pd.MultiIndex.from_arrays([commandes["siren"], commandes["vague"].astype(int)])
    part = parts.reindex(cles).fillna(PART_ETAT_2020).to_numpy()
    return commandes.assign(
        fin=fin,
        fin_indice=indices_mois(fin).to_numpy(),
        valide=(fin > pd.Timestamp(au)).to_numpy(),
        part_etat=part,
        montant_etat=commandes["pass_commandes"] * commandes["valeur_faciale_eur"] * part,
        mois_indice=indices_mois(jour).to_numpy(),
    ).sort_values(["siren", "date_commande", "id"])


def restante_simple(engine: Engine, au: date | None = None) -> pd.Series:
    """The State's subsidy left per siren at `au`: the remaining subsidy of its conventions
    (dashboard.store.enveloppes: committed − the State's share of the passes ordered, never below 0)."""
    from dashboard.store.enveloppes import enveloppes_porteurs

    table = enveloppes_porteurs(engine, date_reference(engine, au))
    if table.empty:
        return pd.Series(dtype=float, name="restante_eur")
    return table.set_index("siren")["restante_eur"].astype(float).rename("restante_eur")


def _groupes(conventions: pd.DataFrame) -> pd.DataFrame:
    """siren, type, vague (the latest wave of the laureate): what makes peers comparable."""
    return (
        conventions.sort_values("vague")
        .groupby("siren", as_index=False)
        .agg(type=("type", "last"), vague=("vague", "last"))
    )


def _simuler(engine: Engine, au_jour: date) -> Previsions:
    au = indice_mois(au_jour)
    conventions = programme(engine).conventions
    groupes = _groupes(conventions)
    sirens = groupes["siren"].tolist()
    activite, _ = agregats(engine)
    lignes = activite[activite["mois_indice"] <= au]
    mensuel = (
        lignes.groupby([lignes["siren_porteur"].astype(str), "mois_indice"])[
            ["pass_distribues", "pass_utilises"]
        ]
        .sum()
        .reset_index()
    )
    par_siren = dict(tuple(mensuel.groupby("siren_porteur")))
    histos, cohortes_k = {}, {}
    for siren in sirens:
        m = par_siren.get(siren)
        if m is None:
            h = modele.historique([], [], [], au)
        else:
            h = modele.historique(m["mois_indice"], m["pass_distribues"], m["pass_utilises"], au)
        histos[siren] = h
        cohortes_k[siren] = modele.cohortes_par_delai(h, au, K_MAX)
    commandes = commandes_datees(engine, au_jour)
    cmd_par_siren = dict(tuple(commandes.groupby("siren")))
    rng = np.random.default_rng(modele.GRAINE)
    simulations, risque, montants = {}, {}, {}
    engagee = conventions.groupby("siren")["subvention_etat_engagee_eur"].sum()
    # Peers: same type and wave, with passes handed out; else same wave; else everyone.
    actifs = {s for s in sirens if histos[s].distribues.sum() > 0}
    for (_, vague), groupe in groupes.groupby(["type", "vague"]):
        pairs = [s for s in groupe["siren"] if s in actifs]
        if len(pairs) < MIN_PAIRS:
            pairs = [s for s in groupes.loc[groupes["vague"] == vague, "siren"] if s in actifs]
        if len(pairs) < MIN_PAIRS:
            pairs = sorted(actifs)
        poids = modele.tirages_pairs(max(len(pairs), 1), rng)
        if pairs:
            u_k = np.stack([cohortes_k[s][0] for s in pairs])
            d_k = np.stack([cohortes_k[s][1] for s in pairs])
            echeances = [
                modele.avant_echeance(histos[s], _commandes(cmd_par_siren.get(s)), au) for s in pairs
            ]
            proches = np.stack([e[0] for e in echeances])
            references = np.array([e[1] for e in echeances])
            recents = np.array([_somme_mois(histos[s], au, 0) for s in pairs])
            anciens = np.array([_somme_mois(histos[s], au, modele.MOIS_TENDANCE) for s in pairs])
        else:
            u_k = d_k = np.zeros((1, K_MAX))
            recents = anciens = np.zeros(1)
            proches, references = np.zeros((1, modele.MOIS_ECHEANCE)), np.zeros(1)
        courbe = modele.courbe_pairs(u_k, d_k, poids)
        amorti = modele.amortissement_pairs(recents, anciens, poids)
        profil = modele.profil_echeance(proches, references, poids)
        for siren in groupe["siren"]:
            h = histos[siren]
            c = cmd_par_siren.get(siren)
            cmd = _commandes(c)
            nb_mois = modele.horizon(cmd, au)
            sim = modele.simuler(
                h,
                cmd,
                courbe,
                amorti,
                modele.rythme(h, rng),
                au,
                cohortes_k[siren][2],
                nb_mois,
                modele.aleas(h.distribues, nb_mois, rng),
                modele.aleas(h.utilises, nb_mois, rng),
                profil,
            )
            simulations[siren] = sim
            valeur = cmd.valeur_faciale * cmd.part_etat
            risque[siren] = np.minimum(sim.expirant_par_commande @ valeur, float(engagee.get(siren, 0.0)))
            montants[siren] = _montants_mensuels(c, au)
    parts = parts_etat(conventions)
    part_etat = {s: float(parts.loc[s].iloc[-1]) for s in sirens}
    return Previsions(au, au_jour, tuple(sirens), simulations, risque, montants, engagee.to_dict(), part_etat)


def _somme_mois(h: modele.Historique, au: int, decalage: int) -> float:
    """Passes handed out in the `MOIS_TENDANCE` months ending `decalage` months before `au`."""
    fin = au - decalage
    garde = (h.mois <= fin) & (h.mois > fin - modele.MOIS_TENDANCE)
    return float(h.distribues[garde].sum())


def _commandes(c: pd.DataFrame | None) -> modele.Commandes:
    if c is None or c.empty:
        vide = np.array([])
        return modele.Commandes(vide, vide, np.array([], dtype=bool), vide, vide)
    return modele.Commandes(
        c["pass_commandes"].to_numpy(dtype=float),
        c["fin_indice"].to_numpy(dtype=float),
        c["valide"].to_numpy(dtype=bool),
        c["valeur_faciale_eur"].to_numpy(dtype=float),
        c["part_etat"].to_numpy(dtype=float),
    )


def _montants_mensuels(c: pd.DataFrame | None, au: int) -> np.ndarray:
    """The State's share of the orders of each of the last `MOIS_COMMANDES` months (zeros included)."""
    debut = au - modele.MOIS_COMMANDES + 1
    montants = np.zeros(modele.MOIS_COMMANDES)
    if c is None or c.empty:
        return montants
    garde = (c["mois_indice"] >= debut).to_numpy()
    np.add.at(montants, c["mois_indice"].to_numpy()[garde] - debut, c["montant_etat"].to_numpy()[garde])
    return montants


def previsions(engine: Engine, au: date | None = None) -> Previsions:
    """The simulations of every laureate at `au`. Shared, read-only."""
    return memoiser(engine, _simuler, date_reference(engine, au), partage=True)


def _en_mois(valeur: float) -> pd.Timestamp:
    return pd.NaT if not np.isfinite(valeur) else pd.Timestamp(mois_de_indice(int(valeur)))


def prevision_porteurs(
    engine: Engine, au: date | None = None, restante_par_siren: pd.Series | None = None
) -> pd.DataFrame:
    """One row per laureate (COLONNES_PORTEURS): passes expiring unused (forecast, low, high), the
    State's money at risk (€), the month the stock runs out and the month the envelope is spent (first
    day of the month; NaT: not within the horizon), the valid stock not yet handed out at `au`, the
    subsidy left; every figure estimated. `restante_par_siren`: the subsidy left per siren (default:
    `restante_simple`, and the table is memoised)."""
    if restante_par_siren is None:
        return memoiser(engine, _porteurs_memo, date_reference(engine, au))
    return _porteurs(engine, au, restante_par_siren)


def _porteurs_memo(engine: Engine, au: date) -> pd.DataFrame:
    return _porteurs(engine, au, restante_simple(engine, au))


def _porteurs(engine: Engine, au: date | None, restante: pd.Series) -> pd.DataFrame:
    p = previsions(engine, au)
    rng = np.random.default_rng(modele.GRAINE + 1)
    lignes = []
    for siren in p.sirens:
        sim = p.simulations[siren]
        e_bas, e_mil, e_haut = modele.fourchette(sim.expirant)
        r_bas, r_mil, r_haut = modele.fourchette(p.risque[siren])
        s_bas, s_mil, s_haut = modele.fourchette_mois(sim.rupture)
        reste = float(restante.get(siren, 0.0)) if len(restante) else 0.0
        env = modele.fin_enveloppe(p.montants_etat[siren], reste, p.au, rng)
        v_bas, v_mil, v_haut = modele.fourchette_mois(env)
        lignes.append(
            {
                "siren": siren,
                "pass_expirant_prevus": e_mil,
                "pass_expirant_bas": e_bas,
                "pass_expirant_haut": e_haut,
                "etat_risque_eur": r_mil,
                "etat_risque_bas_eur": r_bas,
                "etat_risque_haut_eur": r_haut,
                "mois_rupture_stock": _en_mois(s_mil),
                "mois_rupture_stock_bas": _en_mois(s_bas),
                "mois_rupture_stock_haut": _en_mois(s_haut),
                "mois_fin_enveloppe": _en_mois(v_mil),
                "mois_fin_enveloppe_bas": _en_mois(v_bas),
                "mois_fin_enveloppe_haut": _en_mois(v_haut),
                "stock_valide": sim.stock_valide,
                "restante_eur": reste,
                "estime": True,
            }
        )
    table = pd.DataFrame(lignes, columns=COLONNES_PORTEURS)
    for colonne in COLONNES_PORTEURS:
        if colonne.startswith("mois_"):
            table[colonne] = pd.to_datetime(table[colonne])
    return table


def _projeter(engine: Engine, sirens: tuple[str, ...], au_jour: date) -> pd.DataFrame:
    p = previsions(engine, au_jour)
    choisis = [p.simulations[s] for s in sirens if s in p.simulations]
    nb_mois = max((s.distribues.shape[1] for s in choisis), default=modele.HORIZON_MIN)
    distribues = np.zeros((modele.TIRAGES, nb_mois))
    utilises = np.zeros((modele.TIRAGES, nb_mois))
    for sim in choisis:
        n = sim.distribues.shape[1]
        distribues[:, :n] += sim.distribues
        utilises[:, :n] += sim.utilises
    d_bas, d_mil, d_haut = modele.fourchette(distribues)
    u_bas, u_mil, u_haut = modele.fourchette(utilises)
    mois = [pd.Timestamp(mois_de_indice(p.au + 1 + i)) for i in range(nb_mois)]
    return pd.DataFrame(
        dict(
            zip(
                COLONNES_PROJECTION,
                [mois, d_mil, d_bas, d_haut, u_mil, u_bas, u_haut],
                strict=True,
            )
        )
    )


def projection_mensuelle(engine: Engine, sirens, au: date | None = None) -> pd.DataFrame:
    """The months after `au` (COLONNES_PROJECTION): passes handed out and redeemed forecast for the
    laureates `sirens` together (a laureate, a territory's laureates, all of them), with the 80 %
    interval of their sum."""
    cle = tuple(sorted({str(s) for s in sirens}))
    return memoiser(engine, _projeter, cle, date_reference(engine, au))


def projection_nationale(engine: Engine, au: date | None = None) -> pd.DataFrame:
    """`projection_mensuelle` of every laureate."""
    return projection_mensuelle(engine, previsions(engine, au).sirens, au)


def resume(
    engine: Engine, sirens, au: date | None = None, restante_par_siren: pd.Series | None = None
) -> dict:
    """The forecasts of the laureates `sirens` together, summed draw by draw (so that the interval is
    that of the sum): pass_expirant, etat_risque_eur as (bas, central, haut); the months (first day;
    NaT: not within the horizon) when the last of them runs out of stock and spends its envelope,
    as (bas, central, haut); stock_valide; au (the date)."""
    p = previsions(engine, au)
    choisis = [s for s in {str(s) for s in sirens} if s in p.simulations]
    restante = restante_par_siren if restante_par_siren is not None else restante_simple(engine, p.au_jour)
    rng = np.random.default_rng(modele.GRAINE + 2)
    expirant = np.zeros(modele.TIRAGES)
    risque = np.zeros(modele.TIRAGES)
    rupture = np.full(modele.TIRAGES, -np.inf)
    enveloppe = np.full(modele.TIRAGES, -np.inf)
    stock = 0.0
    for siren in sorted(choisis):
        sim = p.simulations[siren]
        expirant += sim.expirant
        risque += p.risque[siren]
        stock += sim.stock_valide
        if sim.stock_valide > 0:
            rupture = np.maximum(rupture, sim.rupture)
        reste = float(restante.get(siren, 0.0)) if len(restante) else 0.0
        if reste > 0:
            enveloppe = np.maximum(enveloppe, modele.fin_enveloppe(p.montants_etat[siren], reste, p.au, rng))
    rupture[np.isneginf(rupture)] = modele.JAMAIS
    enveloppe[np.isneginf(enveloppe)] = modele.JAMAIS
    return {
        "au": p.au_jour,
        "nb_laureats": len(choisis),
        "stock_valide": stock,
        "pass_expirant": tuple(float(v) for v in modele.fourchette(expirant)),
        "etat_risque_eur": tuple(float(v) for v in modele.fourchette(risque)),
        "mois_rupture_stock": tuple(_en_mois(v) for v in modele.fourchette_mois(rupture)),
        "mois_fin_enveloppe": tuple(_en_mois(v) for v in modele.fourchette_mois(enveloppe)),
    }


def activite_recente(
    engine: Engine, sirens, au: date | None = None, nb_mois: int = 12
) -> tuple[float, float]:
    """(passes handed out, redeemed) by the laureates `sirens` in the `nb_mois` months up to `au`."""
    m = indice_mois(date_reference(engine, au))
    activite, _ = agregats(engine)
    garde = (activite["mois_indice"] <= m) & (activite["mois_indice"] > m - nb_mois)
    garde &= activite["siren_porteur"].astype(str).isin({str(s) for s in sirens})
    lignes = activite[garde.to_numpy()]
    return float(lignes["pass_distribues"].sum()), float(lignes["pass_utilises"].sum())
