"""`/calendrier`: the reporting calendar of the laureates (dashboard.vues.calendrier, rendered by
dashboard.components.calendrier) — a grid laureates × months, filtered and sorted, and the list of the
laureates to chase up, exported to CSV/XLSX. The address may carry the filters (`?region=53&tri=nom`)."""

from __future__ import annotations

from dash import Input, Output, State, html

from dashboard.components import calendrier as composants
from dashboard.pages import rappel, rappel_export
from dashboard.vues import calendrier


def layout(
    contexte, /, region=None, type=None, vague=None, mois=None, tri=None, au=None, laureats=None, **_
) -> html.Div:
    """The address may choose the filters and a past reference date (`au=2022-06-30`)."""
    valeurs = {"region": region, "type": type, "vague": vague, "mois": mois, "tri": tri, "au": au}
    valeurs["laureats"] = laureats
    vue = calendrier.calculer(contexte, valeurs)
    return composants.page(vue, calendrier.options_regions(contexte))


PAGES = [
    {
        "module": "calendrier",
        "path": "/calendrier",
        "title": "Calendrier des remontées — Pass numérique",
        "name": "Calendrier",
        "layout": layout,
    }
]


@rappel(
    output={
        "contenu": Output("calendrier-contenu", "children"),
        "filtres": Output("calendrier-filtres", "data"),
    },
    inputs={
        "region": Input("calendrier-region", "value"),
        "type_": Input("calendrier-type", "value"),
        "vague": Input("calendrier-vague", "value"),
        "mois": Input("calendrier-mois", "value"),
        "tri": Input("calendrier-tri", "value"),
        "laureats": Input("calendrier-laureats", "value"),
        "precedents": State("calendrier-filtres", "data"),
    },
    prevent_initial_call=True,
)
def filtrer(contexte, region, type_, vague, mois, tri, laureats=None, precedents=None):
    """The controls' filters; the reference date the address chose (`au`) is kept."""
    au = precedents.get("au") if isinstance(precedents, dict) else None
    valeurs = {"region": region, "type": type_, "vague": vague, "mois": mois, "tri": tri, "au": au}
    vue = calendrier.calculer(contexte, {**valeurs, "laureats": laureats})
    return {"contenu": composants.contenu(vue), "filtres": vue.filtres}


EXPORTER = rappel_export(
    composants.PAGE_EXPORT,
    composants.TELECHARGEMENT,
    State("calendrier-filtres", "data"),
    calendrier.exporter,
)
