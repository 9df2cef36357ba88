"""The demo dataset: `generer(scale, seed, dossier, territoires)` writes the six import files.

Same (scale, seed) → byte-identical files. `small` = the 48 laureates of 2019 and 12 of 2020, events
aggregated by month; `national` = 150+ laureates, one line per carnet handed out and per place × day;
`x10` = the same laureates as `national` with ten times its activity (budgets, orders, networks and
events × 10, same dates and waves), for load and scale tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.demo import ecriture, remboursement
from dashboard.demo.activite import simuler
from dashboard.demo.commandes import commandes
from dashboard.demo.laureats import FIN_DONNEES_OBSOLETES, OBSOLETE, SANS_VERSEMENT, conventions
from dashboard.demo.lieux import liste_des_lieux
from dashboard.demo.references import PUBLICS, VALEUR_FACIALE, Entrees, lire_entrees
from dashboard.demo.reseau import LIEUX, STRUCTURES, Catalogue, reseau
from dashboard.domain.progression import Progression

# Passes ordered per distributing structure / per mediation place drawn for a laureate.
PASS_PAR_ETABLISSEMENT = {"small": (2_500, 3_000), "national": (450, 700), "x10": (450, 700)}
# A scale that amplifies another one: (the scale whose laureates it keeps, factor of their activity).
AMPLIFICATIONS = {"x10": ("national", 10)}


@dataclass(frozen=True)
class JeuDemo:
    """The tables, typed (dates as days since 1970-01-01), before French formatting; the list of places
    is already text (the standard's cells)."""

    scale: str
    seed: int
    conventions: pd.DataFrame
    commandes: pd.DataFrame
    distributions: pd.DataFrame
    utilisations: pd.DataFrame
    structures: pd.DataFrame  # siret, nom, code_commune by catalogue id
    lieux: pd.DataFrame
    syndicats: pd.DataFrame
    liste_lieux: pd.DataFrame  # lieux.csv, the lieux de médiation numérique (standard v0.2)


def lire_territoires(geo_dir: Path) -> pd.DataFrame:
    """data/geo/territoires.csv as strings (codes keep their leading zeros)."""
    return pd.read_csv(Path(geo_dir) / "territoires.csv", dtype=str, keep_default_na=False)


def amplifier(conv: pd.DataFrame, facteur: int) -> pd.DataFrame:
    """The same conventions with `facteur` times the activity: budget, subsidy, passes planned and the
    carnets of the published orders multiplied (dates, waves, carnet sizes and rates unchanged), so that
    orders, networks and events grow by that factor and every amount stays consistent with the passes."""
    if facteur == 1:
        return conv
    return conv.assign(
        budget=conv["budget"] * facteur,
        subvention=conv["subvention"] * facteur,
        pass_prevus=conv["pass_prevus"] * facteur,
        commandes=[None if c is None else [(d, n * facteur, t) for d, n, t in c] for c in conv["commandes"]],
    )


def conventions_echelle(entrees: Entrees, seed: int, scale: str) -> pd.DataFrame:
    """The conventions of a scale (an amplified scale: those of its base scale, amplified)."""
    base, facteur = AMPLIFICATIONS.get(scale, (scale, 1))
    return amplifier(conventions(entrees, seed, base), facteur)


def _commandes(conv: pd.DataFrame, seed: int) -> pd.DataFrame:
    cmd = commandes(conv, seed)
    obsoletes = conv.index[conv["anomalie"] == OBSOLETE]
    return cmd[~(cmd["convention"].isin(obsoletes) & (cmd["date"] > FIN_DONNEES_OBSOLETES))]


def _evenements(entrees: Entrees, conv: pd.DataFrame, cmd: pd.DataFrame, scale: str, seed: int, progression):
    """Simulate every convention; returns raw distribution/redemption arrays and the two catalogues."""
    cat_s, cat_l = Catalogue(), Catalogue()
    dist, util = [], []
    facteur = AMPLIFICATIONS.get(scale, (scale, 1))[1]  # a larger activity, a larger network
    plafonds = (600 * facteur, 400 * facteur)
    for i, c in conv.iterrows():
        rng = np.random.default_rng([seed, 4, int(c["siren"]), int(c["vague"])])
        res = reseau(rng, c, entrees, cat_s, cat_l, PASS_PAR_ETABLISSEMENT[scale], plafonds)
        d, u = simuler(rng, c, cmd[cmd["convention"] == i], res)
        dist.append(pd.DataFrame(d).assign(convention=i))
        util.append(pd.DataFrame(u).assign(convention=i))
        if progression:
            progression("activité des lauréats", i + 1, len(conv))
    structures = cat_s.table(entrees, {s[0]: s[1] for s in STRUCTURES})
    lieux = cat_l.table(entrees, {s[0]: s[1] for s in LIEUX})
    return pd.concat(dist, ignore_index=True), pd.concat(util, ignore_index=True), structures, lieux


def _agreger(evenements: pd.DataFrame, cles: list[str], scale: str) -> pd.DataFrame:
    """Identical events become one line (nb_pass summed); the small scale reports by month."""
    if scale == "small":
        mois = evenements["date"].to_numpy().astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        groupes = evenements.assign(mois=mois).groupby(["siren", "mois", *cles], sort=True)
        return (
            groupes.agg(date=("date", "min"), nb_pass=("nb_pass", "sum")).reset_index().drop(columns="mois")
        )
    return evenements.groupby(["siren", "date", *cles], sort=True)["nb_pass"].sum().reset_index()


def _subventions_versees(conv: pd.DataFrame, cmd: pd.DataFrame, dist: pd.DataFrame, util: pd.DataFrame):
    """2019: 30 % advance + the balance as passes are handed out; 2020: 50 % of the passes used."""
    commandes_pass = (cmd["nb_carnets"] * cmd["taille"]).groupby(cmd["convention"]).sum()
    distribues = dist.groupby("convention")["nb_pass"].sum()
    utilises = util.groupby("convention")["nb_pass"].sum()
    index = conv.index
    taux = (distribues.reindex(index, fill_value=0) / commandes_pass.reindex(index).clip(lower=1)).clip(
        upper=1
    )
    v2019 = conv["subvention"] * (0.3 + 0.7 * taux)
    v2020 = utilises.reindex(index, fill_value=0) * VALEUR_FACIALE * 0.5
    versee = np.minimum(np.where(conv["vague"] == 2019, v2019, v2020), conv["subvention"]).round(2)
    return pd.Series(versee, index=index).where(conv["anomalie"] != SANS_VERSEMENT)


def generer_jeu(
    scale: str, seed: int, territoires: pd.DataFrame, progression: Progression | None = None
) -> JeuDemo:
    if scale not in PASS_PAR_ETABLISSEMENT:
        raise ValueError(f"échelle inconnue : {scale} (small, national ou x10)")
    entrees = lire_entrees(territoires)
    conv = conventions_echelle(entrees, seed, scale)
    cmd = _commandes(conv, seed)
    dist, util, structures, lieux = _evenements(entrees, conv, cmd, scale, seed, progression)
    util["nb_pass"] = 1
    conv = conv.assign(subvention_versee=_subventions_versees(conv, cmd, dist, util))
    siren = conv["siren"].to_numpy()
    dist["siren"], util["siren"], cmd = siren[dist["convention"]], siren[util["convention"]], cmd.copy()
    syndicats = entrees.syndicats[entrees.syndicats["siren"].isin(conv["siren"])]
    return JeuDemo(
        scale=scale,
        seed=seed,
        conventions=conv,
        commandes=cmd,
        distributions=_agreger(dist, ["structure", "public"], scale),
        utilisations=_agreger(util, ["lieu"], scale),
        structures=structures,
        lieux=lieux,
        syndicats=syndicats.drop_duplicates(["siren", "niveau_membre", "code_membre"]),
        liste_lieux=liste_des_lieux(lieux, entrees, seed),
    )


def tables(jeu: JeuDemo) -> dict[str, pd.DataFrame]:
    """The six import tables, every cell already a French-formatted string."""
    c = jeu.conventions
    laureats = pd.DataFrame(
        {
            "siren": c["siren"],
            "nom": c["nom"],
            "type": c["type"],
            "code_territoire": c["code_territoire"],
            "vague": c["vague"].astype(str),
            "date_convention": ecriture.dates(c["date_convention"]),
            "budget_total_eur": ecriture.montants(c["budget"]),
            "subvention_etat_eur": ecriture.montants(c["subvention"]),
            "subvention_versee_eur": ecriture.montants(c["subvention_versee"]),
            "pass_prevus": c["pass_prevus"].astype(str),
        }
    )
    s = jeu.syndicats
    syndicats = pd.DataFrame(
        {
            "siren_syndicat": s["siren"],
            "nom_syndicat": s["nom"],
            "niveau_membre": s["niveau_membre"],
            "code_membre": s["code_membre"],
        }
    )
    cmd = jeu.commandes
    cmd = (
        cmd.groupby(["siren", "date", "taille", "fin_validite"], sort=True)["nb_carnets"].sum().reset_index()
    )
    commandes_ = pd.DataFrame(
        {
            "siren_porteur": cmd["siren"],
            "date_commande": ecriture.dates(cmd["date"]),
            "nb_carnets": cmd["nb_carnets"].astype(str),
            "pass_par_carnet": cmd["taille"].astype(str),
            "valeur_faciale_eur": ecriture.montants(pd.Series(VALEUR_FACIALE, index=cmd.index)),
            "fin_validite": ecriture.dates(cmd["fin_validite"]),
        }
    )
    d = jeu.distributions.sort_values(["siren", "date", "structure", "public"], kind="stable")
    u = jeu.utilisations.sort_values(["siren", "date", "lieu"], kind="stable")
    st, li = jeu.structures.iloc[d["structure"].to_numpy()], jeu.lieux.iloc[u["lieu"].to_numpy()]
    distributions = pd.DataFrame(
        {
            "siren_porteur": d["siren"].to_numpy(),
            "date": ecriture.dates(d["date"]),
            "code_commune": st["code_commune"].to_numpy(),
            "siret_structure": st["siret"].to_numpy(),
            "nom_structure": st["nom"].to_numpy(),
            "nb_pass": d["nb_pass"].astype(str).to_numpy(),
            "public": np.array(PUBLICS, dtype=object)[d["public"].to_numpy()],
        }
    )
    utilisations = pd.DataFrame(
        {
            "siren_porteur": u["siren"].to_numpy(),
            "date": ecriture.dates(u["date"]),
            "code_commune": li["code_commune"].to_numpy(),
            "siret_lieu": li["siret"].to_numpy(),
            "nom_lieu": li["nom"].to_numpy(),
            "nb_pass": u["nb_pass"].astype(str).to_numpy(),
            "rembourse": remboursement.statuts(u, jeu.seed),
        }
    )
    return {
        "laureats": laureats,
        "syndicats": syndicats,
        "commandes": commandes_,
        "distributions": distributions,
        "utilisations": utilisations,
        "lieux": jeu.liste_lieux,
    }


def ecrire_jeu(jeu: JeuDemo, dossier: Path, progression: Progression | None = None) -> dict[str, Path]:
    dossier = Path(dossier)
    dossier.mkdir(parents=True, exist_ok=True)
    chemins = {}
    tableaux = tables(jeu)
    for rang, (kind, table) in enumerate(tableaux.items(), start=1):
        chemins[kind] = ecriture.ecrire(table, kind, dossier)
        if progression:
            progression("écriture des fichiers", rang, len(tableaux))
    return chemins


def generer(
    scale: str, seed: int, dossier: Path, territoires: pd.DataFrame, progression: Progression | None = None
) -> dict[str, Path]:
    """Write laureats, syndicats, commandes, distributions, utilisations and lieux CSVs into `dossier`."""
    return ecrire_jeu(generer_jeu(scale, seed, territoires, progression), dossier, progression)
