"""The table of the national view: its columns for the grid, the blocks of rows the grid asks for
(searched and sorted on the server), and the columns of its exports."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.domain.etat import EtatVue
from dashboard.domain.indicateurs import offerts
from dashboard.domain.liens import chemin
from dashboard.domain.texte import sans_accents

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


def niveau_table(etat: EtatVue) -> str:
    """The level of the table's rows: laureates in the porteurs view, else the territories of the level."""
    return "porteur" if etat.vue == "porteurs" else etat.niveau


def colonnes_tableau(etat: EtatVue, exact: bool = False) -> list[dict]:
    """The grid's columns; `exact`: no figure of the selection is an estimate (labels say « exact »)."""
    code = "SIREN" if etat.vue == "porteurs" else "Code"
    colonnes = [
        {
            "field": "nom",
            "headerName": "Nom",
            "pinned": "left",
            "minWidth": 240,
            "cellRenderer": "LienFiche",  # assets/ag-grid-fonctions.js: a link to the page
        },
        {"field": "code", "headerName": code, "width": 120},
    ]
    if etat.vue == "porteurs":
        colonnes.append(
            {
                "field": "donnees_incoherentes",
                "headerName": "Alerte",
                "valueFormatter": {"function": "params.value ? 'données incohérentes' : ''"},
                "width": 170,
            }
        )
    for ind in offerts(etat.vue):
        genre = GENRES.get(ind.unite, "entier")
        colonnes.append(
            {
                "field": ind.id,
                "headerName": ind.libelle_en(etat.vue, exact),
                "type": "rightAligned",
                "valueFormatter": {"function": f"formatFr(params.value, '{genre}')"},
                "minWidth": 140,
            }
        )
    return colonnes


def colonnes_export(etat: EtatVue, exact: bool = False) -> list[tuple[str, str]]:
    """(column, French header) of the table's CSV and XLSX exports; `exact` as for the grid. Each row
    says whether its figures are exact (its laureates' passes numbered) or estimated."""
    return [
        ("nom", "Nom"),
        ("code", "SIREN" if etat.vue == "porteurs" else "Code"),
        *((i.id, i.libelle_en(etat.vue, exact)) for i in offerts(etat.vue)),
        *([("donnees_incoherentes", "Données incohérentes")] if etat.vue == "porteurs" else []),
        ("chiffres_exacts", "Chiffres exacts (pass numérotés)"),
    ]


def lignes_tableau(table: pd.DataFrame) -> list[dict]:
    """Records for the grid: numbers stay numbers, NaN becomes null (no data, not zero)."""
    return [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in ligne.items()}
        for ligne in table.to_dict("records")
    ]


def bloc_tableau(table: pd.DataFrame, requete: dict, recherche: str | None) -> dict:
    """Rows startRow..endRow of the table searched (name or code, ignoring case and accents) and sorted
    as the grid asks (`sortModel`), with the row count: the getRowsResponse of the infinite model."""
    if recherche and recherche.strip():
        cible = sans_accents(recherche.strip())
        textes = (table["nom"].fillna("") + " " + table["code"].astype(str)).map(sans_accents)
        table = table[textes.str.contains(cible, regex=False).to_numpy()]
    tris = [
        t for t in requete.get("sortModel") or [] if isinstance(t, dict) and t.get("colId") in table.columns
    ]
    if tris:
        table = table.sort_values(
            [t["colId"] for t in tris],
            ascending=[t.get("sort") != "desc" for t in tris],
            na_position="last",
            kind="stable",
            key=lambda c: c.map(sans_accents) if c.dtype == object or c.dtype == "str" else c,
        )
    debut = _entier(requete.get("startRow"), 0)
    fin = min(_entier(requete.get("endRow"), debut + TAILLE_BLOC), debut + BLOC_MAX)
    bloc = table.iloc[debut:fin]
    if "niveau" in bloc:
        bloc = bloc.assign(lien=[chemin(n, c) for n, c in zip(bloc["niveau"], bloc["code"], strict=True)])
    return {"rowData": lignes_tableau(bloc), "rowCount": len(table)}


def _entier(valeur, defaut: int) -> int:
    return max(0, int(valeur)) if isinstance(valeur, int | float) and math.isfinite(valeur) else defaut
