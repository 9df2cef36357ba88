"""The indicator table of the dashboard, for any filters, level and view, read from the aggregate tables.

Views: "porteurs" gives one row per laureate (niveau "porteur"), or at a territorial level each laureate's
figures split over the territories of its perimeter; "territoires" gives one row per région, département
or EPCI, with activity counted where it happened (the commune of the distribution/redemption). Amounts
and orders have no place: they are split over territories in proportion to the perimeter's population.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from dashboard.domain.delais import delais_medians
from dashboard.domain.filtres import Filtres
from dashboard.domain.indicateurs import BASES, IDS, calculer_derives
from dashboard.domain.mois import indice_mois
from dashboard.domain.vocabulaire import NIVEAUX_TERRITORIAUX
from dashboard.store.donnees import COLONNE_NIVEAU, MONTANTS, agregats, programme, reference, territoires
from dashboard.store.memoire import memoiser


def table_indicateurs(engine: Engine, niveau: str, vue: str | None, filtres: Filtres) -> pd.DataFrame:
    """Columns: niveau, code, nom, then every indicator id of the registry. Memoised per data version
    (a copy: the caller may modify it)."""
    vue = vue or ("porteurs" if niveau == "porteur" else "territoires")
    if niveau == "porteur" and vue != "porteurs":
        raise ValueError("Le niveau « porteur » n'existe que dans la vue « porteurs ».")
    if niveau != "porteur" and niveau not in NIVEAUX_TERRITORIAUX:
        raise ValueError(f"Niveau inconnu « {niveau} » : porteur, region, departement ou epci.")
    return memoiser(engine, _calculer_table, niveau, vue, filtres)


def _calculer_table(engine: Engine, niveau: str, vue: str, filtres: Filtres) -> pd.DataFrame:
    laureats, perimetre = laureats_et_perimetre(engine, filtres)
    if niveau == "porteur":
        table = _table_porteurs(engine, agregats(engine), laureats, perimetre, filtres)
    else:
        table = _table_territoires(engine, agregats(engine), laureats, perimetre, filtres, niveau, vue)
    table = calculer_derives(table)
    return _filtrer_plages(table, filtres).reset_index(drop=True)[["niveau", "code", "nom", *IDS]]


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


def masque(table: pd.DataFrame, sirens, filtres: Filtres, avec_periode: bool = True) -> np.ndarray:
    """Rows of the laureates `sirens` (and of the period): a lookup on the category codes."""
    codes, categories = _codes(table, "siren_porteur")
    choisis = np.zeros(len(categories) + 1, dtype=bool)  # the last slot answers code -1 (no value)
    positions = categories.get_indexer(pd.Index(list(sirens), dtype=object))
    choisis[positions[positions >= 0]] = True
    garde = choisis[codes]
    if avec_periode and filtres.periode:
        mois = table["mois_indice"].to_numpy()
        garde &= (mois >= indice_mois(filtres.periode.debut)) & (mois <= indice_mois(filtres.periode.fin))
    return garde


def selection(table: pd.DataFrame, sirens, filtres: Filtres, avec_periode: bool = True) -> pd.DataFrame:
    return table[masque(table, sirens, filtres, avec_periode)]


def _toutes(table: pd.DataFrame) -> np.ndarray:
    return np.ones(len(table), dtype=bool)


def _codes(table: pd.DataFrame, colonne: str) -> tuple[np.ndarray, pd.Index]:
    categorie = table[colonne].cat
    return categorie.codes.to_numpy(), categorie.categories


def _sommes(table: pd.DataFrame, garde: np.ndarray, cle: str, colonnes: list[str]) -> pd.DataFrame:
    """Group-by-sum over the kept rows, as counting sorts on the category codes of `cle` (rows without a
    key left out, only the keys present kept, like a group-by with observed categories)."""
    codes, categories = _codes(table, cle)
    garde = garde & (codes >= 0)
    c = codes[garde]
    presents = np.bincount(c, minlength=len(categories)) > 0
    sommes = {
        colonne: np.bincount(c, weights=table[colonne].to_numpy()[garde], minlength=len(categories))[presents]
        for colonne in colonnes
    }
    return pd.DataFrame(sommes, index=pd.Index(categories[presents].astype(str), name=cle))


def _sommes_activite(activite: pd.DataFrame, garde: np.ndarray, cle: str) -> pd.DataFrame:
    """Passes distributed and redeemed in the kept rows, grouped by the column `cle`."""
    return _sommes(activite, garde, cle, ["pass_distribues", "pass_utilises"])


def _structures(structures: pd.DataFrame, garde: np.ndarray, cle: str) -> pd.DataFrame:
    """Distinct distributing structures and mediation places per group."""
    codes, categories = _codes(structures, cle)
    roles, noms_roles = _codes(structures, "role")
    sirets, _ = _codes(structures, "siret")
    garde = garde & (codes >= 0) & (roles >= 0) & (sirets >= 0)
    if not garde.any():
        vide = pd.Index([], dtype=str, name=cle)
        return pd.DataFrame({"lieux_actifs": [], "structures_distributrices": []}, index=vide)
    n_roles, n_sirets = len(noms_roles), int(sirets.max()) + 1 if len(sirets) else 1
    triplets = np.unique((codes[garde].astype(np.int64) * n_roles + roles[garde]) * n_sirets + sirets[garde])
    comptes = np.bincount(triplets // n_sirets, minlength=len(categories) * n_roles).reshape(-1, n_roles)
    presents = comptes.sum(axis=1) > 0
    colonnes = {"lieu": "lieux_actifs", "distributeur": "structures_distributrices"}
    return pd.DataFrame(
        {
            nom: comptes[presents, noms_roles.get_loc(role)] if role in noms_roles else 0
            for role, nom in colonnes.items()
        },
        index=pd.Index(categories[presents].astype(str), name=cle),
    )


def _delais(activite: pd.DataFrame, garde: np.ndarray, filtres: Filtres, cle: str) -> pd.Series:
    """Median delay per group, the matching made over the whole history (`garde` without the period:
    the period only picks the redemptions counted)."""
    codes, categories = _codes(activite, cle)
    garde = garde & (codes >= 0)
    mois = activite["mois_indice"].to_numpy()[garde]
    if not len(mois):
        return pd.Series(dtype=float)
    premier, n_mois = int(mois.min()), int(mois.max() - mois.min()) + 1
    cles = codes[garde].astype(np.int64) * n_mois + (mois - premier)  # sorted by group, then month
    lignes = np.bincount(cles) > 0
    sommes = [
        np.bincount(cles, weights=activite[c].to_numpy()[garde])[lignes]
        for c in ("pass_distribues", "pass_utilises")
    ]
    rangs = np.flatnonzero(lignes)
    periode = filtres.periode
    debut, fin = (indice_mois(periode.debut), indice_mois(periode.fin)) if periode else (None, None)
    medianes = delais_medians(rangs // n_mois, rangs % n_mois + premier, *sommes, debut, fin)
    return pd.Series(medianes.to_numpy(), index=categories[medianes.index.to_numpy()].astype(str))


def _commandes(engine: Engine, sirens) -> pd.DataFrame:
    """Passes ordered, and passes expired = max(0, passes whose validity ended − passes redeemed): per
    laureate over its whole history, whatever the filters, hence computed once for all of them."""
    tous = memoiser(engine, _commandes_de_tous, partage=True)
    return tous.reindex(pd.Index(sirens, name="siren"))


def _commandes_de_tous(engine: Engine) -> pd.DataFrame:
    activite, _ = agregats(engine)
    donnees = programme(engine)
    sirens = donnees.conventions["siren"].unique().tolist()
    index = pd.Index(sirens, name="siren")
    garde = masque(activite, sirens, Filtres())
    utilises = _sommes_activite(activite, garde, "siren_porteur")["pass_utilises"]
    echus = donnees.echus.reindex(index).fillna(0)
    return pd.DataFrame(
        {
            "pass_commandes": donnees.commandes.reindex(index),
            "pass_expires": (echus - utilises.reindex(index).fillna(0)).clip(lower=0),
        },
        index=index,
    )


# --- The two views -------------------------------------------------------------------------------


def _table_porteurs(
    engine: Engine, donnees: tuple, laureats: pd.DataFrame, perimetre: pd.DataFrame, filtres: Filtres
) -> pd.DataFrame:
    activite, structures = donnees
    sirens = laureats["siren"].tolist()
    cle = "siren_porteur"
    population = _sommes(perimetre, _toutes(perimetre), "siren", ["population"])["population"]
    dans_periode, tout_l_historique = masque(activite, sirens, filtres), masque(activite, sirens, Filtres())
    table = laureats.set_index("siren").join(
        [
            _commandes(engine, sirens),
            _sommes_activite(activite, dans_periode, cle),
            _structures(structures, masque(structures, sirens, filtres), cle),
            _delais(activite, tout_l_historique, filtres, cle).rename("delai_median_mois"),
            population.rename("population_couverte"),
        ]
    )
    table = _completer(table)
    return table.reset_index(names="code").assign(niveau="porteur").sort_values("code")


def _parts(perimetre: pd.DataFrame, niveau: str) -> pd.DataFrame:
    """Share of each laureate's perimeter population lying in each territory of the level."""
    colonne = COLONNE_NIVEAU[niveau]
    sirens, noms_sirens = _codes(perimetre, "siren")
    territoires, noms_territoires = _codes(perimetre, colonne)
    garde = (sirens >= 0) & (territoires >= 0)
    n = len(noms_territoires)
    cles = sirens[garde].astype(np.int64) * n + territoires[garde]
    population = np.bincount(cles, weights=perimetre["population"].to_numpy()[garde])
    couples = np.flatnonzero(np.bincount(cles) > 0)
    par_couple = population[couples].astype(float)
    total = np.bincount(couples // n, weights=par_couple)[couples // n]
    part = np.divide(par_couple, total, out=np.zeros_like(par_couple), where=total > 0)
    return pd.DataFrame(
        {
            "siren": noms_sirens[couples // n].astype(str),
            colonne: noms_territoires[couples % n].astype(str),
            "part": part,
        }
    )


def _repartir(valeurs: pd.DataFrame, parts: pd.DataFrame, niveau: str) -> pd.DataFrame:
    """Split per-laureate sums over territories by population share."""
    jointure = parts.merge(valeurs, left_on="siren", right_index=True)
    colonnes = [c for c in valeurs.columns if c in jointure]
    reparti = jointure[colonnes].mul(jointure["part"], axis=0)
    return reparti.groupby(jointure[COLONNE_NIVEAU[niveau]]).sum()


def _table_territoires(
    engine: Engine,
    donnees: tuple,
    laureats: pd.DataFrame,
    perimetre: pd.DataFrame,
    filtres: Filtres,
    niveau: str,
    vue: str,
) -> pd.DataFrame:
    activite, structures = donnees
    communes, _ = reference(engine)
    sirens = laureats["siren"].tolist()
    parts = _parts(perimetre, niveau)
    par_laureat = laureats.set_index("siren")[list(MONTANTS)].join(_commandes(engine, sirens))
    colonne = COLONNE_NIVEAU[niveau]
    # Population covered: each commune of the union of the perimeters counted once.
    _, premieres = np.unique(perimetre["code_commune"].cat.codes.to_numpy(), return_index=True)
    couverts = perimetre.iloc[premieres]
    population = _sommes(couverts, _toutes(couverts), colonne, ["population"])
    morceaux = [
        _repartir(par_laureat, parts, niveau),
        population["population"].rename("population_couverte"),
    ]
    if vue == "territoires":
        cle = colonne
        morceaux += [
            _sommes_activite(activite, masque(activite, sirens, filtres), cle),
            _structures(structures, masque(structures, sirens, filtres), cle),
            _delais(activite, masque(activite, sirens, Filtres()), filtres, cle).rename("delai_median_mois"),
        ]
    else:
        activite_laureats = _sommes_activite(activite, masque(activite, sirens, filtres), "siren_porteur")
        morceaux.append(_repartir(activite_laureats, parts, niveau))
    table = pd.concat(morceaux, axis=1)
    table.index.name = "code"
    if filtres.regions:
        table = table[table.index.isin(_codes_dans_regions(communes, niveau, filtres.regions))]
    noms = territoires(engine).loc[niveau, "nom"]
    table = _completer(table).join(noms)
    return table.reset_index().assign(niveau=niveau).sort_values("code")


def _codes_dans_regions(communes: pd.DataFrame, niveau: str, regions: tuple[str, ...]) -> set[str]:
    if niveau == "region":
        return set(regions)
    colonne = COLONNE_NIVEAU[niveau]
    return set(communes.loc[communes["code_region"].isin(regions), colonne].dropna())


def _completer(table: pd.DataFrame) -> pd.DataFrame:
    """Every base column present; sums with no row are 0, the delay stays "no data"."""
    table = table.reindex(columns=list(dict.fromkeys([*table.columns, *BASES])))
    sommes = [b for b in BASES if b != "delai_median_mois"]
    table[sommes] = table[sommes].astype(float).fillna(0.0)
    table["delai_median_mois"] = table["delai_median_mois"].astype(float)
    return table


def _filtrer_plages(table: pd.DataFrame, filtres: Filtres) -> pd.DataFrame:
    garde = np.ones(len(table), dtype=bool)
    if filtres.distribues:
        garde &= _dans(table["pass_distribues"], filtres.distribues)
    if filtres.taux:
        garde &= _dans(table["taux_utilisation"], filtres.taux)  # no data is outside every range
    return table[garde]
