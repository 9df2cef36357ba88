"""Points de vigilance from the database: the facts of each laureate at a reference date, the rules as an
administrator set them (table regle_vigilance, read without memoisation), their points, the last
committee (table comite) and the points that are new since it.

`faits(engine, au)` only reads what dates from `au` at the latest (months up to the month of `au`, orders
and conventions up to `au`): the points « at the committee » are `points(engine, au=date du comité)`.
Other modules add their columns through FOURNISSEURS: functions `(engine, au) -> DataFrame` indexed by
siren (the envelopes: part_consommee, part_fenetre_ecoulee, fin_fenetre; the forecast: etat_risque_eur).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
from sqlalchemy import Engine, func, select

from dashboard.domain import vigilance as domaine
from dashboard.domain.filtres import Filtres, Periode
from dashboard.domain.mois import indice_mois
from dashboard.domain.vigilance import Evaluation, Reglage
from dashboard.store import metadonnees
from dashboard.store.comptes import auditer
from dashboard.store.donnees import agregats, programme, reference
from dashboard.store.indicateurs import table_indicateurs
from dashboard.store.memoire import memoiser
from dashboard.store.schema import Comite, Commande, RegleVigilance

Fournisseur = Callable[[Engine, date | None], pd.DataFrame]
# Functions (engine, au) -> DataFrame indexed by siren, whose columns join the facts (unmemoised here:
# each provider memoises what it may; the small tables written by hand are read afresh).


def _enveloppes(engine: Engine, au: date | None) -> pd.DataFrame:
    """The State money of each laureate's conventions (dashboard.store.enveloppes): share consumed, share
    of the window gone, end of the window, remaining subsidy."""
    from dashboard.store.enveloppes import enveloppes_porteurs

    table = enveloppes_porteurs(engine, au)
    colonnes = ["part_consommee", "part_fenetre_ecoulee", "fin_fenetre", "restante_eur", "consommee_eur"]
    if table.empty:
        return pd.DataFrame(columns=colonnes, index=pd.Index([], name="siren", dtype=object))
    return table.set_index("siren")[colonnes]


def _prevision(engine: Engine, au: date | None) -> pd.DataFrame:
    """The forecast of each laureate (dashboard.store.prevision, estimated): the State's money at risk
    of expiry and the passes that will expire unredeemed."""
    from dashboard.store.prevision import prevision_porteurs

    table = prevision_porteurs(engine, au)
    colonnes = ["etat_risque_eur", "pass_expirant_prevus"]
    if table.empty:
        return pd.DataFrame(columns=colonnes, index=pd.Index([], name="siren", dtype=object))
    return table.set_index("siren")[colonnes]


FOURNISSEURS: list[Fournisseur] = [_enveloppes, _prevision]


# --- Facts -------------------------------------------------------------------------------------------


def date_reference(engine: Engine, au: date | None = None) -> date | None:
    """`au`, or the data date."""
    if au is not None:
        return au
    with engine.connect() as connection:
        return metadonnees.date_donnees(connection)


def faits(engine: Engine, au: date | None = None) -> pd.DataFrame:
    """One row per laureate with a convention signed by `au` (index siren): nom, type, region (of most of
    its perimeter's population), vague (of its first convention), vagues; subvention_etat_engagee_eur,
    subvention_etat_versee_eur and per wave v engagee_v, versee_v, date_convention_v; pass_commandes,
    pass_distribues, pass_utilises (up to `au`), taux_utilisation (utilisés ÷ distribués),
    donnees_incoherentes; dernier_retour (first day of the last month with passes handed out or
    redeemed), mois_sans_retour (from it to the reference date; NaN: none), fin_validite (the latest end
    of validity of its orders), mois_silence_validite (from the last return to the end of validity, or to
    the reference date when earlier), pass_en_circulation (fewer passes redeemed than ordered),
    date_reference; then the columns of FOURNISSEURS."""
    base = memoiser(engine, _faits_de_base, au)
    for fournisseur in FOURNISSEURS:
        colonnes = fournisseur(engine, au)
        base = base.join(colonnes[[c for c in colonnes.columns if c not in base.columns]], how="left")
    return base


def _faits_de_base(engine: Engine, au: date | None) -> pd.DataFrame:
    reference_ = date_reference(engine, au)
    conventions = _conventions(engine, au)
    if conventions.empty:
        return pd.DataFrame(index=pd.Index([], name="siren", dtype=object))
    sirens = conventions["siren"].drop_duplicates()
    premieres = conventions.sort_values(["effet", "vague"]).drop_duplicates("siren").set_index("siren")
    table = pd.DataFrame(index=pd.Index(sirens.tolist(), name="siren"))
    table["nom"] = premieres["nom"]
    table["type"] = premieres["type"]
    table["region"] = _regions(engine).reindex(table.index)
    table["vague"] = premieres["vague"].astype(int)
    table["vagues"] = conventions.groupby("siren")["vague"].agg(
        lambda v: ", ".join(str(x) for x in sorted(set(v)))
    )
    sommes = conventions.groupby("siren")[["subvention_etat_engagee_eur", "subvention_etat_versee_eur"]].sum()
    table = table.join(sommes)
    for v in domaine.VAGUES_FAITS:
        une = conventions[conventions["vague"] == v].set_index("siren")
        table[f"engagee_{v}"] = une["subvention_etat_engagee_eur"].reindex(table.index)
        table[f"versee_{v}"] = une["subvention_etat_versee_eur"].reindex(table.index)
        table[f"date_convention_{v}"] = une["effet"].reindex(table.index)
    table = table.join(_flux(engine, au, table.index))
    table = table.join(_retours(engine, au, reference_, table.index))
    table["pass_en_circulation"] = table["pass_commandes"] > table["pass_utilises"]
    table["date_reference"] = pd.Timestamp(reference_) if reference_ else pd.NaT
    return table


def _conventions(engine: Engine, au: date | None) -> pd.DataFrame:
    """The conventions signed by `au` (a convention without date counts from January 1st of its wave),
    with their date of effect."""
    conventions = programme(engine).conventions.copy()
    conventions["effet"] = pd.to_datetime(conventions["date_convention"]).fillna(
        pd.to_datetime(conventions["vague"].astype(str) + "-01-01")
    )
    conventions["siren"] = conventions["siren"].astype(str)
    if au is not None:
        conventions = conventions[conventions["effet"] <= pd.Timestamp(au)]
    return conventions


def _regions(engine: Engine) -> pd.Series:
    _, perimetres = reference(engine)
    parts = perimetres.groupby(["siren", "code_region"], observed=True)["population"].sum().reset_index()
    parts = parts.sort_values(["population", "code_region"], ascending=[False, True]).drop_duplicates("siren")
    return parts.astype({"siren": str, "code_region": str}).set_index("siren")["code_region"]


def _flux(engine: Engine, au: date | None, sirens: pd.Index) -> pd.DataFrame:
    """Passes ordered, handed out and redeemed up to the month of `au` (all of them without `au`), the
    redemption rate utilisés ÷ distribués of those flows (so that nothing after `au` leaks in), and the
    inconsistent funnels (the indicator table's flag; at a past date, the same test on the flows then)."""
    filtres = Filtres(periode=Periode(None, date(au.year, au.month, 1))) if au else Filtres()
    table = table_indicateurs(engine, "porteur", "porteurs", filtres).set_index("code")
    colonnes = ["pass_commandes", "pass_distribues", "pass_utilises"]
    flux = table[colonnes].astype(float).reindex(sirens).fillna(0.0)
    if au is None:
        flux["donnees_incoherentes"] = (
            table["donnees_incoherentes"].reindex(sirens).fillna(False).astype(bool)
        )
    else:
        flux["donnees_incoherentes"] = (flux["pass_utilises"] > flux["pass_distribues"]) | (
            flux["pass_distribues"] > flux["pass_commandes"]
        )
    distribues = flux["pass_distribues"].where(flux["pass_distribues"] > 0)
    flux["taux_utilisation"] = (flux["pass_utilises"] / distribues).where(~flux["donnees_incoherentes"])
    return flux


def _retours(engine: Engine, au: date | None, reference_: date | None, sirens: pd.Index) -> pd.DataFrame:
    activite, _ = agregats(engine)
    garde = (activite["pass_distribues"] > 0) | (activite["pass_utilises"] > 0)
    if au is not None:
        garde &= activite["mois_indice"] <= indice_mois(au)
    lignes = activite[garde.to_numpy()]
    derniers = lignes.groupby(lignes["siren_porteur"].astype(str))["mois"].max()
    resultat = pd.DataFrame(index=sirens)
    resultat["dernier_retour"] = derniers.reindex(sirens)
    indices = resultat["dernier_retour"].map(lambda m: indice_mois(m.date()) if pd.notna(m) else np.nan)
    resultat["mois_sans_retour"] = (
        np.nan if reference_ is None else indice_mois(reference_) - indices.astype(float)
    )
    with engine.connect() as connection:
        requete = select(Commande.siren_porteur, func.max(Commande.fin_validite)).group_by(
            Commande.siren_porteur
        )
        if au is not None:
            requete = requete.where(Commande.date_commande <= au)
        fins = dict(connection.execute(requete).all())
    resultat["fin_validite"] = pd.to_datetime(pd.Series(fins, dtype=object).reindex(sirens))
    if reference_ is None:
        resultat["mois_silence_validite"] = np.nan
    else:
        # The silence while the passes were valid: up to the end of validity of the latest order, or the
        # reference date when earlier (a validity unknown: the reference date).
        echeances = resultat["fin_validite"].map(
            lambda f: (
                min(indice_mois(f.date()), indice_mois(reference_))
                if pd.notna(f)
                else indice_mois(reference_)
            )
        )
        resultat["mois_silence_validite"] = echeances.astype(float) - indices.astype(float)
    return resultat
    return resultat


# --- Settings of the rules -------------------------------------------------------------------------------


def reglages(engine: Engine) -> dict[str, Reglage]:
    """Every rule as set (the defaults where an administrator changed nothing). Read afresh: never
    memoised."""
    resultat = domaine.reglages_par_defaut()
    with engine.connect() as connection:
        lignes = connection.execute(
            select(RegleVigilance.cle, RegleVigilance.active, RegleVigilance.parametres)
        ).all()
    for cle, active, parametres in lignes:
        if cle not in domaine.PAR_CLE:  # a rule since removed from the code
            continue
        try:
            valeurs = domaine.valider_parametres(cle, json.loads(parametres or "{}"))
        except (ValueError, TypeError, AttributeError):  # written by hand and wrong: the defaults
            valeurs = domaine.PAR_CLE[cle].defauts()
        resultat[cle] = Reglage(cle, bool(active), valeurs)
    return resultat


def modifier_regle(
    engine: Engine, cle: str, active: bool, parametres: Mapping[str, object], acteur: str
) -> Reglage:
    """Set a rule (checked: ValueError in French) and journal it (`regle_vigilance_modifiee`, before and
    after). Unchanged: nothing written."""
    if not isinstance(active, bool):
        raise ValueError("« Active » doit être oui ou non.")
    valeurs = domaine.valider_parametres(cle, parametres)
    avant = reglages(engine)[cle]
    apres = Reglage(cle, active, valeurs)
    if avant.active == apres.active and dict(avant.parametres) == dict(apres.parametres):
        return apres
    with engine.begin() as connection:
        existe = connection.execute(select(RegleVigilance.cle).where(RegleVigilance.cle == cle)).first()
        valeurs_ligne = {
            "active": active,
            "parametres": json.dumps(valeurs, sort_keys=True),
            "modifie_le": datetime.now(UTC),
            "modifie_par": acteur[:200],
        }
        if existe:
            connection.execute(
                RegleVigilance.__table__.update().where(RegleVigilance.cle == cle).values(**valeurs_ligne)
            )
        else:
            connection.execute(RegleVigilance.__table__.insert().values(cle=cle, **valeurs_ligne))
    auditer(
        engine,
        acteur,
        "regle_vigilance_modifiee",
        cle,
        {
            "avant": {"active": avant.active, "parametres": dict(avant.parametres)},
            "apres": {"active": apres.active, "parametres": dict(apres.parametres)},
        },
    )
    return apres


# --- Committees and points --------------------------------------------------------------------------------


def dernier_comite(engine: Engine, avant: date | None = None) -> date | None:
    """The date of the latest committee (strictly before `avant` when given)."""
    requete = select(func.max(Comite.date))
    if avant is not None:
        requete = requete.where(Comite.date < avant)
    with engine.connect() as connection:
        return connection.execute(requete).scalar()


def evaluation(
    engine: Engine, au: date | None = None, regles: Mapping[str, Reglage] | None = None
) -> Evaluation:
    """The rules (as set, or `regles`) on the facts at `au`: the ranked points and the rules « sans
    objet »."""
    return domaine.evaluer(faits(engine, au), reglages(engine) if regles is None else regles)


def points(
    engine: Engine, au: date | None = None, regles: Mapping[str, Reglage] | None = None
) -> pd.DataFrame:
    """The ranked points at `au` (domain.vigilance.COLONNES_POINTS)."""
    return evaluation(engine, au, regles).points


def avec_nouveaux(engine: Engine, evaluation_: Evaluation, comite: date | None) -> pd.DataFrame:
    """The points with `nouveau`: present now and absent from the points at the committee's date, under
    the same settings (a threshold changed since makes nothing « nouveau » by itself)."""
    if comite is None:
        return domaine.marquer_nouveaux(evaluation_.points, None)
    # A committee held after the data date saw the data of now: its points are today's.
    donnees = date_reference(engine)
    au_comite = points(engine, min(comite, donnees) if donnees else comite, evaluation_.reglages)
    return domaine.marquer_nouveaux(evaluation_.points, au_comite)


def nouveaux_points(engine: Engine, depuis: date) -> list[dict]:
    """The points of vigilance present now and absent at the committee of `depuis`, ranked, each with
    `texte`: « Règle — Lauréat : chiffre » (the committee deck's slide)."""
    marques = avec_nouveaux(engine, evaluation(engine), depuis)
    nouveaux = marques[marques["nouveau"]]
    return [
        {**ligne, "texte": f"{domaine.regle(ligne['regle']).libelle} — {ligne['nom']} : {ligne['chiffre']}"}
        for ligne in nouveaux.to_dict("records")
    ]
