"""The indicator table of the dashboard, for any filters, level and view, read from the aggregate tables.

Views: "porteurs" gives one row per laureate (niveau "porteur"), or at a territorial level each laureate's
figures split over the territories of its perimeter; "territoires" gives one row per région, département
or EPCI, with activity counted where it happened (the commune of the distribution/redemption). Amounts
and orders have no place: they are split over territories in proportion to the perimeter's population.
"""

from __future__ import annotations

import itertools
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, func, select

from dashboard.domain.delais import delai_median_mois
from dashboard.domain.filtres import Filtres
from dashboard.domain.indicateurs import BASES, IDS, calculer_derives
from dashboard.store import metadonnees
from dashboard.store.memoire import memoiser
from dashboard.store.schema import (
    ActiviteMensuelle,
    ActiviteStructureMensuelle,
    Commande,
    CommandeMensuelle,
    Convention,
    Porteur,
    SyndicatMembre,
    Territoire,
)

NIVEAUX_TERRITORIAUX = ("region", "departement", "epci")
COLONNE_NIVEAU = {"region": "code_region", "departement": "code_departement", "epci": "code_epci"}
MONTANTS = ("budget_total_eur", "subvention_etat_engagee_eur", "subvention_etat_versee_eur")


def table_indicateurs(engine: Engine, niveau: str, vue: str | None, filtres: Filtres) -> pd.DataFrame:
    """Columns: niveau, code, nom, then every indicator id of the registry."""
    vue = vue or ("porteurs" if niveau == "porteur" else "territoires")
    if niveau == "porteur" and vue != "porteurs":
        raise ValueError("Le niveau « porteur » n'existe que dans la vue « porteurs ».")
    if niveau != "porteur" and niveau not in NIVEAUX_TERRITORIAUX:
        raise ValueError(f"Niveau inconnu « {niveau} » : porteur, region, departement ou epci.")
    communes, tous_perimetres = reference(engine)
    with engine.connect() as connection:
        laureats = laureats_selectionnes(connection, filtres, communes, tous_perimetres)
        if niveau == "porteur":
            table = _table_porteurs(connection, agregats(engine), laureats, filtres, communes)
        else:
            table = _table_territoires(connection, agregats(engine), laureats, filtres, communes, niveau, vue)
    table = calculer_derives(table)
    return _filtrer_plages(table, filtres).reset_index(drop=True)[["niveau", "code", "nom", *IDS]]


# --- Reference and perimeters --------------------------------------------------------------------


def communes_reference(connection: Connection) -> pd.DataFrame:
    requete = select(
        Territoire.code,
        Territoire.code_region,
        Territoire.code_departement,
        Territoire.code_epci,
        Territoire.population,
    ).where(Territoire.niveau == "commune")
    communes = pd.read_sql(requete, connection)
    communes["population"] = communes["population"].fillna(0).astype("int64")
    return communes


def perimetres(connection: Connection, porteurs: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """(siren, code_commune) for every commune of each laureate's perimeter; a syndicat's is the union
    of its members' territories."""
    morceaux = []
    for type_, colonne in (("CR", "code_region"), ("CD", "code_departement"), ("EPCI", "code_epci")):
        p = porteurs.loc[porteurs["type"] == type_, ["siren", "code_territoire"]]
        morceaux.append(p.merge(communes, left_on="code_territoire", right_on=colonne)[["siren", "code"]])
    syndicats = porteurs.loc[porteurs["type"] == "SM", "siren"].tolist()
    if syndicats:
        membres = pd.read_sql(
            select(
                SyndicatMembre.siren_syndicat, SyndicatMembre.niveau_membre, SyndicatMembre.code_membre
            ).where(SyndicatMembre.siren_syndicat.in_(syndicats)),
            connection,
        )
        colonnes = {"departement": "code_departement", "epci": "code_epci", "commune": "code"}
        for niveau_membre, colonne in colonnes.items():
            m = membres[membres["niveau_membre"] == niveau_membre]
            jointure = m.merge(communes, left_on="code_membre", right_on=colonne)
            morceaux.append(jointure.rename(columns={"siren_syndicat": "siren"})[["siren", "code"]])
    resultat = pd.concat(morceaux, ignore_index=True).drop_duplicates()
    return resultat.rename(columns={"code": "code_commune"})


def _lire_reference(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    with engine.connect() as connection:
        communes = communes_reference(connection)
        porteurs = pd.read_sql(select(Porteur.siren, Porteur.type, Porteur.code_territoire), connection)
        return communes, perimetres(connection, porteurs, communes)


def reference(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The communes (code, parents, population) and every laureate's perimeter (siren, code_commune):
    read once per data version, not at every interaction. Shared, read-only: never modify them."""
    return memoiser(engine, _lire_reference, partage=True)


def laureats_selectionnes(
    connection: Connection, filtres: Filtres, communes: pd.DataFrame, tous_perimetres: pd.DataFrame
) -> pd.DataFrame:
    """One row per laureate kept by the wave, type, région and subsidy filters, with its convention
    amounts (summed over the selected waves) and its perimeter (`perimetre`: siren, code_commune)."""
    requete = (
        select(
            Porteur.siren,
            Porteur.nom,
            Porteur.type,
            Porteur.code_territoire,
            func.sum(Convention.budget_total_eur).label("budget_total_eur"),
            func.sum(Convention.subvention_etat_eur).label("subvention_etat_engagee_eur"),
            func.sum(func.coalesce(Convention.subvention_versee_eur, 0)).label("subvention_etat_versee_eur"),
        )
        .join(Convention, Convention.siren_porteur == Porteur.siren)
        .group_by(Porteur.siren, Porteur.nom, Porteur.type, Porteur.code_territoire)
    )
    if filtres.vagues:
        requete = requete.where(Convention.vague.in_(filtres.vagues))
    if filtres.types:
        requete = requete.where(Porteur.type.in_(filtres.types))
    laureats = pd.read_sql(requete, connection)
    for colonne in MONTANTS:
        laureats[colonne] = laureats[colonne].astype(float)
    if filtres.subvention:
        laureats = laureats[laureats["subvention_etat_engagee_eur"].map(filtres.subvention.contient)]
    perimetre = tous_perimetres[tous_perimetres["siren"].isin(laureats["siren"])]
    if filtres.regions:
        dans_region = perimetre.merge(communes, left_on="code_commune", right_on="code")
        gardes = set(dans_region.loc[dans_region["code_region"].isin(filtres.regions), "siren"])
        laureats = laureats[laureats["siren"].isin(gardes)]
        perimetre = perimetre[perimetre["siren"].isin(gardes)]
    laureats = laureats.reset_index(drop=True)
    laureats.attrs["perimetre"] = perimetre
    return laureats


# --- Sums from the aggregate tables --------------------------------------------------------------


def _lire_agregats(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The monthly aggregate tables, each row with the région, département and EPCI of its commune."""
    communes, _ = reference(engine)
    parents = communes.rename(columns={"code": "code_commune"})[
        ["code_commune", "code_region", "code_departement", "code_epci"]
    ]
    a, s = ActiviteMensuelle, ActiviteStructureMensuelle
    with engine.connect() as connection:
        activite = pd.read_sql(
            select(a.siren_porteur, a.code_commune, a.mois, a.pass_distribues, a.pass_utilises), connection
        )
        structures = pd.read_sql(
            select(s.siren_porteur, s.siret, s.role, s.mois, s.code_commune).where(s.nb_pass > 0), connection
        )
    resultat = []
    for table in (activite, structures):
        table = table.merge(parents, on="code_commune")  # every imported commune is in the reference
        table["mois"] = pd.to_datetime(table["mois"])
        resultat.append(table)
    return resultat[0], resultat[1]


def agregats(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(activity, structures) in memory, read once per data version: tens of thousands of rows that
    every interaction groups in a few milliseconds, the same way on SQLite and PostgreSQL. Shared,
    read-only: filter them (that makes new frames), never modify them."""
    return memoiser(engine, _lire_agregats, partage=True)


def selection(table: pd.DataFrame, sirens, filtres: Filtres, avec_periode: bool = True) -> pd.DataFrame:
    garde = table["siren_porteur"].isin(sirens)
    if avec_periode and filtres.periode:
        mois = table["mois"]
        garde &= (mois >= pd.Timestamp(filtres.periode.debut)) & (mois <= pd.Timestamp(filtres.periode.fin))
    return table[garde]


def _sommes_activite(activite: pd.DataFrame, sirens, filtres: Filtres, cle: str) -> pd.DataFrame:
    """Passes distributed and redeemed in the period, grouped by the column `cle`."""
    return selection(activite, sirens, filtres).groupby(cle)[["pass_distribues", "pass_utilises"]].sum()


def _structures(structures: pd.DataFrame, sirens, filtres: Filtres, cle: str) -> pd.DataFrame:
    comptes = selection(structures, sirens, filtres).groupby([cle, "role"])["siret"].nunique().unstack("role")
    return comptes.reindex(columns=["lieu", "distributeur"]).rename(
        columns={"lieu": "lieux_actifs", "distributeur": "structures_distributrices"}
    )


def _delais(activite: pd.DataFrame, sirens, filtres: Filtres, cle: str) -> pd.Series:
    """Median delay per group, the matching made over the whole history (the period only picks the
    redemptions counted)."""
    series = (
        selection(activite, sirens, filtres, avec_periode=False)
        .groupby([cle, "mois"], sort=True)[["pass_distribues", "pass_utilises"]]
        .sum()
        .reset_index()
    )
    if series.empty:
        return pd.Series(dtype=float)
    codes = series[cle].to_numpy()
    mois = list(series["mois"].dt.date)
    distribues, utilises = series["pass_distribues"].tolist(), series["pass_utilises"].tolist()
    debut, fin = (filtres.periode.debut, filtres.periode.fin) if filtres.periode else (None, None)
    coupures = [0, *(np.flatnonzero(codes[1:] != codes[:-1]) + 1).tolist(), len(codes)]
    return pd.Series(
        {
            codes[i]: delai_median_mois(mois[i:j], distribues[i:j], utilises[i:j], debut, fin)
            for i, j in itertools.pairwise(coupures)
        },
        dtype=float,
    )


def _commandes(connection: Connection, activite: pd.DataFrame, sirens: list[str]) -> pd.DataFrame:
    """Passes ordered, and passes expired = max(0, passes whose validity ended − passes redeemed)."""
    commandes = pd.read_sql(
        select(
            CommandeMensuelle.siren_porteur.label("siren"),
            func.sum(CommandeMensuelle.pass_commandes).label("pass_commandes"),
        )
        .where(CommandeMensuelle.siren_porteur.in_(sirens))
        .group_by(CommandeMensuelle.siren_porteur),
        connection,
    ).set_index("siren")
    echeance = metadonnees.date_donnees(connection) or date.today()
    echus = pd.read_sql(
        select(
            Commande.siren_porteur.label("siren"),
            func.sum(Commande.nb_carnets * Commande.pass_par_carnet).label("echus"),
        )
        .where(Commande.siren_porteur.in_(sirens), Commande.fin_validite < echeance)
        .group_by(Commande.siren_porteur),
        connection,
    ).set_index("siren")["echus"]
    utilises = _sommes_activite(activite, sirens, Filtres(), "siren_porteur")["pass_utilises"]
    commandes["pass_expires"] = (
        echus.reindex(commandes.index).fillna(0) - utilises.reindex(commandes.index).fillna(0)
    ).clip(lower=0)
    return commandes


# --- The two views -------------------------------------------------------------------------------


def _table_porteurs(
    connection: Connection, donnees: tuple, laureats: pd.DataFrame, filtres: Filtres, communes: pd.DataFrame
) -> pd.DataFrame:
    activite, structures = donnees
    sirens = laureats["siren"].tolist()
    cle = "siren_porteur"
    perimetre = laureats.attrs["perimetre"]
    population = (
        perimetre.merge(communes, left_on="code_commune", right_on="code")
        .groupby("siren")["population"]
        .sum()
    )
    table = laureats.set_index("siren").join(
        [
            _commandes(connection, activite, sirens),
            _sommes_activite(activite, sirens, filtres, cle),
            _structures(structures, sirens, filtres, cle),
            _delais(activite, sirens, filtres, cle).rename("delai_median_mois"),
            population.rename("population_couverte"),
        ]
    )
    table = _completer(table)
    return table.reset_index(names="code").assign(niveau="porteur").sort_values("code")


def _parts(laureats: pd.DataFrame, communes: pd.DataFrame, niveau: str) -> pd.DataFrame:
    """Share of each laureate's perimeter population lying in each territory of the level."""
    perimetre = laureats.attrs["perimetre"].merge(communes, left_on="code_commune", right_on="code")
    par_territoire = perimetre.groupby(["siren", COLONNE_NIVEAU[niveau]])["population"].sum()
    total = par_territoire.groupby(level="siren").transform("sum")
    return (par_territoire / total.where(total > 0)).fillna(0).rename("part").reset_index()


def _repartir(valeurs: pd.DataFrame, parts: pd.DataFrame, niveau: str) -> pd.DataFrame:
    """Split per-laureate sums over territories by population share."""
    jointure = parts.merge(valeurs, left_on="siren", right_index=True)
    colonnes = [c for c in valeurs.columns if c in jointure]
    reparti = jointure[colonnes].mul(jointure["part"], axis=0)
    return reparti.groupby(jointure[COLONNE_NIVEAU[niveau]]).sum()


def _table_territoires(
    connection: Connection,
    donnees: tuple,
    laureats: pd.DataFrame,
    filtres: Filtres,
    communes: pd.DataFrame,
    niveau: str,
    vue: str,
) -> pd.DataFrame:
    activite, structures = donnees
    sirens = laureats["siren"].tolist()
    parts = _parts(laureats, communes, niveau)
    par_laureat = laureats.set_index("siren")[list(MONTANTS)].join(_commandes(connection, activite, sirens))
    colonne = COLONNE_NIVEAU[niveau]
    couverts = communes[communes["code"].isin(laureats.attrs["perimetre"]["code_commune"])]
    morceaux = [
        _repartir(par_laureat, parts, niveau),
        couverts.groupby(colonne)["population"].sum().rename("population_couverte"),
    ]
    if vue == "territoires":
        cle = colonne
        morceaux += [
            _sommes_activite(activite, sirens, filtres, cle),
            _structures(structures, sirens, filtres, cle),
            _delais(activite, sirens, filtres, cle).rename("delai_median_mois"),
        ]
    else:
        activite_laureats = _sommes_activite(activite, sirens, filtres, "siren_porteur")
        morceaux.append(_repartir(activite_laureats, parts, niveau))
    table = pd.concat(morceaux, axis=1)
    table.index.name = "code"
    if filtres.regions:
        table = table[table.index.isin(_codes_dans_regions(connection, niveau, filtres.regions))]
    noms = pd.read_sql(select(Territoire.code, Territoire.nom).where(Territoire.niveau == niveau), connection)
    table = _completer(table).join(noms.set_index("code"))
    return table.reset_index().assign(niveau=niveau).sort_values("code")


def _codes_dans_regions(connection: Connection, niveau: str, regions: tuple[str, ...]) -> set[str]:
    if niveau == "region":
        return set(regions)
    codes = connection.scalars(
        select(Territoire.code).where(Territoire.niveau == niveau, Territoire.code_region.in_(regions))
    )
    return set(codes)


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
        garde &= table["pass_distribues"].map(filtres.distribues.contient).to_numpy(dtype=bool)
    if filtres.taux:
        taux = table["taux_utilisation"]
        garde &= (
            taux.notna() & taux.map(lambda t: filtres.taux.contient(t) if pd.notna(t) else False)
        ).to_numpy(dtype=bool)
    return table[garde]
