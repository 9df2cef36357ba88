"""Who wins which call, with what budget: the conventions of the demo (one row per laureate × wave).

The casting follows the published 2019 composition exactly; the verified laureates keep their published
figures (data/demo/laureats_verifies.csv); everyone else is drawn from the reference geography with the
seed. Four laureates carry a named anomaly (see data/demo/README.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.demo.references import (
    PLAFOND_BUDGET_2020,
    PLAFOND_SUBVENTION_2019,
    TAUX_ETAT_2020,
    VALEUR_FACIALE,
    Entrees,
    jour,
)

# Anomalies: (type, code_territoire) → kind. Fixed names, whatever the seed, so the README can name them.
CALE = "cale"  # ordered, almost nothing distributed
ENTONNOIR = "entonnoir"  # more passes redeemed than distributed (distribution reports missing)
OBSOLETE = "obsolete"  # events stop in early 2022
SANS_VERSEMENT = "sans_versement"  # no State payment recorded yet
SILENCE = "silence"  # returns stop after September 2023, passes still valid: what a committee must see
ANOMALIES = {
    ("EPCI", "200023737"): CALE,  # CA du Grand Cahors (2019)
    ("CD", "86"): ENTONNOIR,  # Conseil départemental de la Vienne (2019)
    ("EPCI", "249740119"): OBSOLETE,  # CA Intercommunale du Nord de la Réunion (CINOR) (2019)
    ("SM", "Somme Numérique"): SANS_VERSEMENT,  # 2020
    ("CR", "53"): SILENCE,  # Conseil régional de Bretagne (2020)
}
FIN_DONNEES_OBSOLETES = jour("2022-02-28")
FIN_RETOURS_SILENCE = jour("2023-09-30")

EXCLUS_CD = {"23"}  # la Creuse: funded by the ESF, not an AAP laureate (reference)
OUTRE_MER = (("CD", "971"), ("CD", "972"), ("CD", "973"), ("CD", "974"), ("CD", "976"), ("CR", "04"))
REGIONS_METROPOLE = ("11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93")

# Median budgets (€) of the drawn laureates, by wave and type; log-normal spread (σ = 0.7).
BUDGET_MEDIAN = {
    2019: {"CR": 420_000, "CD": 75_000, "DROM": 140_000, "EPCI": 32_000, "SM": 240_000},
    2020: {"CR": 480_000, "CD": 140_000, "DROM": 140_000, "EPCI": 75_000, "SM": 300_000},
}


def _ligne(entrees: Entrees, type_: str, code: str, vague: int, **extra) -> dict:
    """A convention skeleton: identity from the reference tables."""
    if type_ == "EPCI":
        epci = entrees.territoires[
            (entrees.territoires["niveau"] == "epci") & (entrees.territoires["code"] == code)
        ]
        siren, nom = code, epci["nom"].iloc[0]
    elif type_ == "SM":
        sm = entrees.syndicats[entrees.syndicats["nom"] == code]
        siren, nom = sm["siren"].iloc[0], code
        code = siren
    else:
        niveau = "region" if type_ == "CR" else "departement"
        col = entrees.collectivites
        trouve = col[(col["niveau"] == niveau) & (col["code"] == code)]
        siren, nom = trouve["siren"].iloc[0], trouve["nom"].iloc[0]
    cle = ("SM", nom) if type_ == "SM" else (type_, code)
    ligne = {"siren": siren, "nom": nom, "type": type_, "code_territoire": code, "vague": vague}
    ligne |= {"anomalie": ANOMALIES.get(cle, ""), "verifie": "", "outre_mer": code.startswith("97")}
    return ligne | extra


def _nombre(valeur: str) -> float | None:
    return float(valeur) if valeur.strip() else None


def _verifie(entrees: Entrees, vague_csv: str, collectivite: str) -> dict:
    """Published figures of one row of laureats_verifies.csv (None where not published)."""
    v = entrees.verifies
    ligne = v[(v["wave"] == vague_csv) & (v["collectivite"].str.startswith(collectivite))].iloc[0]
    champs = ("state_subsidy_eur", "total_budget_eur", "carnet_size_pass", "carnets_planned", "pass_planned")
    return {c: _nombre(ligne[c]) for c in champs} | {"verifie": ligne["collectivite"]}


def _laureats_verifies(entrees: Entrees) -> tuple[list[dict], list[dict]]:
    """The verified laureates (2019, 2020) with their published figures; choices for gaps are noted."""
    e = entrees
    mgp19, mgp = (
        _verifie(e, "2019", "Métropole du Grand Paris"),
        _verifie(e, "2019+2020", "Métropole du Grand"),
    )
    aveyron, hg = (
        _verifie(e, "2019", "Département de l'Aveyron"),
        _verifie(e, "2019", "Département de la Haute"),
    )
    lens, bfc = (
        _verifie(e, "2019 (applied)", "Communauté d'agglomération de Lens"),
        _verifie(e, "2020", "Région"),
    )
    syn, hdf = _verifie(e, "unknown", "Seine-et-Yvelines"), _verifie(e, "unknown", "Région Hauts-de-France")
    gpsud = e.communes[e.communes["code_epci"] == "200059228"]
    noms_gpsud = (
        "Corbeil-Essonnes",
        "Grigny",
        "Évry-Courcouronnes",
        "Lieusaint",
        "Lisses",
        "Moissy-Cramayel",
    )
    noms_gpsud += ("Ris-Orangis", "Savigny-le-Temple")
    v2019 = [
        # "1.8 M€ of passes": the whole 2019 budget buys passes.
        _ligne(e, "EPCI", "200054781", 2019, **mgp19, budget=mgp19["total_budget_eur"], part_pass=1.0),
        _ligne(
            e,
            "CD",
            "12",
            2019,
            **aveyron,
            budget=aveyron["total_budget_eur"],
            subvention=aveyron["state_subsidy_eur"],
            date_convention=jour("2019-11-18"),
            millesime=True,
            commandes=[("2020-02-10", 3000, 10), ("2021-01-15", 3000, 10), ("2022-01-14", 3000, 10)],
        ),
        _ligne(
            e,
            "CD",
            "31",
            2019,
            **hg,
            budget=hg["total_budget_eur"],
            debut_distribution=jour("2021-03-08"),
            commandes=[("2021-01-20", int(hg["carnets_planned"]), 10)],
        ),
        _ligne(e, "EPCI", "200040715", 2019, **_verifie(e, "2019", "Grenoble"), taille=5),
        _ligne(
            e, "EPCI", "200018166", 2019, **_verifie(e, "2019", "Communauté de communes Le Gr"), taille=10
        ),
        _ligne(e, "CD", "44", 2019, **_verifie(e, "2019", "Conseil départemental de Loire")),
        _ligne(e, "EPCI", "200035442", 2019, **_verifie(e, "2019", "Communauté de communes du Sud Artois")),
        # Applied in 2019, launched end 2020; carnets of 10 in 2021 then of 5 in 2022.
        _ligne(
            e,
            "EPCI",
            "246200364",
            2019,
            **lens,
            budget=330_000.0,
            debut_distribution=jour("2020-12-01"),
            commandes=[("2020-11-16", 2000, 10), ("2022-01-17", 2000, 5)],
        ),
        # 36 000 people over three years, carnets of 5: split over both waves (wave not published).
        _ligne(
            e,
            "SM",
            "Seine-et-Yvelines Numérique",
            2019,
            **syn,
            budget=760_000.0,
            taille=5,
            commandes=[("2020-09-14", 6000, 5), ("2021-09-13", 8000, 5)],
        ),
    ]
    v2020 = [
        _ligne(
            e,
            "EPCI",
            "200059228",
            2020,
            **_verifie(e, "2020", "Communauté d'agglomération Grand Paris"),
            date_convention=jour("2020-12-17"),
            perimetre=tuple(gpsud.loc[gpsud["nom"].isin(noms_gpsud), "code"]),
        ),
        _ligne(
            e,
            "CR",
            "27",
            2020,
            **bfc,
            budget=bfc["total_budget_eur"],
            date_convention=jour("2020-12-10"),
            debut_distribution=jour("2022-02-07"),
            commandes=[("2022-01-24", int(bfc["carnets_planned"]), 5)],
        ),
        # 66 000 passes bought on a 2020 decision, deployed in 2022: carnets of 10 (prescribers) and of 5.
        _ligne(
            e,
            "CR",
            "32",
            2020,
            **hdf,
            budget=700_000.0,
            debut_distribution=jour("2022-02-01"),
            commandes=[("2022-01-10", 5000, 10), ("2022-03-07", 3200, 5)],
        ),
        # Both AAPs together: budget 3.8 M€, of which 1.8 M€ in 2019.
        _ligne(
            e,
            "EPCI",
            "200054781",
            2020,
            **mgp,
            budget=mgp["total_budget_eur"] - mgp19["total_budget_eur"],
            subvention=None,
            taille=10,
        ),
        _ligne(
            e,
            "SM",
            "Seine-et-Yvelines Numérique",
            2020,
            **syn,
            budget=1_200_000.0,
            taille=5,
            commandes=[("2021-06-14", 10000, 5), ("2022-02-14", 12000, 5)],
        ),
    ]
    return v2019, v2020


def _membres_syndicats(entrees: Entrees) -> set[str]:
    return set(entrees.syndicats.loc[entrees.syndicats["niveau_membre"] == "departement", "code_membre"])


def _tirer(rng: np.random.Generator, candidats: list[str], n: int, pris: set[str]) -> list[str]:
    """n distinct codes not already taken, in a seed-determined order (candidates sorted first)."""
    libres = sorted(set(candidats) - pris)
    choisis = [libres[i] for i in rng.choice(len(libres), size=n, replace=False)]
    pris.update(choisis)
    return choisis


def _candidats(entrees: Entrees) -> dict[str, list[str]]:
    t = entrees.territoires
    epci = t[t["niveau"] == "epci"]
    grands = epci[pd.to_numeric(epci["population"]) >= 15_000]
    outre_mer = epci["code_departement"].str.startswith("97")
    cd = entrees.collectivites
    cd = cd[(cd["niveau"] == "departement") & ~cd["code"].str.startswith("97")]["code"]
    exclus = _membres_syndicats(entrees) | EXCLUS_CD
    return {
        "CD": [c for c in cd if c not in exclus],
        "EPCI": list(grands.loc[~outre_mer.loc[grands.index], "code"]),
        "EPCI_OM": list(epci.loc[outre_mer, "code"]),
        "CR": list(REGIONS_METROPOLE),
    }


def _casting(entrees: Entrees, seed: int) -> list[dict]:
    """Every convention of the national scale; `petit` marks those of the small scale (2019 + 12 of 2020)."""
    rng = np.random.default_rng([seed, 1])
    v2019, v2020 = _laureats_verifies(entrees)
    cand = _candidats(entrees)
    pris = {"CD": {"12", "31", "44", "86"}, "CR": {"27", "32"}, "EPCI": set(), "EPCI_OM": {"249740119"}}
    pris["EPCI"] = {"200054781", "200040715", "200018166", "200035442", "246200364", "200023737", "200059228"}
    e = entrees
    c19 = [
        *v2019,
        _ligne(e, "EPCI", "200023737", 2019),
        _ligne(e, "CD", "86", 2019),
        _ligne(e, "EPCI", "249740119", 2019),
    ]
    c19 += [_ligne(e, "CR", c, 2019) for c in _tirer(rng, cand["CR"], 2, pris["CR"])]
    c19 += [_ligne(e, "CD", c, 2019) for c in _tirer(rng, cand["CD"], 11, pris["CD"])]
    territoires_om = [OUTRE_MER[i] for i in sorted(rng.choice([0, 1, 2, 3, 4], size=3, replace=False))]
    # La Réunion has both a département and a région: either may be the laureate.
    territoires_om = [
        ("CR", "04") if t == ("CD", "974") and rng.random() < 0.5 else t for t in territoires_om
    ]
    c19 += [_ligne(e, t, c, 2019) for t, c in territoires_om]
    c19 += [_ligne(e, "EPCI", c, 2019) for c in _tirer(rng, cand["EPCI_OM"], 3, pris["EPCI_OM"])]
    c19 += [_ligne(e, "EPCI", c, 2019) for c in _tirer(rng, cand["EPCI"], 12, pris["EPCI"])]
    sm19 = e.syndicats.loc[e.syndicats["vague_demo"] == "2019", "nom"].unique()
    c19 += [_ligne(e, "SM", nom, 2019) for nom in sm19 if nom != "Seine-et-Yvelines Numérique"]

    tires = [c for c in c19 if not c["verifie"] and not c["anomalie"] and c["type"] in ("CD", "EPCI")]
    renouveles = [tires[i] for i in sorted(rng.choice(len(tires), size=8, replace=False))]
    renouvelle = lambda c: _ligne(e, c["type"], c["code_territoire"], 2020)  # noqa: E731
    sm20 = list(e.syndicats.loc[e.syndicats["vague_demo"] == "2020", "nom"].unique())
    c20 = [*v2020, _ligne(e, "SM", "Somme Numérique", 2020), *map(renouvelle, renouveles[:2])]
    c20 += [_ligne(e, "CD", c, 2020) for c in _tirer(rng, cand["CD"], 2, pris["CD"])]
    c20 += [_ligne(e, "EPCI", c, 2020) for c in _tirer(rng, cand["EPCI"], 2, pris["EPCI"])]
    for c in c19 + c20:
        c["petit"] = True
    national = [_ligne(e, "SM", nom, 2020) for nom in sm20 if nom != "Somme Numérique"]
    national += [_ligne(e, "CR", c, 2020) for c in _tirer(rng, cand["CR"], 2, pris["CR"])]
    national += [_ligne(e, "CD", c, 2020) for c in _tirer(rng, cand["CD"], 23, pris["CD"])]
    national += [_ligne(e, "EPCI", c, 2020) for c in _tirer(rng, cand["EPCI"], 66, pris["EPCI"])]
    national += [_ligne(e, "EPCI", c, 2020) for c in _tirer(rng, cand["EPCI_OM"], 4, pris["EPCI_OM"])]
    national += [renouvelle(c) for c in renouveles[2:]]
    for c in national:
        c["petit"] = False
    return c19 + c20 + national


def _budget_tire(rng: np.random.Generator, c: dict) -> float:
    groupe = "DROM" if c["outre_mer"] and c["type"] in ("CR", "CD") else c["type"]
    median = BUDGET_MEDIAN[c["vague"]][groupe]
    bornes = (15_000, 1_500_000) if c["vague"] == 2019 else (42_000, 2_500_000)
    return float(np.clip(round(median * rng.lognormal(0, 0.7), -2), *bornes))


def _montants(rng: np.random.Generator, c: dict) -> dict:
    """Budget, State subsidy and planned passes of one convention (published figures win)."""
    budget = c.get("budget", c.get("total_budget_eur"))
    subvention = c.get("subvention", c.get("state_subsidy_eur"))
    taux = rng.uniform(0.55, 0.65)  # demo rule for 2019 (published: 20–65 %, bonuses included)
    if budget is None and subvention is not None:
        budget = round(subvention / taux, -2)
    if budget is None:
        budget = _budget_tire(rng, c)
    if c["vague"] == 2020:
        budget = min(budget, PLAFOND_BUDGET_2020)
        subvention = budget * TAUX_ETAT_2020
    elif subvention is None:
        subvention = min(round(budget * taux, -2), PLAFOND_SUBVENTION_2019)
    taille = int(c.get("taille") or c.get("carnet_size_pass") or (10 if rng.random() < 0.65 else 5))
    if c.get("commandes"):
        prevus = sum(n * t for _, n, t in c["commandes"])
    elif c.get("carnets_planned"):
        prevus = int(c["carnets_planned"]) * taille
    else:
        part_pass = c.get("part_pass") or rng.uniform(0.80, 0.95)  # the rest funds engineering, mediation
        prevus = int(budget * part_pass / VALEUR_FACIALE // taille) * taille
    return {"budget": float(budget), "subvention": float(subvention), "taille": taille, "pass_prevus": prevus}


def _comportement(rng: np.random.Generator, c: dict) -> dict:
    """How the laureate's rollout behaves on the ground (drawn; overridden for the named anomalies)."""
    debut = jour("2019-10-01") if c["vague"] == 2019 else jour("2020-12-01")
    p = {
        "date_convention": c.get("date_convention")
        or debut + int(rng.integers(0, 140 if c["vague"] == 2019 else 170)),
        "millesime": c.get("millesime", rng.random() < 0.25),
        "part_commandee": 1.0 if c.get("commandes") or rng.random() < 0.7 else rng.uniform(0.75, 0.95),
        "taux_distribution": 0.2 + 0.75 * rng.beta(2.0, 1.5),
        "taux_utilisation": 0.12 + 0.78 * rng.beta(1.4, 1.6),
        "delai_median": rng.uniform(25, 85),
    }
    if c["anomalie"] == CALE:
        p["taux_distribution"] = 0.015
    elif c["anomalie"] == ENTONNOIR:
        p |= {"taux_distribution": 0.6, "taux_utilisation": 0.75}
    elif c["anomalie"] == OBSOLETE:
        p["millesime"] = False
    elif c["anomalie"] == SANS_VERSEMENT:
        p["debut_distribution"] = jour("2022-09-05")
    return p


def conventions(entrees: Entrees, seed: int, scale: str) -> pd.DataFrame:
    """One row per convention of the scale, with amounts and rollout parameters."""
    lignes = []
    for c in _casting(entrees, seed):
        if scale == "small" and not c["petit"]:
            continue
        rng = np.random.default_rng([seed, 2, int(c["siren"]), c["vague"]])
        lignes.append(c | _montants(rng, c) | _comportement(rng, c))
    table = pd.DataFrame(lignes)
    colonnes = ["siren", "nom", "type", "code_territoire", "vague", "date_convention", "budget", "subvention"]
    colonnes += [
        "pass_prevus",
        "taille",
        "millesime",
        "part_commandee",
        "taux_distribution",
        "taux_utilisation",
    ]
    colonnes += ["delai_median", "debut_distribution", "commandes", "perimetre", "anomalie", "verifie"]
    colonnes += ["outre_mer", "petit"]
    for manquante in ("debut_distribution", "commandes", "perimetre"):
        if manquante not in table:
            table[manquante] = None
    table = table[colonnes].copy()
    for optionnelle in ("debut_distribution", "commandes", "perimetre"):
        table[optionnelle] = table[optionnelle].astype(object).where(table[optionnelle].notna(), None)
    return table.sort_values(["vague", "type", "siren"], ignore_index=True)
