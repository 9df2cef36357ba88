"""Tables: plain accessible HTML tables (column headers with scope, numbers right-aligned by CSS), and the
synced grid of the national view."""

from __future__ import annotations

from collections.abc import Sequence

import dash_ag_grid as dag
from dash import html


def tableau_html(
    entetes: Sequence[str], lignes: list[html.Tr], classe: str = "table table-sm", **kwargs
) -> html.Table:
    return html.Table(
        [html.Thead(html.Tr([html.Th(t, scope="col") for t in entetes])), html.Tbody(lignes)],
        className=classe,
        **kwargs,
    )


LOCALE_GRILLE = {
    "noRowsToShow": "Aucune ligne ne correspond.",
    "loadingOoo": "Chargement…",
    "searchOoo": "Rechercher…",
    "filterOoo": "Filtrer…",
    "contains": "Contient",
    "notContains": "Ne contient pas",
    "equals": "Égal à",
    "notEqual": "Différent de",
    "startsWith": "Commence par",
    "endsWith": "Se termine par",
    "lessThan": "Inférieur à",
    "greaterThan": "Supérieur à",
    "inRange": "Entre",
    "andCondition": "ET",
    "orCondition": "OU",
    "applyFilter": "Appliquer",
    "resetFilter": "Réinitialiser",
    "clearFilter": "Effacer",
    "blank": "Vide",
    "notBlank": "Non vide",
    "page": "Page",
    "of": "sur",
    "to": "à",
}
"""AG Grid's texts in French."""


HAUTEUR_MAX = 560
"""The grid's box at most (px): more rows scroll inside it (as assets/ag-grid-fonctions.js)."""


def grille_par_blocs(identifiant: str, taille_bloc: int, colonnes: list[dict] | None = None) -> dag.AgGrid:
    """A sortable grid whose rows come from the server a block at a time (sorted and searched there): a
    filter change sends no row at all, the grid then asks for the block on screen. Its height follows
    its rows (assets/ag-grid-fonctions.js, ajusterHauteur): a few rows, no empty box; many, a capped
    box that scrolls."""
    return dag.AgGrid(
        id=identifiant,
        columnDefs=colonnes or [],
        rowModelType="infinite",
        defaultColDef={"sortable": True, "resizable": True, "wrapHeaderText": True, "autoHeaderHeight": True},
        dashGridOptions={
            "localeText": LOCALE_GRILLE,
            "animateRows": False,
            "cacheBlockSize": taille_bloc,
            "maxBlocksInCache": 20,
            "suppressMovableColumns": True,  # the export follows the columns' order: the chooser's
            # Every header cell in the DOM, even off screen on a phone: a header row is never empty for
            # assistive technologies (axe-core aria-required-children).
            "suppressColumnVirtualisation": True,
            "tooltipShowDelay": 300,
        },
        style={"height": f"{HAUTEUR_MAX}px"},
    )
