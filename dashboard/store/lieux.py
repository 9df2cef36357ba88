"""The lieux de médiation numérique (table `lieu`, `passnum import lieux`) as the figures use them: places
accepting the Pass per territory and their density (the territories view, its CLI and the territory
page), the redemption places matched to the list, and the communes where passes were handed out with no
accepting place in their EPCI.

The list is a state, not a flow: no wave, laureate type or period changes it; a région filter keeps the
places of the régions. Counts add up across levels (each place is in one commune, hence in one région,
département and EPCI, the communes outside any EPCI forming one row), so the territories view keeps equal
totals at every level; the density is recomputed from the summed counts and populations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Engine, func, select

from dashboard.domain.vocabulaire import HORS_EPCI
from dashboard.store.donnees import COLONNE_NIVEAU, agregats, annuaire_structures, noms_communes, reference
from dashboard.store.memoire import memoiser
from dashboard.store.schema import ActiviteSansSiretMensuelle, Lieu, Territoire


def lieux(engine: Engine) -> pd.DataFrame:
    """Every place of the list: identifiant, nom, siret, code_commune, accepte_pass, motif_pass, date_maj
    and its commune's code_region, code_departement, code_epci (HORS_EPCI outside any). Read once per data
    version. Shared, read-only."""
    return memoiser(engine, _lire_lieux, partage=True)


def _lire_lieux(engine: Engine) -> pd.DataFrame:
    colonnes = (Lieu.identifiant, Lieu.nom, Lieu.siret, Lieu.code_commune, Lieu.accepte_pass, Lieu.motif_pass)
    with engine.connect() as connection:
        table = pd.read_sql(select(*colonnes, Lieu.date_maj), connection)
    communes, _ = reference(engine)
    parents = communes.rename(columns={"code": "code_commune"})
    parents = parents[["code_commune", "code_region", "code_departement", "code_epci"]]
    table = table.merge(parents, on="code_commune", how="left")
    table["code_epci"] = table["code_epci"].fillna(HORS_EPCI)
    table["accepte_pass"] = table["accepte_pass"].astype(bool)
    return table


def _populations(engine: Engine, niveau: str, regions: tuple[str, ...]) -> pd.Series:
    """Inhabitants of every territory of the level, counting only its communes in `regions` if given."""
    if regions:
        return _dans_regions(memoiser(engine, _populations_par_region, niveau, partage=True), regions)
    communes, _ = reference(engine)
    codes = communes[COLONNE_NIVEAU[niveau]].fillna(HORS_EPCI)
    return communes["population"].groupby(codes.to_numpy()).sum().astype(float)


def _acceptants(engine: Engine, niveau: str, regions: tuple[str, ...]) -> pd.Series:
    """Places accepting the Pass per territory of the level (only territories that have one)."""
    if regions:
        return _dans_regions(memoiser(engine, _acceptants_par_region, niveau, partage=True), regions)
    table = lieux(engine)
    garde = table["accepte_pass"].to_numpy() & table["code_region"].notna().to_numpy()
    return table.loc[garde, COLONNE_NIVEAU[niveau]].value_counts().astype(float)


# With a région filter, the sums of the cells (territory, région) of those régions: the cells are read
# once per data version, and a new choice of régions sums a few hundred of them instead of grouping
# every commune again.


def preparer_regions(engine: Engine) -> None:
    """The cells (territory, région) of every level, read before the first visitor (a few milliseconds
    each): the first choice of a région does not pay for them."""
    for niveau in COLONNE_NIVEAU:
        memoiser(engine, _populations_par_region, niveau, partage=True)
        memoiser(engine, _acceptants_par_region, niveau, partage=True)


def _populations_par_region(engine: Engine, niveau: str) -> pd.DataFrame:
    """code, code_region, valeur: inhabitants per territory of the level and région (communes without a
    région left out: a région filter never keeps them)."""
    communes, _ = reference(engine)
    communes = communes[communes["code_region"].notna().to_numpy()]
    codes = communes[COLONNE_NIVEAU[niveau]].fillna(HORS_EPCI)
    return _cellules(codes, communes["code_region"], communes["population"].to_numpy())


def _acceptants_par_region(engine: Engine, niveau: str) -> pd.DataFrame:
    """code, code_region, valeur: places accepting the Pass per territory of the level and région."""
    table = lieux(engine)
    table = table[table["accepte_pass"].to_numpy() & table["code_region"].notna().to_numpy()]
    return _cellules(table[COLONNE_NIVEAU[niveau]], table["code_region"], np.ones(len(table), dtype=np.int64))


def _cellules(codes: pd.Series, regions: pd.Series, valeurs: np.ndarray) -> pd.DataFrame:
    cellules = pd.Series(valeurs).groupby([codes.to_numpy(), regions.to_numpy()]).sum()
    return pd.DataFrame(
        {
            "code": cellules.index.get_level_values(0),
            "code_region": cellules.index.get_level_values(1),
            "valeur": cellules.to_numpy(),
        }
    )


def _dans_regions(cellules: pd.DataFrame, regions: tuple[str, ...]) -> pd.Series:
    """Per territory, the sum of its cells in `regions` (territories without one left out)."""
    gardees = cellules[cellules["code_region"].isin(regions).to_numpy()]
    return gardees["valeur"].groupby(gardees["code"].to_numpy()).sum().astype(float)


def _par_territoire(
    engine: Engine, niveau: str, regions: tuple[str, ...]
) -> tuple[bool, pd.Series, pd.Series]:
    liste = bool(len(lieux(engine)))
    return liste, _acceptants(engine, niveau, regions), _populations(engine, niveau, regions)


def avec_lieux(engine: Engine, table: pd.DataFrame, niveau: str, regions: tuple[str, ...]) -> pd.DataFrame:
    """The territories view's table (index: territory code) with `lieux_acceptant_pass` (no data when no
    list was imported) and `population_territoire`; the territories with an accepting place get a row."""
    liste, acceptants, populations = memoiser(engine, _par_territoire, niveau, tuple(regions))
    if liste:
        table = table.reindex(table.index.union(acceptants.index))
    table["population_territoire"] = populations.reindex(table.index).fillna(0.0).to_numpy()
    table["lieux_acceptant_pass"] = (
        acceptants.reindex(table.index).fillna(0.0).to_numpy() if liste else np.nan
    )
    return table


def acceptants_du_territoire(engine: Engine, niveau: str, code: str) -> tuple[float, float]:
    """(places accepting the Pass, inhabitants) of one territory, as the territories view counts them."""
    liste, acceptants, populations = memoiser(engine, _par_territoire, niveau, ())
    nombre = float(acceptants.get(code, 0.0)) if liste else np.nan
    return nombre, float(populations.get(code, 0.0))


# --- The territory page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LieuxDuTerritoire:
    """What the territory page says of the list (all waves, the whole period)."""

    liste: bool  # a list of places has been imported
    mise_a_jour: date | None  # the most recent `date_maj` of the list
    acceptant: float  # places of the territory accepting the Pass
    population: float
    lieux_utilisation: int  # redemption places (SIRET) with passes redeemed in the territory
    pass_utilises: int  # all passes redeemed in the territory (with or without SIRET)
    acceptant_utilisation: int  # redemption places found in the list as accepting the Pass
    pass_chez_acceptant: int
    liste_sans_pass: int  # found in the list, without a mention of the Pass
    pass_liste_sans_pass: int
    hors_liste: pd.DataFrame  # siret, nom, commune, nb_pass: redemption places not in the list
    pass_sans_siret: int  # redeemed on lines without SIRET: cannot be matched
    communes_sans_lieu: pd.DataFrame  # code, commune, epci, pass_distribues

    @property
    def pour_10000(self) -> float:
        return self.acceptant * 10_000 / self.population if self.population > 0 else np.nan

    @property
    def pass_hors_liste(self) -> int:
        return int(self.hors_liste["nb_pass"].sum())


def du_territoire(engine: Engine, niveau: str, code: str) -> LieuxDuTerritoire:
    return memoiser(engine, _du_territoire, niveau, code)


def _du_territoire(engine: Engine, niveau: str, code: str) -> LieuxDuTerritoire:
    table = lieux(engine)
    acceptant, population = acceptants_du_territoire(engine, niveau, code)
    colonne = COLONNE_NIVEAU[niveau]
    places = _places_d_utilisation(engine, colonne, code)
    statut = _statuts(table, places["siret"])
    hors = places[statut == "hors_liste"].reset_index(drop=True)
    sans_siret = _pass_sans_siret(engine, colonne, code)
    dates = table["date_maj"].dropna()
    return LieuxDuTerritoire(
        liste=bool(len(table)),
        mise_a_jour=max(dates) if len(dates) else None,
        acceptant=acceptant,
        population=population,
        lieux_utilisation=len(places),
        pass_utilises=int(places["nb_pass"].sum()) + sans_siret,
        acceptant_utilisation=int((statut == "acceptant").sum()),
        pass_chez_acceptant=int(places.loc[statut == "acceptant", "nb_pass"].sum()),
        liste_sans_pass=int((statut == "sans_pass").sum()),
        pass_liste_sans_pass=int(places.loc[statut == "sans_pass", "nb_pass"].sum()),
        hors_liste=hors,
        pass_sans_siret=sans_siret,
        communes_sans_lieu=_communes_sans_lieu(engine, table, colonne, code),
    )


def _places_d_utilisation(engine: Engine, colonne: str, code: str) -> pd.DataFrame:
    """siret, nom, commune, nb_pass of each place where passes were redeemed in the territory."""
    _, structures = agregats(engine)
    lignes = structures[(structures[colonne] == code).to_numpy() & (structures["role"] == "lieu").to_numpy()]
    sommes = lignes.groupby("siret", observed=True)["nb_pass"].sum().reset_index()
    sommes["siret"] = sommes["siret"].astype(str)
    annuaire = annuaire_structures(engine)
    annuaire = annuaire[annuaire["role"] == "lieu"].drop(columns="role")
    places = sommes.merge(annuaire, on="siret", how="left")
    places["commune"] = places["code_commune"].map(noms_communes(engine)).fillna(places["code_commune"])
    places["nom"] = places["nom"].fillna("(nom non renseigné)")
    places = places.astype({"nb_pass": "int64"}).sort_values(["nb_pass", "nom"], ascending=[False, True])
    return places[["siret", "nom", "commune", "nb_pass"]].reset_index(drop=True)


def _statuts(table: pd.DataFrame, sirets: pd.Series) -> np.ndarray:
    """For each SIRET: "acceptant" (a place of the list with that SIRET accepts the Pass), "sans_pass" (in
    the list, none saying it accepts it) or "hors_liste"."""
    avec = table[table["siret"].notna()]
    acceptants = set(avec.loc[avec["accepte_pass"], "siret"])
    listes = set(avec["siret"])
    return np.array(
        [
            "acceptant" if s in acceptants else "sans_pass" if s in listes else "hors_liste"
            for s in sirets.tolist()
        ],
        dtype=object,
    )


def _pass_sans_siret(engine: Engine, colonne: str, code: str) -> int:
    m = ActiviteSansSiretMensuelle
    communes, _ = reference(engine)
    dans = communes.loc[communes[colonne].fillna(HORS_EPCI) == code, "code"].tolist()
    if not dans:
        return 0
    with engine.connect() as connection:
        total = connection.scalar(
            select(func.coalesce(func.sum(m.nb_pass), 0)).where(m.role == "lieu", m.code_commune.in_(dans))
        )
    return int(total or 0)


def _communes_sans_lieu(engine: Engine, table: pd.DataFrame, colonne: str, code: str) -> pd.DataFrame:
    """Communes of the territory where passes were handed out (all periods) and whose EPCI has no place
    accepting the Pass (a commune outside any EPCI: none in the commune itself), most passes first."""
    activite, _ = agregats(engine)
    lignes = activite[(activite[colonne] == code).to_numpy() & (activite["pass_distribues"] > 0).to_numpy()]
    par_commune = lignes.groupby("code_commune", observed=True).agg(
        pass_distribues=("pass_distribues", "sum"), code_epci=("code_epci", "first")
    )
    par_commune = par_commune[par_commune["pass_distribues"] > 0].reset_index()
    par_commune[["code_commune", "code_epci"]] = par_commune[["code_commune", "code_epci"]].astype(str)
    acceptants = table[table["accepte_pass"]]
    epci_servis = set(acceptants.loc[acceptants["code_epci"] != HORS_EPCI, "code_epci"])
    communes_servies = set(acceptants["code_commune"])
    hors_epci = par_commune["code_epci"] == HORS_EPCI
    servie = np.where(
        hors_epci,
        par_commune["code_commune"].isin(communes_servies),
        par_commune["code_epci"].isin(epci_servis),
    )
    sans = par_commune[~servie].copy()
    sans["commune"] = sans["code_commune"].map(noms_communes(engine)).fillna(sans["code_commune"])
    sans["epci"] = sans["code_epci"].map(_noms_epci(engine)).fillna("hors EPCI")
    sans = sans.astype({"pass_distribues": "int64"}).rename(columns={"code_commune": "code"})
    sans = sans.sort_values(["pass_distribues", "commune"], ascending=[False, True])
    return sans[["code", "commune", "epci", "pass_distribues"]].reset_index(drop=True)


def _noms_epci(engine: Engine) -> dict[str, str]:
    return memoiser(engine, _lire_noms_epci, partage=True)


def _lire_noms_epci(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        return dict(
            connection.execute(
                select(Territoire.code, Territoire.nom).where(Territoire.niveau == "epci")
            ).all()
        )
