"""The table of the national view: its columns for the grid (the mapped indicator right after the name,
then the columns chosen, the default set fitting a 1366 px screen), the blocks of rows the grid asks for
(searched and sorted on the server), its row count, and the columns and rows of its exports (the same
columns, in the same order, searched and sorted the same way)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from dashboard.domain.etat import EtatVue
from dashboard.domain.formatage import effectif_texte, nombre
from dashboard.domain.indicateurs import PAR_ID, Indicateur, offerts
from dashboard.domain.liens import chemin
from dashboard.domain.texte import sans_accents
from dashboard.domain.vocabulaire import NATURES_EPCI, effectif_niveau, libelle_type
from dashboard.store import passif
from dashboard.store.donnees import noms_regions, programme, reference, territoires
from dashboard.store.memoire import memoiser

TAILLE_BLOC = 100  # rows per request of the grid's infinite row model
BLOC_MAX = 500
GENRES = {
    "%": "pourcent",
    "€": "euros",
    "€/hab.": "centimes",
    "€/pass": "centimes",
    "mois": "decimal",
    "pass/1 000 hab.": "decimal",
    "lieux/10 000 hab.": "centiemes",
}
"""How the grid formats each unit (assets/ag-grid-fonctions.js, formatFr)."""
UNITES_ENTETE = ("€", "%", "mois")
"""Units written in a header; the others are already in the label (« Pass distribués », « … pour 1 000
habitants », « € État par habitant »): never « Pass distribués (pass) »."""
COLONNES_DEFAUT = (
    "type",
    "region",
    "pass_distribues",
    "pass_utilises",
    "taux_utilisation",
    "subvention_etat_engagee_eur",
)
"""The optional columns shown when the address chooses none: with the name and the mapped indicator,
they fit a 1366 px screen."""
ENTETES_TEXTE = {
    "type": "Type",
    "region": "Région",
    "donnees_incoherentes": "Alerte",
    "donnees_figees": "Données figées",
}


def niveau_table(etat: EtatVue) -> str:
    """The level of the table's rows: laureates in the porteurs view, else the territories of the level."""
    return "porteur" if etat.vue == "porteurs" else etat.niveau


def entete(ind: Indicateur, vue: str, exact: bool = False) -> str:
    """A column's French header with its unit: `Budget total (€)`, `Taux d'utilisation (%, estimé)`,
    `Délai médian distribution → utilisation (mois, exact)`, `Pass distribués`."""
    precisions = [ind.unite] if ind.unite in UNITES_ENTETE else []
    if vue in ind.estime:
        precisions.append("exact" if exact else "estimé")
    libelle = ind.libelles_vue.get(vue, ind.libelle)
    return f"{libelle} ({', '.join(precisions)})" if precisions else libelle


def colonnes_offertes(etat: EtatVue, exact: bool = False) -> list[tuple[str, str]]:
    """(column, header) of every column the chooser offers, in the table's order (the name excepted,
    always shown): a type where it tells something (laureates, EPCI), a région below the régions."""
    niveau = niveau_table(etat)
    colonnes = []
    if niveau in ("porteur", "epci"):
        colonnes.append(("type", "Type"))
    if niveau != "region":
        colonnes.append(("region", "Région"))
    colonnes.append(("code", "SIREN" if etat.vue == "porteurs" else "Code"))
    if etat.vue == "porteurs":
        colonnes.append(("donnees_incoherentes", "Alerte"))
    if niveau == "porteur":  # « depuis 02/2022 »: the laureate's files stopped (dashboard.store.passif)
        colonnes.append(("donnees_figees", "Données figées"))
    return colonnes + [(i.id, entete(i, etat.vue, exact)) for i in offerts(etat.vue)]


def colonnes_visibles(etat: EtatVue, exact: bool = False) -> list[tuple[str, str]]:
    """(column, header) shown, in order: the name, the mapped indicator, then the columns chosen (the
    default set when the address chooses none) in the table's order."""
    offertes = colonnes_offertes(etat, exact)
    choisies = set(etat.colonnes or COLONNES_DEFAUT)
    mappee = [(c, e) for c, e in offertes if c == etat.indicateur]
    reste = [(c, e) for c, e in offertes if c in choisies and c != etat.indicateur]
    return [("nom", "Nom"), *mappee, *reste]


def colonnes_tableau(etat: EtatVue, exact: bool = False) -> list[dict]:
    """The grid's column definitions (the visible columns), the sort of the address on its column;
    `exact`: no figure of the selection is an estimate (headers say « exact »)."""
    colonne_tri, _, sens = etat.tri.partition(":")
    return [
        {**_definition(colonne, titre), "sort": sens if colonne == colonne_tri else None}
        for colonne, titre in colonnes_visibles(etat, exact)
    ]


def _definition(colonne: str, titre: str) -> dict:
    if colonne == "nom":
        # assets/ag-grid-fonctions.js: a link to the page
        return {
            "field": "nom",
            "headerName": titre,
            "pinned": "left",
            "minWidth": 170,
            "flex": 2,
            "cellRenderer": "LienFiche",
            "tooltipField": "nom",  # a long name cut by the column's width
        }
    if colonne == "donnees_incoherentes":
        return {
            "field": colonne,
            "headerName": titre,
            "valueFormatter": {"function": "params.value ? 'données incohérentes' : ''"},
            "minWidth": 150,
            "flex": 1,
        }
    ind = PAR_ID.get(colonne)
    if ind is None:  # code, type, région
        return {
            "field": colonne,
            "headerName": titre,
            "minWidth": 110 if colonne == "code" else 130,
            "flex": 1,
            "tooltipField": colonne,
        }
    genre = GENRES.get(ind.unite, "entier")
    return {
        "field": colonne,
        "headerName": titre,
        "headerTooltip": titre,
        "type": "rightAligned",
        "valueFormatter": {"function": f"formatFr(params.value, '{genre}')"},
        "minWidth": 110,
        "flex": 1,
    }


def colonnes_export(etat: EtatVue, exact: bool = False) -> list[tuple[str, str]]:
    """(column, French header) of the table's CSV and XLSX exports: the visible columns in their order,
    then whether each row's figures are exact (its laureates' passes numbered) or estimated."""
    return [*colonnes_visibles(etat, exact), ("chiffres_exacts", "Chiffres exacts (pass numérotés)")]


def table_export(engine: Engine, etat: EtatVue, table: pd.DataFrame) -> pd.DataFrame:
    """The exported rows: with their type and région, searched and sorted as the table shows them."""
    return lignes_export(avec_type_et_region(engine, etat, table), etat)


def lignes_export(table: pd.DataFrame, etat: EtatVue) -> pd.DataFrame:
    """The rows of the table searched and sorted as the address says (`recherche`, `tri`)."""
    return chercher_et_trier(table, etat.recherche, _tris(etat.tri))


def precisions_export(etat: EtatVue, exact: bool = False) -> list[str]:
    """What the stamp adds for the table's own state: its search and its sort, in words."""
    lignes = [f"Recherche dans le tableau : « {etat.recherche} »"] if etat.recherche else []
    colonne, _, sens = etat.tri.partition(":")
    titres = dict(colonnes_offertes(etat, exact)) | {"nom": "Nom"}
    if colonne in titres:
        lignes.append(f"Tri : {titres[colonne]}, {'décroissant' if sens == 'desc' else 'croissant'}")
    return lignes


def _tris(tri: str) -> list[dict]:
    colonne, _, sens = tri.partition(":")
    return [{"colId": colonne, "sort": sens}] if colonne else []


def tri_de(requete: dict) -> str:
    """The sort the grid asks for, as the address writes it (`taux_utilisation:desc`; its first column)."""
    for t in requete.get("sortModel") or []:
        if isinstance(t, dict) and isinstance(t.get("colId"), str) and t.get("sort") in ("asc", "desc"):
            return f"{t['colId']}:{t['sort']}"
    return ""


def avec_type_et_region(engine: Engine, etat: EtatVue, table: pd.DataFrame) -> pd.DataFrame:
    """The table with its `type` and `region` columns (French labels; empty where they do not apply)."""
    reperes = memoiser(engine, _lire_reperes, niveau_table(etat), partage=True)
    return table.join(reperes, on="code").fillna({"type": "", "region": "", "donnees_figees": ""})


def _lire_reperes(engine: Engine, niveau: str) -> pd.DataFrame:
    """Type and région name of every laureate (the région holding most of its perimeter's population)
    or territory of the level, indexed by code."""
    regions = noms_regions(engine)
    if niveau == "porteur":
        _, perimetre = reference(engine)
        population = (
            perimetre.groupby(["siren", "code_region"], observed=True)["population"].sum().reset_index()
        )
        principale = population.sort_values(["population", "code_region"], ascending=[False, True])
        principale = principale.drop_duplicates("siren").set_index("siren")["code_region"].astype(str)
        types = programme(engine).conventions.drop_duplicates("siren").set_index("siren")["type"]
        reperes = pd.DataFrame({"type": types.map(lambda t: libelle_type(t, pluriel=False, majuscule=True))})
        reperes["region"] = principale.map(regions)
        figees = {s: f"depuis {m:%m/%Y}" for s, m in passif.sirens_figes(engine).items()}
        reperes["donnees_figees"] = pd.Series(figees, dtype=object).reindex(reperes.index).fillna("")
    else:
        lignes = territoires(engine).loc[niveau]
        natures = lignes["nature"].map(lambda n: NATURES_EPCI.get(n, ""))
        reperes = pd.DataFrame(
            {
                "type": natures.map(lambda n: n[:1].upper() + n[1:]),
                "region": lignes["code_region"].map(regions),
                "donnees_figees": "",
            }
        )
    reperes.index = reperes.index.astype(str).rename("code")
    return reperes.astype(object)


def compte(etat: EtatVue, trouvees: int, total: int) -> str:
    """`156 lauréats`, `12 départements`; with a search, `3 lauréats sur 156`."""
    texte = effectif_texte(trouvees, effectif_niveau(niveau_table(etat)))
    return texte if trouvees == total else f"{texte} sur {nombre(total)}"


def lignes_tableau(table: pd.DataFrame) -> list[dict]:
    """Records for the grid: numbers stay numbers (Python's), NaN becomes null (no data, not zero). Built
    column by column (`to_dict("records")` boxes every cell one by one: a few milliseconds a block), the
    float columns (most of them) read at once."""
    noms = list(table.columns)
    flottants = [nom for nom, type_ in zip(noms, table.dtypes, strict=True) if type_ == np.float64]
    colonnes = {}
    if flottants:
        nombres = table[flottants].to_numpy(dtype=float).T
        valeurs = nombres.tolist()
        for j, i in zip(*np.nonzero(np.isnan(nombres)), strict=True):
            valeurs[j][i] = None
        colonnes = dict(zip(flottants, valeurs, strict=True))
    valeurs = [colonnes[nom] if nom in colonnes else _valeurs_json(table[nom]) for nom in noms]
    return [dict(zip(noms, ligne, strict=True)) for ligne in zip(*valeurs, strict=True)]


def _valeurs_json(colonne: pd.Series) -> list:
    valeurs = colonne.tolist()  # Python numbers for numpy columns
    if colonne.dtype == object:
        valeurs = [v.item() if isinstance(v, np.generic) else v for v in valeurs]
    return [None if isinstance(v, float) and math.isnan(v) else v for v in valeurs]


def chercher_et_trier(table: pd.DataFrame, recherche: str | None, tris: list) -> pd.DataFrame:
    """The rows whose name or code holds the search (ignoring case and accents), sorted as the grid
    asks (`sortModel`: French order for text, no data last)."""
    if recherche and recherche.strip():
        cible = sans_accents(recherche.strip())
        textes = (table["nom"].fillna("") + " " + table["code"].astype(str)).map(sans_accents)
        table = table[textes.str.contains(cible, regex=False).to_numpy()]
    tris = [t for t in tris or [] if isinstance(t, dict) and t.get("colId") in table.columns]
    if tris:
        table = table.sort_values(
            [t["colId"] for t in tris],
            ascending=[t.get("sort") != "desc" for t in tris],
            na_position="last",
            kind="stable",
            key=lambda c: c.map(sans_accents) if c.dtype == object or c.dtype == "str" else c,
        )
    return table


def bloc_tableau(
    table: pd.DataFrame,
    requete: dict,
    recherche: str | None,
    completer: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> dict:
    """Rows startRow..endRow of the table searched and sorted (`chercher_et_trier`), with the row
    count: the getRowsResponse of the infinite model. `completer` adds columns to rows (their type and
    région, `avec_type_et_region`): to the block's rows only, unless the sort reads one of them."""
    tris = requete.get("sortModel") or []
    if completer is not None and any(isinstance(t, dict) and t.get("colId") not in table for t in tris):
        table, completer = completer(table), None
    table = chercher_et_trier(table, recherche, tris)
    debut = _entier(requete.get("startRow"), 0)
    fin = min(_entier(requete.get("endRow"), debut + TAILLE_BLOC), debut + BLOC_MAX)
    bloc = table.iloc[debut:fin] if completer is None else completer(table.iloc[debut:fin])
    if "niveau" in bloc:
        bloc = bloc.assign(lien=[chemin(n, c) for n, c in zip(bloc["niveau"], bloc["code"], strict=True)])
    return {"rowData": lignes_tableau(bloc), "rowCount": len(table)}


def _entier(valeur, defaut: int) -> int:
    return max(0, int(valeur)) if isinstance(valeur, int | float) and math.isfinite(valeur) else defaut
