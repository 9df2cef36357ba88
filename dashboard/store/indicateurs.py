"""The indicator table of the dashboard, for any filters, level and view, read from the aggregate tables.

Views: "porteurs" gives one row per laureate (niveau "porteur"), or at a territorial level each laureate's
figures split over the territories of its perimeter; "territoires" gives one row per région, département
or EPCI, with activity counted where it happened (the commune of the distribution/redemption). Amounts
and orders have no place: they are split over territories in proportion to the perimeter's population.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, and_, distinct, func, select

from dashboard.domain.delais import delai_median_mois
from dashboard.domain.filtres import Filtres
from dashboard.domain.indicateurs import BASES, IDS, calculer_derives
from dashboard.store import metadonnees
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
    with engine.connect() as connection:
        communes = communes_reference(connection)
        laureats = laureats_selectionnes(connection, filtres, communes)
        if niveau == "porteur":
            table = _table_porteurs(connection, laureats, filtres, communes)
        else:
            table = _table_territoires(connection, laureats, filtres, communes, niveau, vue)
    table = calculer_derives(table)
    return _filtrer_plages(table, filtres).reset_index(drop=True)[["niveau", "code", "nom", *IDS]]


def date_des_donnees(connection: Connection) -> date | None:
    valeur = metadonnees.lire(connection, metadonnees.CLE_DATE)
    return date.fromisoformat(valeur) if valeur else None


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


def laureats_selectionnes(connection: Connection, filtres: Filtres, communes: pd.DataFrame) -> pd.DataFrame:
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
    perimetre = perimetres(connection, laureats, communes)
    if filtres.regions:
        dans_region = perimetre.merge(communes, left_on="code_commune", right_on="code")
        gardes = set(dans_region.loc[dans_region["code_region"].isin(filtres.regions), "siren"])
        laureats = laureats[laureats["siren"].isin(gardes)]
        perimetre = perimetre[perimetre["siren"].isin(gardes)]
    laureats = laureats.reset_index(drop=True)
    laureats.attrs["perimetre"] = perimetre
    return laureats


# --- Sums from the aggregate tables --------------------------------------------------------------


def conditions_periode(colonne, filtres: Filtres) -> list:
    if not filtres.periode:
        return []
    return [colonne >= filtres.periode.debut, colonne <= filtres.periode.fin]


def _sommes_activite(connection: Connection, sirens: list[str], filtres: Filtres, cle) -> pd.DataFrame:
    """Passes distributed and redeemed in the period, grouped by `cle` (a column expression)."""
    a = ActiviteMensuelle
    requete = (
        select(
            cle.label("cle"),
            func.sum(a.pass_distribues).label("pass_distribues"),
            func.sum(a.pass_utilises).label("pass_utilises"),
        )
        .where(a.siren_porteur.in_(sirens), *conditions_periode(a.mois, filtres))
        .group_by(cle)
    )
    return pd.read_sql(joindre_commune(requete, a.code_commune, cle), connection).set_index("cle")


def _structures(connection: Connection, sirens: list[str], filtres: Filtres, cle) -> pd.DataFrame:
    s = ActiviteStructureMensuelle
    requete = (
        select(cle.label("cle"), s.role, func.count(distinct(s.siret)).label("nombre"))
        .where(s.siren_porteur.in_(sirens), s.nb_pass > 0, *conditions_periode(s.mois, filtres))
        .group_by(cle, s.role)
    )
    comptes = pd.read_sql(joindre_commune(requete, s.code_commune, cle), connection)
    large = comptes.pivot_table(index="cle", columns="role", values="nombre", aggfunc="sum")
    return large.reindex(columns=["lieu", "distributeur"]).rename(
        columns={"lieu": "lieux_actifs", "distributeur": "structures_distributrices"}
    )


def joindre_commune(requete, colonne_commune, cle):
    """Group by a territory: join the commune of the activity to the reference when `cle` needs it."""
    if cle.table is Territoire.__table__:
        return requete.join(
            Territoire, and_(Territoire.niveau == "commune", Territoire.code == colonne_commune)
        )
    return requete


def _series_mensuelles(connection: Connection, sirens: list[str], cle) -> pd.DataFrame:
    a = ActiviteMensuelle
    requete = (
        select(
            cle.label("cle"),
            a.mois,
            func.sum(a.pass_distribues).label("d"),
            func.sum(a.pass_utilises).label("u"),
        )
        .where(a.siren_porteur.in_(sirens))
        .group_by(cle, a.mois)
        .order_by(cle, a.mois)
    )
    return pd.read_sql(joindre_commune(requete, a.code_commune, cle), connection)


def _delais(connection: Connection, sirens: list[str], filtres: Filtres, cle) -> pd.Series:
    series = _series_mensuelles(connection, sirens, cle)
    debut, fin = (filtres.periode.debut, filtres.periode.fin) if filtres.periode else (None, None)
    return pd.Series(
        {
            code: delai_median_mois(list(g["mois"]), list(g["d"]), list(g["u"]), debut, fin)
            for code, g in series.groupby("cle", sort=False)
        },
        dtype=float,
    )


def _commandes(connection: Connection, sirens: list[str]) -> pd.DataFrame:
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
    echeance = date_des_donnees(connection) or date.today()
    echus = pd.read_sql(
        select(
            Commande.siren_porteur.label("siren"),
            func.sum(Commande.nb_carnets * Commande.pass_par_carnet).label("echus"),
        )
        .where(Commande.siren_porteur.in_(sirens), Commande.fin_validite < echeance)
        .group_by(Commande.siren_porteur),
        connection,
    ).set_index("siren")["echus"]
    utilises = _sommes_activite(connection, sirens, Filtres(), ActiviteMensuelle.siren_porteur)[
        "pass_utilises"
    ]
    commandes["pass_expires"] = (
        echus.reindex(commandes.index).fillna(0) - utilises.reindex(commandes.index).fillna(0)
    ).clip(lower=0)
    return commandes


# --- The two views -------------------------------------------------------------------------------


def _table_porteurs(
    connection: Connection, laureats: pd.DataFrame, filtres: Filtres, communes: pd.DataFrame
) -> pd.DataFrame:
    sirens = laureats["siren"].tolist()
    cle = ActiviteMensuelle.siren_porteur
    perimetre = laureats.attrs["perimetre"]
    population = (
        perimetre.merge(communes, left_on="code_commune", right_on="code")
        .groupby("siren")["population"]
        .sum()
    )
    table = laureats.set_index("siren").join(
        [
            _commandes(connection, sirens),
            _sommes_activite(connection, sirens, filtres, cle),
            _structures(connection, sirens, filtres, ActiviteStructureMensuelle.siren_porteur),
            _delais(connection, sirens, filtres, cle).rename("delai_median_mois"),
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
    laureats: pd.DataFrame,
    filtres: Filtres,
    communes: pd.DataFrame,
    niveau: str,
    vue: str,
) -> pd.DataFrame:
    sirens = laureats["siren"].tolist()
    parts = _parts(laureats, communes, niveau)
    par_laureat = laureats.set_index("siren")[list(MONTANTS)].join(_commandes(connection, sirens))
    colonne = COLONNE_NIVEAU[niveau]
    couverts = communes[communes["code"].isin(laureats.attrs["perimetre"]["code_commune"])]
    morceaux = [
        _repartir(par_laureat, parts, niveau),
        couverts.groupby(colonne)["population"].sum().rename("population_couverte"),
    ]
    if vue == "territoires":
        cle = getattr(Territoire, colonne)
        morceaux += [
            _sommes_activite(connection, sirens, filtres, cle),
            _structures(connection, sirens, filtres, cle),
            _delais(connection, sirens, filtres, cle).rename("delai_median_mois"),
        ]
    else:
        activite = _sommes_activite(connection, sirens, filtres, ActiviteMensuelle.siren_porteur)
        morceaux.append(_repartir(activite, parts, niveau))
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
