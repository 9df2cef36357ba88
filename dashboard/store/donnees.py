"""What every view reads once per data version: the reference geography, the laureates' perimeters, their
conventions and orders, the monthly aggregates, and the names of territories, communes and structures.

Each public function here is memoised (dashboard.store.memoire) and hands out a shared, read-only object:
filter it (that makes new frames), never modify it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, String, cast, func, select

from dashboard.domain.mois import indices_mois
from dashboard.domain.vocabulaire import HORS_EPCI, NIVEAUX_TERRITORIAUX
from dashboard.store.memoire import memoiser
from dashboard.store.schema import (
    ActiviteMensuelle,
    ActiviteStructureMensuelle,
    Convention,
    Porteur,
    Structure,
    SyndicatMembre,
    Territoire,
)

COLONNE_NIVEAU = {"region": "code_region", "departement": "code_departement", "epci": "code_epci"}
MONTANTS = ("budget_total_eur", "subvention_etat_engagee_eur", "subvention_etat_versee_eur")
COLONNES_CODES = ("code_commune", "code_region", "code_departement", "code_epci")


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
        perimetre = perimetres(connection, porteurs, communes)
    # Each perimeter commune with its parents and population, joined once here rather than at every
    # interaction; codes as categories, so that selections and groupings work on integers.
    perimetre = perimetre.merge(communes, left_on="code_commune", right_on="code").drop(columns="code")
    perimetre["code_epci"] = perimetre["code_epci"].fillna(HORS_EPCI)
    return communes, _categories(perimetre, ["siren", *COLONNES_CODES])


def reference(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The communes (code, parents, population) and every laureate's perimeter (siren, code_commune, the
    commune's parents and population): read once per data version, not at every interaction. Shared,
    read-only: never modify them."""
    return memoiser(engine, _lire_reference, partage=True)


def _lire_territoires(engine: Engine) -> pd.DataFrame:
    with engine.connect() as connection:
        return pd.read_sql(
            select(
                Territoire.niveau,
                Territoire.code,
                Territoire.nom,
                Territoire.nature,
                Territoire.code_region,
                Territoire.code_departement,
                Territoire.population,
                Territoire.superficie_km2,
            ).where(Territoire.niveau.in_(NIVEAUX_TERRITORIAUX)),
            connection,
        ).set_index(["niveau", "code"])


def territoires(engine: Engine) -> pd.DataFrame:
    """Régions, départements and EPCIs (index niveau, code; name, nature, parents, population, area),
    read once per data version. Shared, read-only."""
    return memoiser(engine, _lire_territoires, partage=True)


@dataclass(frozen=True)
class Programme:
    """The laureates' conventions: one row per laureate and wave, with its date (orders follow the
    convention in force: dashboard.store.attribution)."""

    conventions: pd.DataFrame


def _lire_programme(engine: Engine) -> Programme:
    with engine.connect() as connection:
        conventions = pd.read_sql(
            select(
                Porteur.siren,
                Porteur.nom,
                Porteur.type,
                Porteur.code_territoire,
                Convention.vague,
                Convention.date_convention,
                Convention.budget_total_eur,
                Convention.subvention_etat_eur.label("subvention_etat_engagee_eur"),
                func.coalesce(Convention.subvention_versee_eur, 0).label("subvention_etat_versee_eur"),
            ).join(Convention, Convention.siren_porteur == Porteur.siren),
            connection,
        )
    for colonne in MONTANTS:
        conventions[colonne] = conventions[colonne].astype(float)
    return Programme(conventions)


def programme(engine: Engine) -> Programme:
    """Read once per data version. Shared, read-only."""
    return memoiser(engine, _lire_programme, partage=True)


def _categories(table: pd.DataFrame, colonnes) -> pd.DataFrame:
    return table.astype({c: "category" for c in colonnes if c in table})


def _lire_agregats(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The monthly aggregate tables, each row with the région, département and EPCI of its commune,
    its month index (`mois_indice`) and its codes as categories."""
    communes, _ = reference(engine)
    a, s = ActiviteMensuelle, ActiviteStructureMensuelle
    with engine.connect() as connection:
        activite = lignes_brutes(
            connection,
            select(
                a.siren_porteur,
                a.code_commune,
                _texte(a.mois),
                a.pass_distribues,
                a.pass_utilises,
                a.pass_non_rembourses,
                a.pass_rembourses,
            ),
        )
        structures = lignes_brutes(
            connection,
            select(s.siren_porteur, s.siret, s.role, _texte(s.mois), s.code_commune, s.nb_pass).where(
                s.nb_pass > 0
            ),
        )
    return _avec_parents(activite, communes), _avec_parents(structures, communes)


def lignes_brutes(connection: Connection, requete) -> pd.DataFrame:
    """The rows of `requete` as the driver hands them out, without SQLAlchemy's conversion of each value
    (a date comes as the driver gives it: select it as text, `_texte`): the large reads at start-up,
    about twice as fast as pd.read_sql."""
    resultat = connection.execute(requete)
    try:
        colonnes = list(resultat.keys())
        return pd.DataFrame.from_records(resultat.cursor.fetchall(), columns=colonnes, coerce_float=False)
    finally:
        resultat.close()


def _texte(mois):
    """A date column read as ISO text (AAAA-MM-JJ on both engines)."""
    return cast(mois, String).label(mois.key)


def _avec_parents(table: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """The rows whose commune is in the reference (every imported one is), with its région, département
    and EPCI (HORS_EPCI: none); `mois` as a date and `mois_indice`; the codes as categories. Each distinct
    value is converted once: the parents are looked up per commune, not per row."""
    commune = _categorie(table["code_commune"])
    rangs = pd.Index(communes["code"]).get_indexer(commune.categories)
    if (rangs < 0).any():  # not in the reference: left out, as an inner join would
        table = table[rangs[commune.codes] >= 0].reset_index(drop=True)
        commune = _categorie(table["code_commune"])
        rangs = pd.Index(communes["code"]).get_indexer(commune.categories)
    colonnes = {c: _categorie(table[c]) for c in ("siren_porteur", "siret", "role") if c in table}
    colonnes["code_commune"] = commune
    for colonne in ("code_region", "code_departement", "code_epci"):
        parents = communes[colonne].to_numpy(dtype=object)[rangs]
        if colonne == "code_epci":
            parents = pd.Series(parents, dtype=object).fillna(HORS_EPCI).to_numpy()
        colonnes[colonne] = _categorie(parents, commune.codes)
    mois = pd.Categorical(table["mois"])
    jours = pd.to_datetime(mois.categories, format="%Y-%m-%d").as_unit("s")  # as read_sql's dates
    table = table.assign(mois=jours.take(mois.codes), **colonnes)
    return table.assign(mois_indice=indices_mois(table["mois"]))


def _categorie(valeurs, codes: np.ndarray | None = None) -> pd.Categorical:
    """`valeurs` as a category of sorted codes, hashed once; with `codes`, `valeurs` holds one value per
    code and the rows are `codes` (the parents of the commune of each row)."""
    rangs, distinctes = pd.factorize(np.asarray(valeurs, dtype=object), sort=True)
    if codes is not None:
        rangs = rangs[codes]
    return pd.Categorical.from_codes(rangs, categories=pd.Index(distinctes, dtype="str"))


def agregats(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(activity, structures) in memory, read once per data version: tens of thousands of rows that
    every interaction groups in a few milliseconds, the same way on SQLite and PostgreSQL. Shared,
    read-only: filter them (that makes new frames), never modify them."""
    return memoiser(engine, _lire_agregats, partage=True)


def noms_territoires(engine: Engine, niveau: str) -> pd.DataFrame:
    """code, nom, code_region, population of every territory of the level."""
    return memoiser(engine, _lire_noms_territoires, niveau, partage=True)


def _lire_noms_territoires(engine: Engine, niveau: str) -> pd.DataFrame:
    return territoires(engine).loc[niveau].reset_index()[["code", "nom", "code_region", "population"]]


def noms_regions(engine: Engine) -> dict[str, str]:
    """{code: nom} of the régions."""
    return memoiser(engine, _lire_noms_regions, partage=True)


def _lire_noms_regions(engine: Engine) -> dict[str, str]:
    regions = noms_territoires(engine, "region")
    return dict(zip(regions["code"], regions["nom"], strict=True))


def noms_communes(engine: Engine) -> pd.Series:
    """The name of every commune, by code."""
    return memoiser(engine, _lire_noms_communes, partage=True)


def _lire_noms_communes(engine: Engine) -> pd.Series:
    with engine.connect() as connection:
        communes = pd.read_sql(
            select(Territoire.code, Territoire.nom).where(Territoire.niveau == "commune"), connection
        )
    return communes.set_index("code")["nom"]


def annuaire_structures(engine: Engine) -> pd.DataFrame:
    """siret, role, nom, code_commune of every distributing structure and mediation place."""
    return memoiser(engine, _lire_structures, partage=True)


def _lire_structures(engine: Engine) -> pd.DataFrame:
    with engine.connect() as connection:
        requete = select(Structure.siret, Structure.role, Structure.nom, Structure.code_commune)
        return pd.read_sql(requete, connection)
