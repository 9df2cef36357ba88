"""The State's money, convention by convention (dashboard.domain.enveloppes): committed, paid, consumed by
the passes ordered, left, the window in which it can be spent, and the progress towards the passes
planned; summed by laureate, by wave (beside the national envelope of the wave, EnveloppeVague), for a
territory and for the selection of the national view.

Orders are imputed to a wave as everywhere else (dashboard.store.attribution: the file's `vague`, else
the convention in force on the order date), and the passes handed out follow their orders first in,
first out (the per-wave columns of `attribution(engine).activite`).

`au` (a date, None: the data's date): only what dates from `au` or before counts — orders dated on or
before it, months of activity up to its month, conventions signed on or before it; amounts paid are not
dated and are taken as they stand.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Engine, insert, select, update

from dashboard.domain import enveloppes as regles
from dashboard.domain.filtres import Filtres
from dashboard.domain.mois import indice_mois
from dashboard.domain.vocabulaire import VAGUES
from dashboard.store import metadonnees
from dashboard.store.attribution import attribution, vague_en_vigueur
from dashboard.store.comptes import auditer, maintenant
from dashboard.store.memoire import memoiser
from dashboard.store.schema import Commande, Convention, EnveloppeVague, Porteur, Vague

COLONNES_CONVENTIONS = [
    "siren",
    "nom",
    "type",
    "code_region",
    "vague",
    "date_convention",
    "part_etat",
    "budget_total_eur",
    "engagee_eur",
    "versee_eur",
    "pass_commandes",
    "montant_commande_eur",
    "consommee_eur",
    "depassement_eur",
    "restante_eur",
    "part_consommee",
    "debut_fenetre",
    "fin_fenetre",
    "part_fenetre_ecoulee",
    "pass_prevus",
    "pass_distribues",
    "avancement_objectif",
    "statut_objectif",
    "distribues_estimes",
]
SOMMES = (
    "budget_total_eur",
    "engagee_eur",
    "versee_eur",
    "pass_commandes",
    "montant_commande_eur",
    "consommee_eur",
    "depassement_eur",
    "restante_eur",
    "pass_distribues",
)
NON_FIXEE = "non fixée"


# --- Per convention -----------------------------------------------------------------------------------


def enveloppes_conventions(engine: Engine, au: date | None = None) -> pd.DataFrame:
    """One row per convention (COLONNES_CONVENTIONS): the State's money and the progress towards its
    passes planned, at `au` (None: the data's date). Memoised per data version and date."""
    return memoiser(engine, _calculer_conventions, au)


def date_de_reference(engine: Engine, au: date | None = None) -> date:
    """`au`, else the date of the data (else today)."""
    if au is not None:
        return au
    with engine.connect() as connection:
        return metadonnees.date_donnees(connection) or date.today()


def _lire(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame]:
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
                Convention.subvention_etat_eur,
                Convention.subvention_versee_eur,
                Convention.pass_prevus,
            ).join(Convention, Convention.siren_porteur == Porteur.siren),
            connection,
        )
        commandes = pd.read_sql(
            select(
                Commande.id,
                Commande.siren_porteur.label("siren"),
                Commande.date_commande,
                (Commande.nb_carnets * Commande.pass_par_carnet).label("pass_commandes"),
                Commande.valeur_faciale_eur,
                Commande.fin_validite,
                Commande.vague.label("vague_explicite"),
            ),
            connection,
        )
    conventions["date_convention"] = [_date(d) for d in conventions["date_convention"]]
    for colonne in ("date_commande", "fin_validite"):
        commandes[colonne] = [_date(d) for d in commandes[colonne]]
    return conventions, commandes


def _date(valeur) -> date | None:
    if valeur is None or (not isinstance(valeur, date) and pd.isna(valeur)):
        return None
    if isinstance(valeur, pd.Timestamp):
        return valeur.date()
    if isinstance(valeur, str):
        return date.fromisoformat(valeur[:10])
    return valeur if type(valeur) is date else valeur.date()


def _calculer_conventions(engine: Engine, au: date | None) -> pd.DataFrame:
    conventions, commandes = _lire(engine)
    jour = date_de_reference(engine, au)
    # The wave of each order, as the attribution imputes it (dashboard.store.attribution).
    explicite = pd.to_numeric(commandes.pop("vague_explicite"), errors="coerce")
    commandes = commandes.assign(vague=explicite.fillna(vague_en_vigueur(conventions, commandes)))
    # Boolean arrays, not lists: an empty list would select no column.
    commandes = commandes.loc[np.array([d <= jour for d in commandes["date_commande"]], dtype=bool)]
    conventions = conventions.loc[
        np.array([d is None or d <= jour for d in conventions["date_convention"]], dtype=bool)
    ]
    valeur = commandes["valeur_faciale_eur"].astype(float).fillna(regles.VALEUR_FACIALE_EUR)
    commandes = commandes.assign(
        montant=commandes["pass_commandes"].astype(float) * valeur,
        fin=[
            regles.fin_validite(d, f)
            for d, f in zip(commandes["date_commande"], commandes["fin_validite"], strict=True)
        ],
    )
    par_convention = commandes.groupby(["siren", "vague"]).agg(
        pass_commandes=("pass_commandes", "sum"), montant=("montant", "sum"), fin=("fin", "max")
    )
    distribues = _distribues(engine, jour)
    # The passes handed out are split between a laureate's two conventions first in, first out: an
    # estimate, unless its passes are numbered.
    deux = set(conventions.loc[conventions["siren"].duplicated(), "siren"])
    estimes = deux - set(attribution(engine).numerotes)
    regions = _regions(engine)

    lignes = []
    for c in conventions.itertuples(index=False):
        cle = (c.siren, c.vague)
        commande = par_convention.loc[cle] if cle in par_convention.index else None
        engagee = float(c.subvention_etat_eur)
        part = regles.part_etat(int(c.vague), engagee, float(c.budget_total_eur))
        montant = 0.0 if commande is None else float(commande["montant"])
        conso = regles.consommation(part, montant, engagee)
        debut = regles.debut_fenetre(int(c.vague), c.date_convention)
        fin = regles.fin_validite(debut) if commande is None else commande["fin"]
        ecoulee = regles.part_ecoulee(debut, fin, jour)
        prevus = None if pd.isna(c.pass_prevus) else int(c.pass_prevus)
        donnes = float(distribues.get(cle, 0.0))
        avance = regles.avancement(donnes, prevus)
        lignes.append(
            {
                "siren": c.siren,
                "nom": c.nom,
                "type": c.type,
                "code_region": regions.get(c.siren),
                "vague": int(c.vague),
                "date_convention": c.date_convention,
                "part_etat": part,
                "budget_total_eur": float(c.budget_total_eur),
                "engagee_eur": engagee,
                "versee_eur": 0.0 if pd.isna(c.subvention_versee_eur) else float(c.subvention_versee_eur),
                "pass_commandes": 0.0 if commande is None else float(commande["pass_commandes"]),
                "montant_commande_eur": montant,
                "consommee_eur": conso.consommee_eur,
                "depassement_eur": conso.depassement_eur,
                "restante_eur": conso.restante_eur,
                "part_consommee": regles.part(conso.consommee_eur, engagee),
                "debut_fenetre": debut,
                "fin_fenetre": fin,
                "part_fenetre_ecoulee": ecoulee,
                "pass_prevus": np.nan if prevus is None else float(prevus),
                "pass_distribues": donnes,
                "avancement_objectif": avance,
                "statut_objectif": regles.statut_objectif(avance, ecoulee),
                "distribues_estimes": c.siren in estimes,
            }
        )
    table = pd.DataFrame(lignes, columns=COLONNES_CONVENTIONS)
    return table.sort_values(["siren", "vague"], ignore_index=True)


def _distribues(engine: Engine, jour: date) -> dict[tuple[str, int], float]:
    """Passes handed out per (siren, wave) up to the month of `jour` (first in, first out)."""
    activite = attribution(engine).activite
    lignes = activite[activite["mois_indice"].to_numpy() <= indice_mois(jour)]
    colonnes = [f"pass_distribues_{v}" for v in VAGUES]
    sommes = lignes.groupby("siren_porteur", observed=True)[colonnes].sum()
    return {(str(s), v): float(sommes.at[s, f"pass_distribues_{v}"]) for s in sommes.index for v in VAGUES}


def _regions(engine: Engine) -> dict[str, str]:
    """Each laureate's région: the one of most of its perimeter's inhabitants."""
    from dashboard.store.donnees import reference

    _, perimetres = reference(engine)
    if perimetres.empty:
        return {}
    populations = (
        perimetres.groupby(["siren", "code_region"], observed=True)["population"].sum().reset_index()
    )
    populations = populations.sort_values(["population", "code_region"], ascending=[False, True])
    premieres = populations.drop_duplicates("siren")
    return dict(zip(premieres["siren"].astype(str), premieres["code_region"].astype(str), strict=True))


# --- Sums -------------------------------------------------------------------------------------------------


def agreger(lignes: pd.DataFrame, jour: date, pass_objectif: float | None = None) -> dict:
    """The sums of conventions (SOMMES), their shares, their window (first start → last end) and their
    progress towards `pass_objectif` (else the sum of their passes planned)."""
    resultat: dict = {c: float(lignes[c].sum()) for c in SOMMES}
    resultat["nb_conventions"] = len(lignes)
    resultat["part_consommee"] = regles.part(resultat["consommee_eur"], resultat["engagee_eur"])
    resultat["part_versee"] = regles.part(resultat["versee_eur"], resultat["engagee_eur"])
    debut = min(lignes["debut_fenetre"], default=None)
    fin = max(lignes["fin_fenetre"], default=None)
    resultat["debut_fenetre"], resultat["fin_fenetre"] = debut, fin
    resultat["part_fenetre_ecoulee"] = regles.part_ecoulee(debut, fin, jour)
    prevus = lignes["pass_prevus"].sum(min_count=1) if len(lignes) else math.nan
    resultat["pass_prevus"] = float(prevus)
    objectif = pass_objectif if pass_objectif is not None else resultat["pass_prevus"]
    resultat["pass_objectif"] = objectif
    resultat["avancement_objectif"] = regles.avancement(resultat["pass_distribues"], objectif)
    resultat["statut_objectif"] = regles.statut_objectif(
        resultat["avancement_objectif"], resultat["part_fenetre_ecoulee"]
    )
    resultat["date_reference"] = jour
    # Estimated when one convention of a laureate is summed without the other (a wave, not both).
    partages = lignes.loc[lignes["distribues_estimes"].astype(bool), "siren"].value_counts()
    resultat["distribues_estimes"] = bool((partages < 2).any())
    return resultat


def enveloppes_porteurs(engine: Engine, au: date | None = None) -> pd.DataFrame:
    """One row per laureate (siren): its conventions summed (SOMMES, shares, window, progress), its
    `vagues` ("2019, 2020") and `part_etat` — that of its latest convention, the one new orders go to.
    Memoised per data version and date."""
    return memoiser(engine, _calculer_porteurs, au)


def _calculer_porteurs(engine: Engine, au: date | None) -> pd.DataFrame:
    conventions = enveloppes_conventions(engine, au)
    jour = date_de_reference(engine, au)
    lignes = []
    for siren, groupe in conventions.groupby("siren", sort=True):
        derniere = groupe.sort_values("vague").iloc[-1]
        lignes.append(
            {
                "siren": siren,
                "nom": derniere["nom"],
                "type": derniere["type"],
                "code_region": derniere["code_region"],
                "vagues": ", ".join(str(v) for v in sorted(groupe["vague"])),
                "part_etat": derniere["part_etat"],
                **agreger(groupe, jour),
            }
        )
    return pd.DataFrame(lignes)


def lire_enveloppes_vagues(engine: Engine) -> dict[int, dict]:
    """The national envelope and objective of each wave as set (EnveloppeVague, read unmemoised):
    {vague: {montant_eur, objectif_pass, modifie_le, modifie_par}}; a wave never set is absent."""
    with engine.connect() as connection:
        lignes = connection.execute(select(EnveloppeVague.__table__)).mappings().all()
        return {
            e["vague"]: {
                "montant_eur": None if e["montant_eur"] is None else float(e["montant_eur"]),
                "objectif_pass": e["objectif_pass"],
                "modifie_le": e["modifie_le"],
                "modifie_par": e["modifie_par"],
            }
            for e in lignes
        }


def enveloppes_vagues(engine: Engine, au: date | None = None) -> pd.DataFrame:
    """One row per wave: `enveloppe_eur` (the national envelope set, NaN when not), `enveloppe_fixee`,
    `enveloppe_texte` (its amount, or « non fixée »), the sums of its conventions (engagee_eur,
    versee_eur, consommee_eur, restante_eur…), `part_enveloppe_engagee` (engagée ÷ enveloppe),
    `objectif_pass` (the national objective, NaN when not set), `objectif_source` (« national » or
    « conventions » : Σ of the passes planned), `avancement_objectif`, `statut_objectif`."""
    from dashboard.domain.formatage import euros

    conventions = enveloppes_conventions(engine, au)
    jour = date_de_reference(engine, au)
    fixees = lire_enveloppes_vagues(engine)
    lignes = []
    for vague in VAGUES:
        fixe = fixees.get(vague, {})
        montant = fixe.get("montant_eur")
        objectif = fixe.get("objectif_pass")
        somme = agreger(conventions[conventions["vague"] == vague], jour, objectif)
        lignes.append(
            {
                "vague": vague,
                "enveloppe_eur": np.nan if montant is None else montant,
                "enveloppe_fixee": montant is not None,
                "enveloppe_texte": NON_FIXEE if montant is None else euros(montant),
                **somme,
                "part_enveloppe_engagee": np.nan
                if montant is None
                else regles.part(somme["engagee_eur"], montant),
                "objectif_pass": np.nan if objectif is None else float(objectif),
                "objectif_source": "national" if objectif is not None else "conventions",
            }
        )
    return pd.DataFrame(lignes)


TOUT = Filtres()


def enveloppe_selection(engine: Engine, filtres: Filtres = TOUT, au: date | None = None) -> dict:
    """The conventions of the national view's selection summed (`agreger`): the laureates its wave,
    type, région and subsidy filters keep, their conventions of the selected waves (the period does not
    change a stock of money). `enveloppe_eur`: the national envelopes of the selected waves (NaN unless
    each is set); `objectif_pass`: their national objectives, likewise."""
    from dashboard.store.indicateurs import laureats_selectionnes

    conventions = enveloppes_conventions(engine, au)
    jour = date_de_reference(engine, au)
    sirens = set(laureats_selectionnes(engine, filtres)["siren"].astype(str))
    vagues = filtres.vagues or VAGUES
    lignes = conventions[conventions["siren"].isin(sirens) & conventions["vague"].isin(vagues)]
    fixees = lire_enveloppe_par_vague(engine, vagues)
    national = not (filtres.types or filtres.regions or filtres.departements or filtres.subvention)
    objectif = fixees["objectif_pass"] if national else None
    resultat = agreger(lignes, jour, objectif)
    resultat["enveloppe_eur"] = fixees["montant_eur"]
    resultat["vagues"] = tuple(vagues)
    resultat["toute_la_vague"] = national
    resultat["objectif_national"] = objectif is not None
    return resultat


def lire_enveloppe_par_vague(engine: Engine, vagues) -> dict:
    """The sum of the national envelopes (and objectives) of `vagues`: None when one is not set."""
    fixees = lire_enveloppes_vagues(engine)
    resultat = {}
    for cle in ("montant_eur", "objectif_pass"):
        valeurs = [fixees.get(v, {}).get(cle) for v in vagues]
        resultat[cle] = None if any(v is None for v in valeurs) else float(sum(valeurs))
    return resultat


def enveloppe_territoire(engine: Engine, niveau: str, code: str, au: date | None = None) -> dict | None:
    """The conventions of the laureates whose perimeter reaches the territory (those its page lists,
    dashboard.store.entites.laureats_du_territoire), summed whole (`agreger`; a laureate reaching
    several territories counts whole in each); `sirens`: them. None for an unknown territory."""
    from dashboard.store.entites import entite, laureats_du_territoire

    ent = entite(engine, niveau, code)
    if ent is None:
        return None
    conventions = enveloppes_conventions(engine, au)
    # A laureate's own conventions, or those of the laureates the territory's page lists.
    listes = [code] if niveau == "porteur" else laureats_du_territoire(engine, ent)["siren"]
    sirens = [str(s) for s in listes]
    resultat = agreger(conventions[conventions["siren"].isin(sirens)], date_de_reference(engine, au))
    resultat["sirens"] = tuple(sirens)
    return resultat


# --- Setting a wave's envelope -------------------------------------------------------------------------


def fixer_enveloppe(
    engine: Engine,
    vague: int,
    montant_eur: float | None = None,
    objectif_pass: int | None = None,
    acteur: str = "passnum enveloppe",
) -> dict:
    """Set the national envelope (€) and/or the objective (passes) of a wave; what is not given stays.
    Journaled (`enveloppe_fixee`, details avant/après). ValueError (French) for an unknown wave, a
    negative amount or objective, or nothing to set. Returns the row after."""
    if montant_eur is None and objectif_pass is None:
        raise ValueError("Rien à fixer : donnez un montant (--montant) ou un objectif (--objectif-pass).")
    if montant_eur is not None and (math.isnan(montant_eur) or montant_eur < 0):
        raise ValueError(f"Montant refusé : {montant_eur} (un montant d'enveloppe est positif ou nul).")
    if objectif_pass is not None and objectif_pass < 0:
        raise ValueError(f"Objectif refusé : {objectif_pass} (un nombre de pass est positif ou nul).")
    with engine.begin() as connection:
        connues = set(connection.execute(select(Vague.annee)).scalars())
        if vague not in connues:
            liste = ", ".join(str(v) for v in sorted(connues)) or "aucune"
            raise ValueError(f"Vague inconnue : {vague} (vagues connues : {liste}).")
        table = EnveloppeVague.__table__
        ligne = connection.execute(select(table).where(table.c.vague == vague)).mappings().first()
        avant = (
            None
            if ligne is None
            else {"montant_eur": _euros(ligne["montant_eur"]), "objectif_pass": ligne["objectif_pass"]}
        )
        ancien = avant or {}
        apres = {
            "montant_eur": _euros(montant_eur) if montant_eur is not None else ancien.get("montant_eur"),
            "objectif_pass": objectif_pass if objectif_pass is not None else ancien.get("objectif_pass"),
        }
        valeurs = {**apres, "modifie_le": maintenant(), "modifie_par": acteur[:200]}
        if ligne is None:
            connection.execute(insert(EnveloppeVague).values(vague=vague, **valeurs))
        else:
            connection.execute(update(EnveloppeVague).where(EnveloppeVague.vague == vague).values(**valeurs))
    auditer(
        engine, acteur, "enveloppe_fixee", cible=f"vague {vague}", details={"avant": avant, "apres": apres}
    )
    return {"vague": vague, **apres}


def _euros(valeur) -> float | None:
    return None if valeur is None else round(float(valeur), 2)
