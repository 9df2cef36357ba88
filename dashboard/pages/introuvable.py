"""French 404 page for any unknown address."""

from __future__ import annotations

import dash
from dash import Dash, dcc, html
from flask import Response, request

from dashboard.contexte import Contexte


def layout(message: str = "L'adresse demandée ne correspond à aucune page du tableau de bord.", **_params):
    return html.Div(
        [
            html.H1("Page introuvable", className="mt-4"),
            html.P(message),
            dcc.Link("Revenir à la carte nationale", href="/", className="btn btn-primary"),
        ],
        id="page-introuvable",
        className="py-4",
    )


def enregistrer(app: Dash, _contexte: Contexte) -> None:
    # Dash shows the page whose module is named "not_found_404" for any unknown path.
    dash.register_page("not_found_404", path="/404", layout=layout, title="Page introuvable — Pass numérique")

    @app.server.after_request
    def code_404_pour_une_adresse_inconnue(reponse: Response) -> Response:
        """Dash answers any address with its index page (200): an address that is no page is a 404."""
        if request.method != "GET" or reponse.status_code != 200 or reponse.mimetype != "text/html":
            return reponse
        if request.url_rule is None or request.url_rule.rule not in ("/", "/<path:path>"):
            return reponse  # the app's own routes (sign-in…) are not Dash pages
        chemin = request.path.rstrip("/") or "/"
        pages = dash.page_registry.values()
        connus = {p["path"] for p in pages if p["module"] != "not_found_404"}
        modeles = [p["path_template"] for p in pages if p.get("path_template")]
        if chemin not in connus and not any(_selon_modele(chemin, m) for m in modeles):
            reponse.status_code = 404
        return reponse


def _selon_modele(chemin: str, modele: str) -> bool:
    """ "/territoire/<niveau>/<code>" matches "/territoire/epci/200067106"."""
    morceaux, attendus = chemin.strip("/").split("/"), modele.strip("/").split("/")
    return len(morceaux) == len(attendus) and all(
        a.startswith("<") or a == m for m, a in zip(morceaux, attendus, strict=True)
    )
