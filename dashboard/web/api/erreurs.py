"""Every error of the API in JSON and in French, `{"erreur": {"statut": 404, "message": "…"}}`, never
the HTML error page of the app (dashboard.web.erreurs hands the /api/ addresses over to this module)."""

from __future__ import annotations

import json

from flask import Response

MESSAGES = {
    400: "Requête invalide.",
    401: "Jeton d'API requis : en-tête « Authorization: Bearer <jeton> ».",
    403: "Ce jeton ne permet pas cette lecture.",
    404: "Cette adresse ne correspond à aucune ressource de l'API.",
    405: "Méthode non permise : l'API ne se lit qu'en GET.",
    413: "Requête trop volumineuse.",
    429: "Trop de requêtes : réessayez plus tard.",
    500: "Erreur interne ; elle a été consignée. Réessayez, ou signalez-la à l'équipe.",
    503: "Service momentanément indisponible : réessayez dans quelques secondes.",
}


class ErreurApi(Exception):
    """An error answered as is: its status, its French message, its extra headers."""

    def __init__(self, statut: int, message: str | None = None, entetes: dict[str, str] | None = None):
        super().__init__(message or MESSAGES.get(statut, "Erreur."))
        self.statut = statut
        self.message = message or MESSAGES.get(statut, "Erreur.")
        self.entetes = entetes or {}


def reponse_json(corps, statut: int = 200) -> Response:
    """JSON as written (key order kept: Flask's own encoder would sort the keys)."""
    texte = corps if isinstance(corps, str) else json.dumps(corps, ensure_ascii=False)
    return Response(texte, status=statut, mimetype="application/json")


def reponse_erreur(
    statut: int, message: str | None = None, entetes: dict[str, str] | None = None
) -> Response:
    """The JSON error; werkzeug's English descriptions ("The method is not allowed…") give way to ours."""
    if not message or message.startswith(("The ", "A ", "Unauthorized", "Forbidden")):
        message = MESSAGES.get(statut, "Erreur.")
    reponse = reponse_json({"erreur": {"statut": statut, "message": message}}, statut)
    if statut == 401:
        reponse.headers["WWW-Authenticate"] = 'Bearer realm="passnum-api"'
    if statut == 405:
        reponse.headers["Allow"] = "GET, HEAD, OPTIONS"
    for nom, valeur in (entetes or {}).items():
        reponse.headers[nom] = valeur
    return reponse


def depuis(erreur: ErreurApi) -> Response:
    return reponse_erreur(erreur.statut, erreur.message, erreur.entetes)
