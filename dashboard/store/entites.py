"""What the territory page, the laureate page and the comparison show about one entity: a territory
(région, département, EPCI) or a laureate, read from the same memoised aggregates as the national view.

An entity is named by an identifier `niveau:code` ("departement:44", "epci:200067106",
"porteur:200046977"), the form used in `/comparer?ids=…`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Engine, func, select

from dashboard.domain import liens
from dashboard.domain.delais import cohortes, cohortes_trimestrielles
from dashboard.domain.filtres import Filtres
from dashboard.domain.formatage import nombre
from dashboard.domain.indicateurs import PAR_ID, Nature
from dashboard.domain.mois import indice_mois, mois_de_indice
from dashboard.domain.numeros import additionner_cohortes, cohortes_exactes
from dashboard.domain.vocabulaire import (
    NATURES_EPCI,
    NIVEAU_DU_TYPE,
    NIVEAUX_TERRITORIAUX,
    libelle_nature_epci,
    libelle_niveau,
    libelle_type,
)
from dashboard.store.attribution import attribution
from dashboard.store.donnees import (
    COLONNE_NIVEAU,
    agregats,
    annuaire_structures,
    noms_communes,
    programme,
    reference,
    territoires,
)
from dashboard.store.indicateurs import laureats_et_perimetre, masque, table_indicateurs
from dashboard.store.memoire import memoiser
from dashboard.store.schema import ActiviteSansSiretMensuelle, Convention, SyndicatMembre

FACTEUR_PAIRS = 2.0  # comparable peers: population between ÷2 and ×2
MIN_PAIRS = 4  # fewer than that in the band: the nearest populations instead


@dataclass(frozen=True)
class Entite:
    niveau: str  # region, departement, epci or porteur
    code: str  # territory code, or the laureate's SIREN
    nom: str
    type_libelle: str  # "Département", "Communauté d'agglomération (EPCI)", "Conseil départemental"
    type_pair: str  # what makes peers comparable: the level (and EPCI nature), or the laureate type
    population: float  # inhabitants (territory), or population covered (laureate)
    superficie_km2: float | None = None
    region: str | None = None  # code of the région it lies in (its perimeter's, for a laureate)
    parents: tuple[tuple[str, str, str], ...] = field(default_factory=tuple)  # (niveau, code, nom)

    @property
    def identifiant(self) -> str:
        return liens.identifiant(self.niveau, self.code)

    @property
    def chemin(self) -> str:
        return liens.chemin(self.niveau, self.code)


# --- Identity ------------------------------------------------------------------------------------


def entite(engine: Engine, niveau: str, code: str) -> Entite | None:
    """The entity, or None when the code is unknown (the page then answers 404)."""
    if niveau == "porteur":
        return _porteur(engine, code)
    if niveau not in NIVEAUX_TERRITORIAUX:
        return None
    reference_territoires = territoires(engine)
    if (niveau, code) not in reference_territoires.index:
        return None
    t = reference_territoires.loc[(niveau, code)]
    parents = []
    if niveau != "region" and isinstance(t["code_region"], str):
        parents.append(("region", t["code_region"], _nom(reference_territoires, "region", t["code_region"])))
    if niveau == "epci" and isinstance(t["code_departement"], str):
        code_dep = t["code_departement"]
        parents.append(("departement", code_dep, _nom(reference_territoires, "departement", code_dep)))
    type_libelle = libelle_niveau(niveau, majuscule=True)
    type_pair = niveau
    if niveau == "epci" and t["nature"] in NATURES_EPCI:
        type_libelle = libelle_nature_epci(t["nature"])
        type_pair = f"epci-{t['nature']}"
    return Entite(
        niveau=niveau,
        code=code,
        nom=t["nom"],
        type_libelle=type_libelle,
        type_pair=type_pair,
        population=_nombre(t["population"]),
        superficie_km2=None if pd.isna(t["superficie_km2"]) else float(t["superficie_km2"]),
        region=code if niveau == "region" else t["code_region"],
        parents=tuple(parents),
    )


def _porteur(engine: Engine, siren: str) -> Entite | None:
    conventions = programme(engine).conventions
    lignes = conventions[conventions["siren"] == siren]
    if lignes.empty:
        return None
    premier = lignes.iloc[0]
    _, perimetres = reference(engine)
    perimetre = perimetres[perimetres["siren"] == siren]
    population = float(perimetre["population"].sum())
    regions = perimetre["code_region"].astype(object).value_counts()
    region = str(regions.index[0]) if len(regions) else None
    parents = []
    niveau_territoire = NIVEAU_DU_TYPE.get(premier["type"])
    if niveau_territoire:
        code = premier["code_territoire"]
        parents.append((niveau_territoire, code, _nom(territoires(engine), niveau_territoire, code)))
    return Entite(
        niveau="porteur",
        code=siren,
        nom=premier["nom"],
        type_libelle=libelle_type(premier["type"], pluriel=False, majuscule=True),
        type_pair=f"porteur-{premier['type']}",
        population=population,
        region=region,
        parents=tuple(parents),
    )


def _nom(reference_territoires: pd.DataFrame, niveau: str, code: str) -> str:
    try:
        return str(reference_territoires.loc[(niveau, code), "nom"])
    except KeyError:
        return code


def _nombre(valeur) -> float:
    return 0.0 if valeur is None or pd.isna(valeur) else float(valeur)


def catalogue(engine: Engine) -> pd.DataFrame:
    """niveau, code, nom of every région, département and EPCI (each level by name), then every laureate
    (by name): what can be compared. Memoised."""
    return memoiser(engine, _lire_catalogue, partage=True)


def _lire_catalogue(engine: Engine) -> pd.DataFrame:
    reference_territoires = territoires(engine).reset_index()
    morceaux = [
        reference_territoires[reference_territoires["niveau"] == niveau].sort_values("nom")
        for niveau in NIVEAUX_TERRITORIAUX
    ]
    laureats = table_du_niveau(engine, "porteur").sort_values("nom").assign(niveau="porteur")
    morceaux.append(laureats)
    return pd.concat([m[["niveau", "code", "nom"]] for m in morceaux], ignore_index=True)


# --- Indicators, laureates, conventions ------------------------------------------------------------


TOUT = Filtres()


def table_du_niveau(engine: Engine, niveau: str, filtres: Filtres = TOUT) -> pd.DataFrame:
    """The indicator table of every entity of the level: territories as places of activity (the
    "territoires" view), laureates on their perimeter."""
    return table_indicateurs(engine, niveau, "porteurs" if niveau == "porteur" else "territoires", filtres)


def indicateurs(engine: Engine, ent: Entite, filtres: Filtres = TOUT) -> pd.Series:
    """The entity's row of indicators; a territory without activity gets its row with zeros and
    "no data" rates (never a missing page)."""
    table = table_du_niveau(engine, ent.niveau, filtres).set_index("code")
    if ent.code in table.index:
        return table.loc[ent.code]
    # Object dtype: the row holds names beside numbers (pandas 3 refuses a string in a float Series).
    vide = pd.Series(np.nan, index=table.columns, dtype=object)
    for colonne in table.columns:
        ind = PAR_ID.get(colonne)
        if ind is not None and ind.nature == Nature.STOCK and colonne not in INCONNUS_SANS_ACTIVITE:
            vide[colonne] = 0.0  # nothing ordered, handed out, redeemed, paid here
    for colonne in ("donnees_incoherentes", "chiffres_exacts"):
        if colonne in vide.index:
            vide[colonne] = False  # nothing to call exact: no numbered pass passed through here
    vide["nom"], vide["niveau"] = ent.nom, ent.niveau
    return vide


# Counts that stay "no data" without activity: the expired passes of orders that do not exist.
INCONNUS_SANS_ACTIVITE = ("pass_expires", "pass_non_rembourses", "montant_non_rembourse_eur")


def laureats_du_territoire(engine: Engine, ent: Entite) -> pd.DataFrame:
    """Laureates whose perimeter covers part of the territory: siren, nom, type, vagues (text),
    subvention_etat_engagee_eur, budget_total_eur."""
    _, perimetre = laureats_et_perimetre(engine, Filtres())
    colonne = COLONNE_NIVEAU[ent.niveau]
    sirens = set(perimetre.loc[perimetre[colonne] == ent.code, "siren"].astype(str))
    conventions = programme(engine).conventions
    lignes = conventions[conventions["siren"].isin(sirens)]
    return _par_laureat(lignes)


def _par_laureat(conventions: pd.DataFrame) -> pd.DataFrame:
    if conventions.empty:
        return pd.DataFrame(
            columns=["siren", "nom", "type", "vagues", "budget_total_eur", "subvention_etat_engagee_eur"]
        )
    groupes = conventions.groupby(["siren", "nom", "type"], as_index=False).agg(
        vagues=("vague", lambda v: ", ".join(str(x) for x in sorted(set(v)))),
        budget_total_eur=("budget_total_eur", "sum"),
        subvention_etat_engagee_eur=("subvention_etat_engagee_eur", "sum"),
    )
    return groupes.sort_values(["subvention_etat_engagee_eur", "nom"], ascending=[False, True])


def conventions_du_porteur(engine: Engine, siren: str) -> pd.DataFrame:
    """One row per convention (wave): vague, date_convention, budget_total_eur, subvention_etat_eur,
    subvention_versee_eur, pass_prevus."""
    with engine.connect() as connection:
        return pd.read_sql(
            select(
                Convention.vague,
                Convention.date_convention,
                Convention.budget_total_eur,
                Convention.subvention_etat_eur,
                Convention.subvention_versee_eur,
                Convention.pass_prevus,
            )
            .where(Convention.siren_porteur == siren)
            .order_by(Convention.vague),
            connection,
        )


# --- Activity over time ------------------------------------------------------------------------------


def _lignes_activite(engine: Engine, ent: Entite, table: pd.DataFrame) -> pd.DataFrame:
    """The aggregate rows of the entity: its laureate's rows, or the rows of activity in the territory."""
    if ent.niveau == "porteur":
        return table[masque(table, [ent.code], Filtres())]
    colonne = COLONNE_NIVEAU[ent.niveau]
    return table[(table[colonne] == ent.code).to_numpy()]


def serie_mensuelle(engine: Engine, ent: Entite) -> pd.DataFrame:
    """mois, pass_distribues, pass_utilises: every month from the first to the data's last, zeros
    included (a month without activity is a fact, not a gap)."""
    activite, _ = agregats(engine)
    lignes = _lignes_activite(engine, ent, activite)
    serie = lignes.groupby("mois_indice")[["pass_distribues", "pass_utilises"]].sum()
    if serie.empty:
        return pd.DataFrame(columns=["mois", "pass_distribues", "pass_utilises"])
    dernier = int(activite["mois_indice"].max())
    tous = range(int(serie.index.min()), dernier + 1)
    serie = serie.reindex(tous, fill_value=0)
    mois = [pd.Timestamp(mois_de_indice(m)) for m in serie.index]
    return pd.DataFrame(
        {
            "mois": mois,
            "pass_distribues": serie["pass_distribues"].astype("int64").to_numpy(),
            "pass_utilises": serie["pass_utilises"].astype("int64").to_numpy(),
        }
    )


def courbes_cohortes(engine: Engine, serie: pd.DataFrame, ent: Entite | None = None) -> pd.DataFrame:
    """Quarterly cohort curves (see domain.delais.cohortes) of an entity's monthly series
    (`serie_mensuelle`): trimestre, k, distribues, part. With the entity `ent`, the passes of its
    laureates whose passes are numbered are followed one by one (exact, domain.numeros.cohortes_exactes),
    the others estimated from their monthly counts."""
    activite, _ = agregats(engine)
    if serie.empty:
        return cohortes_trimestrielles(pd.DataFrame(), 0)
    dernier = int(activite["mois_indice"].max())
    attr = attribution(engine)
    if ent is None or not attr.numerotes:
        mois = [indice_mois(m) for m in serie["mois"]]
        courbes = cohortes(mois, serie["pass_distribues"].tolist(), serie["pass_utilises"].tolist(), dernier)
        return cohortes_trimestrielles(courbes, dernier)
    lignes = _lignes_activite(engine, ent, attr.activite)
    numerotees = masque(lignes, attr.numerotes, Filtres())
    premier = indice_mois(serie["mois"].iloc[0])
    par_mois = [
        lignes[garde].groupby("mois_indice")[["pass_distribues", "pass_utilises"]].sum()
        for garde in (~numerotees, numerotees)
    ]
    estimees, exactes = (p.reindex(range(premier, dernier + 1), fill_value=0) for p in par_mois)
    paires = _lignes_activite(engine, ent, attr.paires)
    courbes = additionner_cohortes(
        cohortes(
            list(estimees.index),
            estimees["pass_distribues"].tolist(),
            estimees["pass_utilises"].tolist(),
            dernier,
        ),
        cohortes_exactes(
            paires["mois_indice"].to_numpy(),
            paires["mois_utilisation"].to_numpy(),
            paires["nb_pass"].to_numpy(),
            list(exactes.index),
            exactes["pass_distribues"].tolist(),
            dernier,
        ),
    )
    return cohortes_trimestrielles(courbes, dernier)


NON_IDENTIFIE = "Non identifié (lignes sans SIRET)"
NOM_SEUL = "{} (nom seul, non identifié)"


def repartition_structures(engine: Engine, ent: Entite, role: str) -> pd.DataFrame:
    """Passes per distributing structure (role "distributeur") or mediation place ("lieu"), largest
    first: siret, nom, commune, nb_pass, part. Lines without SIRET count too, grouped by the name they
    give ("<nom> (nom seul, non identifié)", siret None) or, without one, in NON_IDENTIFIE: the parts
    are taken over all the entity's passes of the role and add up to 100 %."""
    morceaux = [_structures_identifiees(engine, ent, role), _structures_sans_siret(engine, ent, role)]
    morceaux = [m for m in morceaux if not m.empty] or morceaux[:1]
    resultat = pd.concat(morceaux, ignore_index=True)
    total = resultat["nb_pass"].sum()
    resultat["part"] = resultat["nb_pass"] / total if total else np.nan
    resultat = resultat.sort_values(["nb_pass", "nom"], ascending=[False, True], ignore_index=True)
    return resultat[["siret", "nom", "commune", "nb_pass", "part"]]


def _structures_identifiees(engine: Engine, ent: Entite, role: str) -> pd.DataFrame:
    _, structures = agregats(engine)
    lignes = _lignes_activite(engine, ent, structures)
    lignes = lignes[(lignes["role"] == role).to_numpy()]
    sommes = lignes.groupby("siret", observed=True)["nb_pass"].sum().reset_index()
    sommes["siret"] = sommes["siret"].astype(str)
    noms = annuaire_structures(engine)
    noms = noms[noms["role"] == role].drop(columns="role")
    resultat = sommes.merge(noms, on="siret", how="left")
    resultat["commune"] = resultat["code_commune"].map(noms_communes(engine)).fillna(resultat["code_commune"])
    resultat["nom"] = resultat["nom"].fillna("(nom non renseigné)")
    return resultat[["siret", "nom", "commune", "nb_pass"]].astype({"siret": object, "nb_pass": "int64"})


def _structures_sans_siret(engine: Engine, ent: Entite, role: str) -> pd.DataFrame:
    """The entity's lines without SIRET, one row per name they give (and one for those without)."""
    table = passes_sans_siret(engine)
    colonne = "siren_porteur" if ent.niveau == "porteur" else COLONNE_NIVEAU[ent.niveau]
    lignes = table[(table[colonne] == ent.code).to_numpy() & (table["role"] == role).to_numpy()]
    if lignes.empty:
        return pd.DataFrame(columns=["siret", "nom", "commune", "nb_pass"])
    groupes = lignes.groupby("nom", dropna=False, sort=False).agg(
        nb_pass=("nb_pass", "sum"), code_commune=("code_commune", "first"), n=("code_commune", "nunique")
    )
    communes = noms_communes(engine)
    return pd.DataFrame(
        {
            "siret": None,
            "nom": [NON_IDENTIFIE if pd.isna(n) else NOM_SEUL.format(n) for n in groupes.index],
            "commune": [
                communes.get(c, c) if n == 1 else f"{nombre(n)} communes"
                for c, n in zip(groupes["code_commune"], groupes["n"], strict=True)
            ],
            "nb_pass": groupes["nb_pass"].astype("int64").to_numpy(),
        }
    )


def passes_sans_siret(engine: Engine) -> pd.DataFrame:
    """Passes of the event lines without SIRET over the whole period: siren_porteur, role, nom (None:
    the lines give none), code_commune, nb_pass, and the commune's région, département and EPCI. Read
    once per data version. Shared, read-only."""
    return memoiser(engine, _lire_passes_sans_siret, partage=True)


def _lire_passes_sans_siret(engine: Engine) -> pd.DataFrame:
    m = ActiviteSansSiretMensuelle
    cles = (m.siren_porteur, m.role, m.nom, m.code_commune)
    with engine.connect() as connection:
        table = pd.read_sql(select(*cles, func.sum(m.nb_pass).label("nb_pass")).group_by(*cles), connection)
    communes, _ = reference(engine)
    parents = communes.rename(columns={"code": "code_commune"})
    parents = parents[["code_commune", "code_region", "code_departement", "code_epci"]]
    return table.merge(parents, on="code_commune", how="left")


# --- Peers ---------------------------------------------------------------------------------------------


def _populations_du_niveau(engine: Engine, niveau: str) -> pd.DataFrame:
    """code, nom, type_pair, population, region for every entity of the level (laureates included).
    Memoised: the peers and the medians of a page both need it."""
    return memoiser(engine, _lire_populations_du_niveau, niveau)


def _lire_populations_du_niveau(engine: Engine, niveau: str) -> pd.DataFrame:
    if niveau == "porteur":
        conventions = programme(engine).conventions.drop_duplicates("siren")
        _, perimetres = reference(engine)
        population = perimetres.groupby("siren", observed=True)["population"].sum()
        population.index = population.index.astype(str)
        regions = (
            perimetres.groupby(["siren", "code_region"], observed=True)["population"]
            .sum()
            .reset_index()
            .sort_values("population", ascending=False)
            .drop_duplicates("siren")
            .astype({"siren": str, "code_region": str})
            .set_index("siren")["code_region"]
        )
        return pd.DataFrame(
            {
                "code": conventions["siren"].to_numpy(),
                "nom": conventions["nom"].to_numpy(),
                "type_pair": ("porteur-" + conventions["type"]).to_numpy(),
                "population": conventions["siren"].map(population).fillna(0).to_numpy(dtype=float),
                "region": conventions["siren"].map(regions).to_numpy(),
            }
        )
    t = territoires(engine).loc[niveau].reset_index()
    type_pair = niveau if niveau != "epci" else "epci-" + t["nature"].fillna("")
    return pd.DataFrame(
        {
            "code": t["code"],
            "nom": t["nom"],
            "type_pair": type_pair,
            "population": t["population"].fillna(0).astype(float),
            "region": t["code"] if niveau == "region" else t["code_region"],
        }
    )


def pairs(engine: Engine, ent: Entite, indicateur: str = "taux_utilisation") -> pd.DataFrame:
    """The entity and its comparable peers (same type, population between ÷2 and ×2 — or the nearest
    populations when the band holds fewer than MIN_PAIRS), ranked on the indicator (highest first, no
    data last): code, nom, population, valeur, rang, est_entite."""
    candidats = _populations_du_niveau(engine, ent.niveau)
    candidats = candidats[candidats["type_pair"] == ent.type_pair]
    ecart = np.abs(np.log(candidats["population"].clip(lower=1) / max(ent.population, 1)))
    dans_bande = candidats[ecart <= math.log(FACTEUR_PAIRS)]
    if len(dans_bande) - 1 < MIN_PAIRS:
        dans_bande = candidats.loc[ecart.sort_values(kind="stable").index[: MIN_PAIRS + 1]]
    if ent.code not in set(dans_bande["code"]):
        dans_bande = pd.concat([dans_bande, candidats[candidats["code"] == ent.code]])
    valeurs = table_du_niveau(engine, ent.niveau).set_index("code")[indicateur]
    groupe = dans_bande.assign(valeur=dans_bande["code"].map(valeurs))
    groupe = groupe.sort_values(["valeur", "nom"], ascending=[False, True], na_position="last")
    groupe["rang"] = np.arange(1, len(groupe) + 1)
    groupe.loc[groupe["valeur"].isna(), "rang"] = pd.NA
    groupe["est_entite"] = groupe["code"] == ent.code
    colonnes = ["code", "nom", "population", "region", "valeur", "rang", "est_entite"]
    return groupe[colonnes].reset_index(drop=True)


# Per-inhabitant forms of stocks for comparisons (id → label, unit, per how many inhabitants, stock).
PAR_HABITANT = {
    "pass_utilises_pour_1000_habitants": ("Pass utilisés pour 1 000 habitants", 1000, "pass_utilises"),
    "lieux_pour_100000_habitants": ("Lieux actifs pour 100 000 habitants", 100_000, "lieux_actifs"),
}


def avec_par_habitant(table: pd.DataFrame) -> pd.DataFrame:
    population = table["population_couverte"].astype(float)
    population = population.where(population > 0)
    return table.assign(
        **{
            cle: table[stock].astype(float) * par / population
            for cle, (_, par, stock) in PAR_HABITANT.items()
        }
    )


def medianes(engine: Engine, ent: Entite, colonnes: list[str]) -> pd.DataFrame:
    """Median of each indicator over the entity's level nationally and in its région (rows: national,
    regional; columns: the indicators). The entity's level: territories of the same level, or laureates
    of the same type."""
    table = avec_par_habitant(table_du_niveau(engine, ent.niveau))
    populations = _populations_du_niveau(engine, ent.niveau).set_index("code")
    if ent.niveau == "porteur":
        table = table[table["code"].map(populations["type_pair"]) == ent.type_pair]
    regionaux = table[table["code"].map(populations["region"]) == ent.region]
    return pd.DataFrame(
        [table[colonnes].median(numeric_only=True), regionaux[colonnes].median(numeric_only=True)],
        index=["national", "regional"],
    )


# --- Members of a syndicat mixte -----------------------------------------------------------------


def membres_syndicat(engine: Engine, siren: str) -> pd.DataFrame:
    """The members of a syndicat mixte (départements, EPCIs, communes, as its perimeter file or BANATIC
    names them): niveau, code, nom, chemin (its page; None for a commune, which has none). Empty for a
    laureate that is not a syndicat."""
    with engine.connect() as connection:
        membres = pd.read_sql(
            select(SyndicatMembre.niveau_membre, SyndicatMembre.code_membre).where(
                SyndicatMembre.siren_syndicat == siren
            ),
            connection,
        ).rename(columns={"niveau_membre": "niveau", "code_membre": "code"})
    reference_territoires = territoires(engine)
    communes = noms_communes(engine)
    noms = [
        communes.get(code, code) if niveau == "commune" else _nom(reference_territoires, niveau, code)
        for niveau, code in zip(membres["niveau"], membres["code"], strict=True)
    ]
    ordre = {"departement": 0, "epci": 1, "commune": 2}
    return (
        membres.assign(
            nom=noms,
            chemin=[
                None if niveau == "commune" else liens.chemin(niveau, code)
                for niveau, code in zip(membres["niveau"], membres["code"], strict=True)
            ],
            ordre=membres["niveau"].map(ordre),
        )
        .sort_values(["ordre", "nom"], kind="stable")
        .drop(columns="ordre")
        .reset_index(drop=True)
    )
