"""French error pages (HTML for people, JSON for the app's own requests), never a traceback; and the real
404 status of a page address that shows "Page introuvable" (Dash answers every address with its index)."""

from __future__ import annotations

import dash
from flask import Response, jsonify, request

from dashboard.domain.liens import lire_chemin
from dashboard.store.entites import entite
from dashboard.store.memoire import une_lecture
from dashboard.web import pages_html
from dashboard.web.acces.regles import est_api
from dashboard.web.api.erreurs import reponse_erreur

TITRES = {
    400: "Requête invalide",
    401: "Connexion requise",
    403: "Accès refusé",
    404: "Page introuvable",
    405: "Méthode non permise",
    413: "Envoi trop volumineux",
    429: "Trop de requêtes",
    500: "Erreur interne",
    503: "Service momentanément indisponible",
}


def page_erreur(code: int, description: str | None, rafraichir_s: int | None = None):
    if est_api(request.path):  # the open-data API answers in JSON, in French, always
        return reponse_erreur(code, description), code
    titre = TITRES.get(code, "Erreur")
    message = description if description and not description.startswith(("The ", "A ")) else None
    message = message or {
        500: "Une erreur est survenue ; elle a été consignée. Réessayez, ou signalez-la à l'équipe.",
        404: "Cette adresse ne correspond à aucune page.",
        413: "Le contenu envoyé dépasse la taille permise.",
    }.get(code, titre + ".")
    if request.path.startswith(("/_dash-", "/geo/")) or request.accept_mimetypes.best == "application/json":
        return jsonify(erreur=titre, message=message), code
    return pages_html.page_erreur(code, titre, message, rafraichir_s), code


def statut_404(contexte, reponse: Response) -> Response:
    """Dash answers any address with its index page (200): an address that is no page, or the page of a
    territory or laureate that does not exist, is a 404."""
    if request.method != "GET" or reponse.status_code != 200 or reponse.mimetype != "text/html":
        return reponse
    if request.url_rule is None or request.url_rule.rule not in ("/", "/<path:path>"):
        return reponse  # the app's own routes (sign-in…) are not Dash pages
    if not _page_connue(request.path.rstrip("/") or "/") or _entite_inconnue(contexte, request.path):
        reponse.status_code = 404
    return reponse


def _page_connue(chemin: str) -> bool:
    pages = dash.page_registry.values()
    connus = {p["path"] for p in pages if p["module"] != "not_found_404"}
    modeles = [p["path_template"] for p in pages if p.get("path_template")]
    return chemin in connus or any(_selon_gabarit(chemin, m) for m in modeles)


def _selon_gabarit(chemin: str, modele: str) -> bool:
    """ "/territoire/<niveau>/<code>" matches "/territoire/epci/200067106"."""
    morceaux, attendus = chemin.strip("/").split("/"), modele.strip("/").split("/")
    return len(morceaux) == len(attendus) and all(
        a.startswith("<") or a == m for m, a in zip(morceaux, attendus, strict=True)
    )


def _entite_inconnue(contexte, chemin: str) -> bool:
    niveau_code = lire_chemin(chemin)
    if niveau_code is None:
        return False
    with une_lecture(contexte.engine):
        return entite(contexte.engine, *niveau_code) is None
