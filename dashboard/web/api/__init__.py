"""The open-data API `/api/v1/` on the Dash app's Flask server: routes (`routes`), who may read what
(`autorisation`: client tokens, scopes, rate limit, public mode), the OpenAPI 3.1 document (`openapi`),
the French documentation page (`documentation`), JSON errors in French (`erreurs`)."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, Response, request
from werkzeug.exceptions import HTTPException

from dashboard.web.api import documentation, openapi, routes
from dashboard.web.api.autorisation import Autorisation
from dashboard.web.api.erreurs import ErreurApi, depuis, reponse_erreur, reponse_json

PREFIXE = "/api/v1"
journal = logging.getLogger("passnum.api")


def _base(settings) -> str:
    """Where the examples point: PASSNUM_URL, else the address the server listens on."""
    return settings.url or f"http://{settings.host}:{settings.port}"


def installer(serveur: Flask, contexte) -> None:
    settings = contexte.settings
    autorisation = Autorisation(contexte)
    api = Blueprint("api", __name__, url_prefix=PREFIXE)
    api.before_request(autorisation.controler)

    def document():
        return reponse_json(openapi.document(settings.public, settings.url))

    def page():
        texte = documentation.page(
            openapi.document(settings.public, settings.url), _base(settings), settings.public
        )
        return Response(texte, mimetype="text/html")

    api.add_url_rule("/indicateurs", "indicateurs", lambda: routes.indicateurs(contexte))
    api.add_url_rule(
        "/entites/<niveau>/<code>", "entite", lambda niveau, code: routes.entite(contexte, niveau, code)
    )
    api.add_url_rule(
        "/entites/<niveau>/<code>/series", "serie", lambda niveau, code: routes.serie(contexte, niveau, code)
    )
    api.add_url_rule("/openapi.json", "openapi", document)
    api.add_url_rule("/", "documentation", page)
    api.add_url_rule("/documentation", "documentation", page)

    @api.errorhandler(ErreurApi)
    def erreur_api(erreur: ErreurApi):
        return depuis(erreur)

    @api.errorhandler(HTTPException)
    def erreur_http(exc: HTTPException):
        return reponse_erreur(exc.code or 500, exc.description)

    @api.errorhandler(Exception)
    def erreur_interne(exc: Exception):
        journal.exception("Erreur interne sur %s %s", request.method, request.path, exc_info=exc)
        return reponse_erreur(500)

    serveur.register_blueprint(api)
    # Any other address under /api/ (after the same checks): a JSON 404, not the dashboard's page.
    inconnue = Blueprint("api_inconnue", __name__)
    inconnue.before_request(autorisation.controler)
    inconnue.add_url_rule("/api/<path:_reste>", "inconnue", routes.inconnue)
    inconnue.register_error_handler(ErreurApi, depuis)
    serveur.register_blueprint(inconnue)
