"""What `/calendrier` shows: the grid of laureates × months (the 12 or 24 latest months of the data),
each cell a status of the laureate's monthly return, filtered by région, type and wave and sorted by the
completeness score; the list of the laureates to chase up, and its CSV/XLSX export, stamped. Also the one
row of a laureate's page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from dashboard.domain import calendrier as regles
from dashboard.domain.etat import EtatVue
from dashboard.domain.formatage import date_courte, effectif_texte, nombre, pourcentage
from dashboard.domain.liens import chemin
from dashboard.domain.mois import indice_mois, mois_de_indice
from dashboard.domain.texte import sans_accents
from dashboard.domain.vocabulaire import TYPES_PORTEUR, VAGUES, libelle_type
from dashboard.exports import Fichier, tableur
from dashboard.exports.estampille import entete
from dashboard.store import calendrier as store
from dashboard.store.donnees import noms_regions
from dashboard.store.metadonnees import etat_donnees
from dashboard.vues import Sources
from dashboard.vues.tableau import avec_type_et_region

PERIODES = (12, 24)
TRIS = {
    "score:asc": "Score croissant (les moins complets d'abord)",
    "score:desc": "Score décroissant",
    "nom": "Nom",
}
TOUTES = "*"
"""The filter controls' value for « all » (a native select's empty value is its placeholder)."""
LAUREATS_AFFICHES = {
    "attendus": "Attendus sur la période affichée",
    "tous": "Tous (même sans retour attendu sur la période)",
}
FILTRES_DEFAUT = {
    "region": None,
    "type": None,
    "vague": None,
    "mois": 12,
    "tri": "score:asc",
    "au": None,
    "laureats": "attendus",
}
COLONNES_RELANCE = [
    ("nom", "Lauréat"),
    ("siren", "SIREN"),
    ("type", "Type"),
    ("region", "Région"),
    ("derniers_manquants", f"Mois manquants parmi les {regles.MOIS_RELANCE} derniers échus"),
    ("mois_sans_retour", "Mois sans retour (consécutifs, en fin de période)"),
    ("dernier_mois_recu", "Dernier mois reçu"),
    ("dernier_retour", "Dernier retour reçu le"),
    ("taux_completude", "Score de complétude"),
]


@dataclass(frozen=True)
class Cellule:
    mois: date
    statut: str | None  # None: no return owed that month
    texte: str  # for screen readers and the tooltip: « 03/2023 : reçu en retard, le 02/05/2023 »

    @property
    def lettre(self) -> str:
        return regles.LETTRES[self.statut] if self.statut else ""


@dataclass(frozen=True)
class Ligne:
    siren: str
    nom: str
    region: str
    lien: str
    score: str  # « 87,5 % » or « — »
    cellules: list[Cellule]
    resume: str  # « 21 mois reçus sur 24 échus (3 en retard), 2 manquants »
    a_relancer: bool


@dataclass(frozen=True)
class Calendrier:
    reference: date | None
    mois: list[date]
    lignes: list[Ligne]
    relance: pd.DataFrame  # COLONNES_RELANCE and `lien`
    compte: str  # the selection's laureates, and how many to chase up
    compte_grille: str  # the grid's rows
    demo: bool
    filtres: dict = field(default_factory=dict)


def lire_filtres(valeurs: dict | None) -> dict:
    """The filters from the page's controls or an address, with unknown values dropped."""
    v = {**FILTRES_DEFAUT, **{k: x for k, x in (valeurs or {}).items() if x not in (None, "", TOUTES)}}
    vague = str(v["vague"]) if v["vague"] is not None else None
    mois = int(v["mois"]) if str(v["mois"]).isdigit() and int(v["mois"]) in PERIODES else 12
    return {
        "region": str(v["region"]) if v["region"] is not None else None,
        "type": v["type"] if v["type"] in TYPES_PORTEUR else None,
        "vague": vague if vague in {str(a) for a in VAGUES} else None,
        "mois": mois,
        "tri": v["tri"] if v["tri"] in TRIS else "score:asc",
        "au": _date_iso(v["au"]),
        "laureats": v["laureats"] if v["laureats"] in LAUREATS_AFFICHES else "attendus",
    }


def _date_iso(valeur) -> str | None:
    """A reference date of the address (`au=2022-06-30`), kept as ISO text (the filters go through the
    browser); None when absent or unreadable."""
    try:
        return date.fromisoformat(valeur).isoformat() if isinstance(valeur, str) else None
    except ValueError:
        return None


def date_au(filtres: dict) -> date | None:
    return date.fromisoformat(filtres["au"]) if filtres.get("au") else None


def mois_affiches(reference: date | None, n: int) -> list[date]:
    """The `n` months up to the reference's, oldest first."""
    if reference is None:
        return []
    fin = indice_mois(reference)
    return [mois_de_indice(i) for i in range(fin - n + 1, fin + 1)]


def texte_cellule(mois: date, statut: str | None, recu_le: date | None) -> str:
    if statut is None:
        return f"{mois:%m/%Y} : aucun retour attendu"
    texte = f"{mois:%m/%Y} : {regles.LIBELLES[statut]}"
    if recu_le is not None and statut in (regles.RECU, regles.RETARD):
        texte += f", le {date_courte(recu_le)}"
    elif statut in (regles.MANQUANT, regles.A_VENIR):
        texte += f" (échéance le {date_courte(regles.echeance(mois))})"
    return texte


def _table(sources: Sources, au: date | None = None) -> pd.DataFrame:
    """One row per laureate owing returns: the synthesis with its name, type and main région."""
    synthese = store.synthese(sources.engine, au)
    laureats = store.laureats(sources.engine)
    table = synthese.join(laureats[["nom", "vagues", "regions"]], on="siren")
    table["nom"] = table["nom"].fillna(table["siren"])
    table = avec_type_et_region(sources.engine, EtatVue(), table.assign(code=table["siren"]))
    return table


def _selection(table: pd.DataFrame, filtres: dict, laureats: pd.DataFrame) -> pd.DataFrame:
    if filtres["region"]:
        table = table[[filtres["region"] in r for r in table["regions"]]]
    if filtres["type"]:
        types = laureats["type"]
        table = table[[types.get(s) == filtres["type"] for s in table["siren"]]]
    if filtres["vague"]:
        table = table[[int(filtres["vague"]) in v for v in table["vagues"]]]
    if filtres["tri"] == "nom":
        return table.sort_values("nom", key=lambda c: c.map(sans_accents), kind="stable")
    return table.sort_values(
        ["score", "mois_sans_retour", "nom"],
        ascending=[filtres["tri"] == "score:asc", False, True],
        na_position="last",
        kind="stable",
        key=lambda c: c.map(sans_accents) if c.name == "nom" else c,
    )


def _resume(ligne) -> str:
    if not ligne.mois_echus:
        return "Aucun mois échu."
    recus = ligne.mois_recus + ligne.mois_en_retard
    return (
        f"{nombre(recus)} mois reçus sur {nombre(ligne.mois_echus)} échus "
        f"({nombre(ligne.mois_en_retard)} en retard), "
        f"{effectif_texte(ligne.mois_manquants, ('manquant', 'manquants'))}"
    )


def _lignes(table: pd.DataFrame, cal: pd.DataFrame, mois: list[date]) -> list[Ligne]:
    par_siren = {s: g.set_index("mois") for s, g in cal.groupby("siren")}
    lignes = []
    for ligne in table.itertuples(index=False):
        groupe = par_siren.get(ligne.siren)
        cellules = []
        for m in mois:
            if groupe is not None and m in groupe.index:
                statut, recu = groupe.at[m, "statut"], groupe.at[m, "recu_le"]
                recu = None if recu is None or pd.isna(recu) else recu
            else:
                statut, recu = None, None
            cellules.append(Cellule(m, statut, texte_cellule(m, statut, recu)))
        lignes.append(
            Ligne(
                siren=ligne.siren,
                nom=ligne.nom,
                region=ligne.region,
                lien=chemin("porteur", ligne.siren),
                score=pourcentage(ligne.score),
                cellules=cellules,
                resume=_resume(ligne),
                a_relancer=bool(ligne.a_relancer),
            )
        )
    return lignes


def table_relance(table: pd.DataFrame) -> pd.DataFrame:
    """The laureates to chase up, as the list and its export show them (the table's order)."""
    relance = table[table["a_relancer"].astype(bool)].copy()
    relance["derniers_manquants"] = [
        ", ".join(f"{m:%m/%Y}" for m in ms) for ms in relance["manquants_recents"]
    ]
    relance["taux_completude"] = relance["score"]
    relance["lien"] = [chemin("porteur", s) for s in relance["siren"]]
    return relance[[c for c, _ in COLONNES_RELANCE] + ["lien"]].reset_index(drop=True)


def calculer(sources: Sources, valeurs: dict | None = None) -> Calendrier:
    filtres = lire_filtres(valeurs)
    au = date_au(filtres)
    reference = store.date_reference(sources.engine, au)
    table = _selection(_table(sources, au), filtres, store.laureats(sources.engine))
    mois = mois_affiches(reference, filtres["mois"])
    cal = store.calendrier(sources.engine, au)
    cal = cal[cal["siren"].isin(set(table["siren"]))]
    relance = table_relance(table)
    compte = effectif_texte(len(table), ("lauréat", "lauréats"))
    grille = table
    if filtres["laureats"] == "attendus":  # those owing at least one return over the months shown
        grille = table[table["siren"].isin(set(cal.loc[cal["mois"].isin(mois), "siren"]))]
    return Calendrier(
        reference=reference,
        mois=mois,
        lignes=_lignes(grille, cal, mois),
        relance=relance,
        compte=f"{compte}, dont {nombre(len(relance))} à relancer",
        compte_grille=(
            f"Grille : {effectif_texte(len(grille), ('lauréat', 'lauréats'))}"
            + (f" attendus sur ces {len(mois)} mois" if filtres["laureats"] == "attendus" else "")
        ),
        demo=bool(etat_donnees(sources.engine).demo),
        filtres=filtres,
    )


def ligne_fiche(sources: Sources, siren: str, n: int = 24) -> tuple[list[date], Ligne] | None:
    """A laureate's row of the calendar over the `n` latest months it owes (up to the last one: the
    expiry of its passes, or the data date), None when it owes none."""
    table = _table(sources)
    table = table[table["siren"] == siren]
    cal = store.calendrier(sources.engine)
    cal = cal[cal["siren"] == siren]
    if table.empty or cal.empty:
        return None
    mois = mois_affiches(max(cal["mois"]), n)
    return mois, _lignes(table, cal, mois)[0]


def options_regions(sources: Sources) -> list[dict]:
    regions = noms_regions(sources.engine)
    return [
        {"label": nom, "value": code}
        for code, nom in sorted(regions.items(), key=lambda kv: sans_accents(kv[1]))
    ]


def filtres_en_mots(sources: Sources, filtres: dict) -> list[str]:
    mots = []
    if filtres["region"]:
        mots.append(f"Région : {noms_regions(sources.engine).get(filtres['region'], filtres['region'])}")
    if filtres["type"]:
        mots.append(f"Type : {libelle_type(filtres['type'], pluriel=False, majuscule=True)}")
    if filtres["vague"]:
        mots.append(f"Vague : {filtres['vague']}")
    reference = store.date_reference(sources.engine, date_au(filtres))
    if reference:
        choisie = "choisie" if filtres.get("au") else "date des données"
        mots.append(f"Date de référence : {date_courte(reference)} ({choisie})")
    mots.append(
        f"Règle de relance : au moins un mois manquant parmi les {regles.MOIS_RELANCE} derniers mois échus"
    )
    return mots


def exporter(sources: Sources, valeurs, format_: str, nom: str) -> Fichier | None:
    """The list of the laureates to chase up, as CSV or XLSX, stamped with its filters."""
    if nom != "relance" or format_ not in ("csv", "xlsx"):
        return None
    vue = calculer(sources, valeurs if isinstance(valeurs, dict) else None)
    meta = entete(
        sources.engine,
        "Pass numérique — calendrier des remontées — lauréats à relancer",
        filtres_en_mots(sources, vue.filtres),
    )
    return tableur(format_, vue.relance, COLONNES_RELANCE, meta, ["calendrier", "a-relancer"])
