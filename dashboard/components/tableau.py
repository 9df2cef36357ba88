"""Plain accessible HTML tables (column headers with scope, numbers right-aligned by CSS)."""

from __future__ import annotations

from collections.abc import Sequence

from dash import html


def tableau_html(
    entetes: Sequence[str], lignes: list[html.Tr], classe: str = "table table-sm", **kwargs
) -> html.Table:
    return html.Table(
        [html.Thead(html.Tr([html.Th(t, scope="col") for t in entetes])), html.Tbody(lignes)],
        className=classe,
        **kwargs,
    )
