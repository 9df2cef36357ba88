"""The indicator table of the dashboard, for any filters, level and view, read from the aggregate tables.

Views: "porteurs" gives one row per laureate (niveau "porteur"), or at a territorial level each laureate's
figures split over the territories of its perimeter; "territoires" gives one row per région, département
or EPCI, with activity counted where it happened (the commune of the distribution/redemption). Amounts
and orders have no place: they are split over territories in proportion to the perimeter's population.

Waves and periods partition every count (dashboard.store.attribution): an order counts in the wave of
its convention and the period of its date, a pass handed out or redeemed in the wave of its order and
the period of its month, an expired pass in the period its validity ended; money in a period is the
State's share of the orders of the period. Rates divide a cohort by its base (the passes handed out in
the period that were redeemed since, over the passes handed out in the period), never a flow by a stock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from dashboard.domain.delais import delais_medians
from dashboard.domain.filtres import Filtres
from dashboard.domain.indicateurs import (
    BASES,
    IDS,
    INDICATEURS,
    TAUX_SANS_OBJET_SI_INCOHERENT,
    derives,
)
from dashboard.domain.mois import indice_mois
from dashboard.domain.repartition import plus_forts_restes
from dashboard.domain.vocabulaire import HORS_EPCI, NIVEAUX_TERRITORIAUX, NOM_HORS_EPCI
from dashboard.store.attribution import Attribution, attribution, colonne, dans_periode
from dashboard.store.donnees import COLONNE_NIVEAU, MONTANTS, programme, reference, territoires
from dashboard.store.lieux import avec_lieux
from dashboard.store.memoire import memoiser


def table_indicateurs(engine: Engine, niveau: str, vue: str | None, filtres: Filtres) -> pd.DataFrame:
    """Columns: niveau, code, nom, then every indicator id of the registry (the hidden cohort columns of
    the rates included), then `donnees_incoherentes` (a laureate whose funnel is inconsistent) and
    `chiffres_exacts` (no estimate in the row: its laureates' passes are numbered). Memoised
    per data version (a copy: the caller may modify it), before the ranges of passes handed out and of
    rate, which only keep rows: a range filter reads the table of the same selection without it."""
    vue = vue or ("porteurs" if niveau == "porteur" else "territoires")
    if niveau == "porteur" and vue != "porteurs":
        raise ValueError("Le niveau « porteur » n'existe que dans la vue « porteurs ».")
    if niveau != "porteur" and niveau not in NIVEAUX_TERRITORIAUX:
        raise ValueError(f"Niveau inconnu « {niveau} » : porteur, region, departement ou epci.")
    sans_plages = replace(filtres, distribues=None, taux=None)
    table = memoiser(engine, _calculer_table, niveau, vue, sans_plages)
    if sans_plages == filtres:
        return table
    return _filtrer_plages(table, filtres).reset_index(drop=True)


def _calculer_table(engine: Engine, niveau: str, vue: str, filtres: Filtres) -> pd.DataFrame:
    # In the territories view the régions filter the places, not the laureates: what happened in the
    # régions counts, whoever the laureate (dashboard.store.indicateurs._table_territoires).
    par_lieu = niveau != "porteur" and vue == "territoires"
    selection = replace(filtres, regions=()) if par_lieu else filtres
    laureats, perimetre = laureats_et_perimetre(engine, selection)
    attr = attribution(engine)
    par_laureat = memoiser(engine, _par_laureat_selection, selection)
    if niveau == "porteur":
        table = _table_porteurs(engine, attr, laureats, par_laureat, perimetre, filtres)
    else:
        table = _table_territoires(engine, attr, laureats, par_laureat, perimetre, filtres, niveau, vue)
    table = table.reset_index(drop=True)
    colonnes = {c: table[c].array for c in ("niveau", "code", "nom")}
    nombres = {b: table[b].to_numpy(dtype=float) for b in BASES}
    nombres.update(derives(nombres))
    for ind in INDICATEURS:  # no value where the indicator has no meaning (taux de distribution by place)
        if vue not in ind.vues:
            nombres[ind.id] = np.full(len(table), np.nan)
    incoherents = _incoherents(table, attr) if niveau == "porteur" else np.zeros(len(table), dtype=bool)
    for colonne_taux in TAUX_SANS_OBJET_SI_INCOHERENT:
        nombres[colonne_taux] = np.where(incoherents, np.nan, nombres[colonne_taux])
    # The frame built once, its columns in their order (inserting or setting them one by one into a
    # frame costs more than their arithmetic).
    table = pd.DataFrame(
        {
            **colonnes,
            **{i: nombres[i] for i in IDS},
            "donnees_incoherentes": incoherents,
            "chiffres_exacts": _exacts(attr, laureats, perimetre, filtres, niveau, vue, table),
        }
    )
    return _filtrer_plages(table, filtres).reset_index(drop=True)  # none when called by table_indicateurs


def _exacts(
    attr: Attribution,
    laureats: pd.DataFrame,
    perimetre: pd.DataFrame,
    filtres: Filtres,
    niveau: str,
    vue: str,
    table: pd.DataFrame,
) -> np.ndarray:
    """Rows whose figures are exact, not estimated: every laureate they draw on has numbered passes
    (dashboard.store.numeros) or none handed out or redeemed — the laureate itself, or each laureate
    whose perimeter reaches the territory, or (territories view) whose passes were handed out or
    redeemed there."""
    if niveau == "porteur":
        return table["code"].isin(attr.exacts).to_numpy()
    estimes = laureats.loc[~laureats["siren"].isin(attr.exacts), "siren"].tolist()
    colonne_niveau = COLONNE_NIVEAU[niveau]
    codes = _presents(perimetre, perimetre["siren"].isin(estimes).to_numpy(), colonne_niveau)
    if vue == "territoires":
        activite = attr.activite
        codes |= _presents(activite, masque(activite, estimes, filtres), colonne_niveau)
    return ~table["code"].astype(str).isin(codes).to_numpy()


def _presents(table: pd.DataFrame, garde: np.ndarray, colonne: str) -> set[str]:
    """The values of a category column on the kept rows, read on the category codes (a callback's budget
    is a few milliseconds: no string per row)."""
    codes, categories = _codes(table, colonne)
    gardes = codes[garde]
    vus = np.bincount(gardes[gardes >= 0], minlength=len(categories)) > 0  # a mark, not a sort
    return set(categories[vus].astype(str))


def _incoherents(table: pd.DataFrame, attr: Attribution) -> np.ndarray:
    """A laureate whose files report more passes redeemed than handed out, or handed out than ordered,
    keeps its counts (they are in the totals) but no rate nor delay: its funnel means nothing."""
    return table["code"].isin(attr.incoherents).to_numpy()


# --- The selection of laureates ---------------------------------------------------------------------


def laureats_selectionnes(engine: Engine, filtres: Filtres) -> pd.DataFrame:
    """One row per laureate kept by the wave, type, région and subsidy filters, with its convention
    amounts (summed over the selected waves). Shared, read-only."""
    return laureats_et_perimetre(engine, filtres)[0]


def laureats_et_perimetre(engine: Engine, filtres: Filtres) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The selected laureates and their perimeters (one row per commune, see `reference`), memoised:
    the table, the monthly series and the map layers of one interaction all start from them. Shared,
    read-only (kept apart rather than in DataFrame.attrs, which pandas deep-copies at every step)."""
    return memoiser(engine, _selectionner, filtres, partage=True)


def _selectionner(engine: Engine, filtres: Filtres) -> tuple[pd.DataFrame, pd.DataFrame]:
    _, tous_perimetres = reference(engine)
    conventions = programme(engine).conventions
    garde = np.ones(len(conventions), dtype=bool)
    if filtres.vagues:
        garde &= conventions["vague"].isin(filtres.vagues).to_numpy()
    if filtres.types:
        garde &= conventions["type"].isin(filtres.types).to_numpy()
    laureats = (
        conventions[garde]
        .groupby(["siren", "nom", "type", "code_territoire"], as_index=False, sort=True)[list(MONTANTS)]
        .sum()
    )
    if filtres.subvention:
        plage = filtres.subvention
        montant = laureats["subvention_etat_engagee_eur"]
        laureats = laureats[_dans(montant, plage)]
    perimetre = tous_perimetres[tous_perimetres["siren"].isin(laureats["siren"])]
    if filtres.regions:
        gardes = perimetre.loc[perimetre["code_region"].isin(filtres.regions), "siren"].unique()
        laureats = laureats[laureats["siren"].isin(gardes)]
        perimetre = perimetre[perimetre["siren"].isin(gardes)]
    return laureats.reset_index(drop=True), perimetre


def _dans(valeurs: pd.Series, plage) -> np.ndarray:
    """Vectorised `Plage.contient` (bounds included, an open bound is None)."""
    garde = valeurs.notna().to_numpy().copy()  # pandas hands out read-only arrays
    if plage.min is not None:
        garde &= (valeurs >= plage.min).to_numpy()
    if plage.max is not None:
        garde &= (valeurs <= plage.max).to_numpy()
    return garde


# --- Sums from the aggregate tables --------------------------------------------------------------


def masque(
    table: pd.DataFrame, sirens, filtres: Filtres, avec_periode: bool = True, mois: str = "mois_indice"
) -> np.ndarray:
    """Rows of the laureates `sirens` (and of the period, read in the month column `mois`): a lookup on
    the category codes."""
    codes, categories = _codes(table, "siren_porteur")
    choisis = np.zeros(len(categories) + 1, dtype=bool)  # the last slot answers code -1 (no value)
    positions = categories.get_indexer(pd.Index(list(sirens), dtype=object))
    choisis[positions[positions >= 0]] = True
    garde = choisis[codes]
    if avec_periode and filtres.periode:
        garde &= dans_periode(table, mois, filtres.periode.debut, filtres.periode.fin)
    return garde


def selection(table: pd.DataFrame, sirens, filtres: Filtres, avec_periode: bool = True) -> pd.DataFrame:
    return table[masque(table, sirens, filtres, avec_periode)]


def _toutes(table: pd.DataFrame) -> np.ndarray:
    return np.ones(len(table), dtype=bool)


def _codes(table: pd.DataFrame, colonne: str) -> tuple[np.ndarray, pd.Index]:
    categorie = table[colonne].cat
    return categorie.codes.to_numpy(), categorie.categories


def _sommes(
    table: pd.DataFrame, garde: np.ndarray, cle: str, colonnes: dict[str, np.ndarray] | list[str]
) -> pd.DataFrame:
    """Group-by-sum over the kept rows, as counting sorts on the category codes of `cle` (rows without a
    key left out, only the keys present kept, like a group-by with observed categories). `colonnes`:
    names of columns of `table`, or {name: values}."""
    if not isinstance(colonnes, dict):
        colonnes = {c: table[c].to_numpy() for c in colonnes}
    codes, categories = _codes(table, cle)
    garde = garde & (codes >= 0)
    c = codes[garde]
    presents = np.bincount(c, minlength=len(categories)) > 0
    sommes = {
        nom: np.bincount(c, weights=np.asarray(valeurs, dtype=float)[garde], minlength=len(categories))[
            presents
        ]
        for nom, valeurs in colonnes.items()
    }
    return pd.DataFrame(sommes, index=pd.Index(categories[presents].astype(str), name=cle))


def _activite(activite: pd.DataFrame, filtres: Filtres) -> dict[str, np.ndarray]:
    """Passes handed out, redeemed, and handed out then redeemed, of each row, in the selected waves;
    and the redeemed passes not paid back, and paid back, to the places (`_remboursement`)."""
    return {
        **{
            nom: colonne(activite, nom, filtres.vagues)
            for nom in ("pass_distribues", "pass_utilises", "utilises_parmi_distribues")
        },
        **_remboursement(activite, filtres),
    }


REMBOURSEMENT = ("pass_non_rembourses", "pass_rembourses")


def _remboursement(activite: pd.DataFrame, filtres: Filtres) -> dict[str, np.ndarray]:
    """The redeemed passes of each row the files say were not paid back, and paid back, to the places.
    The files do not say their wave: with a wave filter, each row's counts × the share of its redeemed
    passes that belong to the waves."""
    valeurs = {nom: activite[nom].to_numpy(dtype=float) for nom in REMBOURSEMENT}
    if not filtres.vagues:
        return valeurs
    tous = activite["pass_utilises"].to_numpy(dtype=float)
    dans = colonne(activite, "pass_utilises", filtres.vagues)
    part = np.divide(dans, tous, out=np.zeros(len(tous)), where=tous > 0)
    return {nom: v * part for nom, v in valeurs.items()}


def _sommes_activite(activite: pd.DataFrame, garde: np.ndarray, cle: str, filtres: Filtres) -> pd.DataFrame:
    """Passes distributed and redeemed (and the cohort of the rate) in the kept rows, grouped by `cle`."""
    return _sommes(activite, garde, cle, _activite(activite, filtres))


def _structures(
    engine: Engine, structures: pd.DataFrame, garde: np.ndarray, cle: str, filtres: Filtres
) -> pd.DataFrame:
    """Distinct distributing structures and mediation places per group (with passes of the waves)."""
    if filtres.vagues:
        garde = garde & np.logical_or.reduce([structures[f"en_{v}"].to_numpy() for v in filtres.vagues])
    _, categories = _codes(structures, cle)
    noms_roles = structures["role"].cat.categories
    triplets, groupes_roles = memoiser(engine, _triplets_structures, cle, partage=True)
    garde = garde & (triplets >= 0)
    if not garde.any():
        vide = pd.Index([], dtype=str, name=cle)
        return pd.DataFrame({"lieux_actifs": [], "structures_distributrices": []}, index=vide)
    # The distinct (group, role, SIRET) of the kept rows: a mark per triplet rather than a sort.
    vus = np.zeros(len(groupes_roles), dtype=bool)
    vus[triplets[garde]] = True
    n_roles = len(noms_roles)
    comptes = np.bincount(groupes_roles[vus], minlength=len(categories) * n_roles).reshape(-1, n_roles)
    presents = comptes.sum(axis=1) > 0
    colonnes = {"lieu": "lieux_actifs", "distributeur": "structures_distributrices"}
    return pd.DataFrame(
        {
            nom: comptes[presents, noms_roles.get_loc(role)] if role in noms_roles else 0
            for role, nom in colonnes.items()
        },
        index=pd.Index(categories[presents].astype(str), name=cle),
    )


def _triplets_structures(engine: Engine, cle: str) -> tuple[np.ndarray, np.ndarray]:
    """Per structure row, the number of its (group `cle`, role, SIRET) among the distinct ones (-1 when
    one of them is missing); per distinct triplet, group × number of roles + role. Once per data
    version and grouping."""
    structures = attribution(engine).structures
    codes, _ = _codes(structures, cle)
    roles, noms_roles = _codes(structures, "role")
    sirets, _ = _codes(structures, "siret")
    valides = (codes >= 0) & (roles >= 0) & (sirets >= 0)
    n_roles, n_sirets = len(noms_roles), int(sirets.max()) + 1 if len(sirets) else 1
    cles = (codes[valides].astype(np.int64) * n_roles + roles[valides]) * n_sirets + sirets[valides]
    distincts, numeros = np.unique(cles, return_inverse=True)
    triplets = np.full(len(structures), -1, dtype=np.int64)
    triplets[valides] = numeros
    return triplets, distincts // n_sirets


def _delais(
    attr: Attribution, garde: Callable[[pd.DataFrame], np.ndarray], filtres: Filtres, cle: str
) -> pd.Series:
    """Median delay per group, the matching made over the whole history (`garde`: the rows of the
    selection without the period, which only picks the redemptions counted), in the selected waves:
    estimated from the monthly rows of the laureates without pass numbers, exact for the others (their
    passes handed out then redeemed, `attr.paires`, grouped by the place of the distribution)."""
    activite = attr.activite
    codes, categories = _codes(activite, cle)
    numerotes = masque(activite, attr.numerotes, Filtres())
    garde_lignes = garde(activite) & (codes >= 0) & ~numerotes
    mois = activite["mois_indice"].to_numpy()[garde_lignes]
    premier, n_mois = (int(mois.min()), int(mois.max() - mois.min()) + 1) if len(mois) else (0, 1)
    cles = codes[garde_lignes].astype(np.int64) * n_mois + (mois - premier)  # sorted by group, then month
    lignes = np.bincount(cles) > 0
    sommes = [
        np.bincount(cles, weights=colonne(activite, c, filtres.vagues)[garde_lignes])[lignes]
        for c in ("pass_distribues", "pass_utilises")
    ]
    rangs = np.flatnonzero(lignes)
    periode = filtres.periode
    debut = indice_mois(periode.debut) if periode and periode.debut else None
    fin = indice_mois(periode.fin) if periode and periode.fin else None
    medianes = delais_medians(
        rangs // n_mois,
        rangs % n_mois + premier,
        *sommes,
        debut,
        fin,
        _delais_exacts(attr, garde, filtres, cle),
    )
    return pd.Series(medianes.to_numpy(), index=categories[medianes.index.to_numpy()].astype(str))


def _delais_exacts(attr: Attribution, garde, filtres: Filtres, cle: str) -> tuple[np.ndarray, ...] | None:
    """(group, redemption month, delay, passes) of the selection's numbered passes handed out then
    redeemed, in the selected waves; the group coded as in the activity table."""
    paires = attr.paires
    if paires is None or paires.empty:
        return None
    codes, _ = _codes(paires, cle)
    choisies = garde(paires) & (codes >= 0)
    if filtres.vagues:
        choisies &= paires["vague"].isin(filtres.vagues).to_numpy()
    mois_u = paires["mois_utilisation"].to_numpy()[choisies]
    delai = mois_u - paires["mois_indice"].to_numpy()[choisies]
    return codes[choisies].astype(np.int64), mois_u, delai, paires["nb_pass"].to_numpy()[choisies]


# --- Per laureate: orders, money, activity of the selection ------------------------------------------

COLONNES_COMMANDES = (
    "pass_commandes",
    "distribues_parmi_commandes",
    "utilises_parmi_commandes",
    "pass_expires",
)


def _commandes(attr: Attribution, sirens, filtres: Filtres) -> pd.DataFrame:
    """Per laureate: passes ordered in the period and waves, those of them handed out and redeemed since,
    passes expired in the period (validity ended; NaN when no order says when)."""
    commandes = attr.commandes
    vagues = commandes["vague"].isin(filtres.vagues).to_numpy() if filtres.vagues else _toutes(commandes)
    sommes = _sommes(
        commandes,
        masque(commandes, sirens, filtres) & vagues,
        "siren_porteur",
        {
            "pass_commandes": commandes["pass_commandes"].to_numpy(),
            "distribues_parmi_commandes": commandes["distribues_parmi"].to_numpy(),
            "utilises_parmi_commandes": commandes["utilises_parmi"].to_numpy(),
        },
    )
    expires = commandes["pass_expires"].to_numpy()
    connue = ~np.isnan(expires)
    echus = masque(commandes, sirens, filtres, mois="fin_indice") & vagues & connue
    expires_connus = _sommes(commandes, echus, "siren_porteur", {"pass_expires": np.nan_to_num(expires)})
    toutes = masque(commandes, sirens, Filtres()) & vagues
    datees = _sommes(commandes, toutes, "siren_porteur", {"connues": connue})
    table = sommes.reindex(pd.Index(list(sirens), name="siren")).fillna(0.0)
    table["pass_expires"] = expires_connus["pass_expires"].reindex(table.index).fillna(0.0)
    # Unknown when no order of the laureate (in the waves) says when its validity ends.
    datees = datees.reindex(table.index).fillna(0)
    table.loc[(datees["connues"] == 0).to_numpy(), "pass_expires"] = np.nan
    return table


def _montants(engine: Engine, attr: Attribution, laureats: pd.DataFrame, filtres: Filtres) -> pd.DataFrame:
    """The convention amounts of the selected waves; with a period, the State's share of the orders of
    the period: each convention's amounts × its passes ordered in the period ÷ all its passes ordered
    (the payments are not dated: "versée" is unknown for a period)."""
    montants = laureats.set_index("siren")[list(MONTANTS)]
    if not filtres.periode:
        return montants
    conventions = programme(engine).conventions
    conventions = conventions[conventions["siren"].isin(montants.index)]
    if filtres.vagues:
        conventions = conventions[conventions["vague"].isin(filtres.vagues)]
    commandes = attr.commandes
    cles = ["siren_porteur", "vague"]
    toutes = commandes.groupby(cles, observed=True)["pass_commandes"].sum()
    dans = (
        commandes[masque(commandes, montants.index, filtres)]
        .groupby(cles, observed=True)["pass_commandes"]
        .sum()
    )
    part = (dans.reindex(toutes.index).fillna(0) / toutes.where(toutes > 0)).fillna(0.0)
    index = pd.MultiIndex.from_arrays([conventions["siren"], conventions["vague"]])
    parts = part.reindex(index).fillna(0.0).to_numpy()
    prorata = conventions[list(MONTANTS)].mul(parts, axis=0).groupby(conventions["siren"].to_numpy()).sum()
    prorata = prorata.reindex(montants.index).fillna(0.0)
    prorata["subvention_etat_versee_eur"] = np.nan
    return prorata


def _par_laureat_selection(engine: Engine, selection: Filtres) -> pd.DataFrame:
    """`_par_laureat` of the laureates selected by `selection`: it reads only their waves and period,
    so that the levels and views of one selection share it (memoised by `_calculer_table`)."""
    laureats = laureats_selectionnes(engine, selection)
    return _par_laureat(engine, attribution(engine), laureats, selection)


def _par_laureat(engine: Engine, attr: Attribution, laureats: pd.DataFrame, filtres: Filtres) -> pd.DataFrame:
    """Money, orders and activity of each selected laureate (index siren)."""
    sirens = laureats["siren"].tolist()
    activite = attr.activite
    sommes = _sommes_activite(activite, masque(activite, sirens, filtres), "siren_porteur", filtres)
    table = _montants(engine, attr, laureats, filtres).join([_commandes(attr, sirens, filtres), sommes])
    for c in ("pass_distribues", "pass_utilises", "utilises_parmi_distribues", *REMBOURSEMENT):
        table[c] = table[c].fillna(0.0)
    return table


# --- The two views -------------------------------------------------------------------------------


def _table_porteurs(
    engine: Engine,
    attr: Attribution,
    laureats: pd.DataFrame,
    par_laureat: pd.DataFrame,
    perimetre: pd.DataFrame,
    filtres: Filtres,
) -> pd.DataFrame:
    sirens = laureats["siren"].tolist()
    cle = "siren_porteur"
    population = _sommes(perimetre, _toutes(perimetre), "siren", ["population"])["population"]
    structures = attr.structures
    table = laureats.set_index("siren")[["nom", "type", "code_territoire"]].join(
        [
            par_laureat,
            _structures(engine, structures, masque(structures, sirens, filtres), cle, filtres),
            _delais(attr, lambda t: masque(t, sirens, Filtres()), filtres, cle).rename("delai_median_mois"),
            population.rename("population_couverte"),
        ]
    )
    table = _completer(table)
    return table.reset_index(names="code").assign(niveau="porteur").sort_values("code")


def _parts_selection(engine: Engine, perimetre: pd.DataFrame, niveau: str) -> pd.DataFrame:
    """`_parts` of the perimeters of a selection (rows of `reference`'s): a laureate's parts do not
    depend on the others', so they are those of every perimeter, computed once per data version, kept
    for the laureates of the selection (a lookup on the category codes)."""
    toutes = memoiser(engine, _parts_de_tous, niveau, partage=True)
    codes, categories = _codes(perimetre, "siren")
    choisis = np.zeros(len(categories) + 1, dtype=bool)
    choisis[codes] = True
    garde = choisis[toutes["_siren"].to_numpy()]
    colonnes = list(dict.fromkeys(["siren", COLONNE_NIVEAU[niveau], "code_region", "part"]))
    return toutes.loc[garde, colonnes].reset_index(drop=True)


def _parts_de_tous(engine: Engine, niveau: str) -> pd.DataFrame:
    """`_parts` of every laureate's perimeter, with `_siren`, the category code of its laureate."""
    _, perimetre = reference(engine)
    return _parts(perimetre, niveau)


def _parts(perimetre: pd.DataFrame, niveau: str) -> pd.DataFrame:
    """Share of each laureate's perimeter population lying in each territory of the level, per région
    of the territory's communes (an EPCI across two régions has a part in each): cells that do not
    depend on the région filter, so that the parts of the régions add up to the whole."""
    colonne = COLONNE_NIVEAU[niveau]
    sirens, noms_sirens = _codes(perimetre, "siren")
    territoires, noms_territoires = _codes(perimetre, colonne)
    regions, noms_regions = _codes(perimetre, "code_region")
    garde = (sirens >= 0) & (territoires >= 0) & (regions >= 0)
    population = perimetre["population"].to_numpy(dtype=float)
    totaux = np.bincount(sirens[garde], weights=population[garde], minlength=len(noms_sirens))
    n_t, n_r = len(noms_territoires), len(noms_regions)
    cles = (sirens[garde].astype(np.int64) * n_t + territoires[garde]) * n_r + regions[garde]
    par_cle = np.bincount(cles, weights=population[garde])
    cellules = np.flatnonzero(np.bincount(cles) > 0)
    siren = cellules // (n_t * n_r)
    total = totaux[siren]
    part = np.divide(par_cle[cellules], total, out=np.zeros(len(cellules)), where=total > 0)
    return pd.DataFrame(
        {
            "siren": noms_sirens[siren].astype(str),
            colonne: noms_territoires[(cellules // n_r) % n_t].astype(str),
            "code_region": noms_regions[cellules % n_r].astype(str),
            "part": part,
            "_siren": siren,
        }
    )


def _repartir(
    valeurs: pd.DataFrame, parts: pd.DataFrame, niveau: str, regions: tuple[str, ...]
) -> pd.DataFrame:
    """Split per-laureate sums over territories by population share: passes to the unit and euros to the
    cent by the largest remainder, so that a laureate's parts add up to its figure; then only the cells
    in `regions` when given."""
    # The inner join of the parts on their laureate's row, in the parts' order, as a lookup.
    positions = valeurs.index.get_indexer(parts["siren"])
    lignes = np.flatnonzero(positions >= 0)
    positions = positions[lignes]
    part = parts["part"].to_numpy()[lignes]
    groupes = pd.factorize(parts["siren"].to_numpy()[lignes])[0]  # integer labels: the same groups, no sort
    reparti = {
        c: plus_forts_restes(
            valeurs[c].to_numpy(dtype=float)[positions] * part, groupes, 0.01 if c in MONTANTS else 1.0
        )
        for c in valeurs.columns
    }
    if regions:
        dans = parts["code_region"].isin(regions).to_numpy()[lignes]
        lignes = lignes[dans]
        reparti = {c: v[dans] for c, v in reparti.items()}
    colonne = COLONNE_NIVEAU[niveau]
    # Grouped by a column's name, not by a Series: pandas would first look the Series up among the
    # columns, and format it whole for the error it catches (a third of the split's time).
    reparti[colonne] = parts[colonne].array[lignes]
    return pd.DataFrame(reparti).groupby(colonne).sum(min_count=1)


def _dans_regions(table: pd.DataFrame, filtres: Filtres) -> np.ndarray:
    if not filtres.regions:
        return _toutes(table)
    return table["code_region"].isin(filtres.regions).to_numpy()


def _table_territoires(
    engine: Engine,
    attr: Attribution,
    laureats: pd.DataFrame,
    par_laureat: pd.DataFrame,
    perimetre: pd.DataFrame,
    filtres: Filtres,
    niveau: str,
    vue: str,
) -> pd.DataFrame:
    """With a région filter, only what lies in the régions: the levels then partition the same
    territory (an EPCI across two régions counts its communes inside them)."""
    sirens = laureats["siren"].tolist()
    parts = _parts_selection(engine, perimetre, niveau)
    colonne_niveau = COLONNE_NIVEAU[niveau]
    # Population covered: each commune of the union of the perimeters counted once.
    _, premieres = np.unique(perimetre["code_commune"].cat.codes.to_numpy(), return_index=True)
    couverts = perimetre.iloc[premieres]
    population = _sommes(couverts, _dans_regions(couverts, filtres), colonne_niveau, ["population"])
    morceaux = [population["population"].rename("population_couverte")]
    sans_lieu = [*MONTANTS, *COLONNES_COMMANDES]
    if vue == "territoires":
        activite, structures = attr.activite, attr.structures
        garde = masque(activite, sirens, filtres) & _dans_regions(activite, filtres)
        colonnes = _activite(activite, filtres)
        # Taux d'utilisation estimé: the passes handed out here × their laureate's redemption rate;
        # exact for a laureate whose passes are numbered (the passes handed out here, then redeemed).
        taux = (
            par_laureat["utilises_parmi_distribues"] / par_laureat["pass_distribues"].where(lambda d: d > 0)
        ).fillna(0)
        codes, categories = _codes(activite, "siren_porteur")
        taux_lignes = np.r_[taux.reindex(categories.astype(str)).fillna(0).to_numpy(), 0.0][codes]
        colonnes["utilises_parmi_distribues"] = np.where(
            masque(activite, attr.numerotes, Filtres()),
            colonnes["utilises_parmi_distribues"],
            colonnes["pass_distribues"] * taux_lignes,
        )
        garde_structures = masque(structures, sirens, filtres) & _dans_regions(structures, filtres)

        def toutes_periodes(t: pd.DataFrame) -> np.ndarray:
            return masque(t, sirens, Filtres()) & _dans_regions(t, filtres)

        morceaux += [
            _repartir(par_laureat[sans_lieu], parts, niveau, filtres.regions),
            _sommes(activite, garde, colonne_niveau, colonnes),
            _structures(engine, structures, garde_structures, colonne_niveau, filtres),
            _delais(attr, toutes_periodes, filtres, colonne_niveau).rename("delai_median_mois"),
        ]
    else:
        morceaux.append(_repartir(par_laureat, parts, niveau, filtres.regions))
    table = pd.concat(morceaux, axis=1)
    if vue == "territoires":  # the places accepting the Pass, and the rows of the territories having one
        table = avec_lieux(engine, table, niveau, filtres.regions)
    table.index.name = "code"
    noms = territoires(engine).loc[niveau, "nom"]
    table = _completer(table).join(noms)
    if niveau == "epci":
        table.loc[table.index == HORS_EPCI, "nom"] = NOM_HORS_EPCI
    return table.reset_index().assign(niveau=niveau).sort_values("code")


def _completer(table: pd.DataFrame) -> pd.DataFrame:
    """Every base column present; sums with no row are 0, the delay and unknown expiries stay "no
    data", as does the amount paid over a period (payments are not dated). On the columns' arrays, the
    frame built once (pandas' masked assignments, column by column, cost more than the arithmetic)."""
    n = len(table)
    ordre = list(dict.fromkeys([*table.columns, *BASES]))
    base = {
        b: table[b].to_numpy(dtype=float, na_value=np.nan) if b in table else np.full(n, np.nan)
        for b in BASES
    }
    # Unknown, not zero: expired passes where no order says when its validity ends (or no order at all:
    # a row of activity only), an amount paid over a period (payments are not dated).
    inconnus = {
        "pass_expires": np.isnan(base["pass_expires"]),
        "subvention_etat_versee_eur": ~np.isnan(base["budget_total_eur"])
        & np.isnan(base["subvention_etat_versee_eur"]),
        "lieux_acceptant_pass": np.isnan(base["lieux_acceptant_pass"]),  # no list of places imported
    }
    for b in BASES:
        if b != "delai_median_mois":
            base[b] = np.where(np.isnan(base[b]), 0.0, base[b])
    for c, masque_inconnu in inconnus.items():
        base[c] = np.where(masque_inconnu, np.nan, base[c])
    # Unknown, not zero: no redemption of the row whose file says whether it was paid back.
    sans_information = (base["pass_non_rembourses"] + base["pass_rembourses"]) <= 0
    base["pass_non_rembourses"] = np.where(sans_information, np.nan, base["pass_non_rembourses"])
    return pd.DataFrame({c: base[c] if c in base else table[c] for c in ordre}, index=table.index)


def _filtrer_plages(table: pd.DataFrame, filtres: Filtres) -> pd.DataFrame:
    garde = np.ones(len(table), dtype=bool)
    if filtres.distribues:
        garde &= _dans(table["pass_distribues"], filtres.distribues)
    if filtres.taux:
        garde &= _dans(table["taux_utilisation"], filtres.taux)  # no data is outside every range
    return table[garde]
