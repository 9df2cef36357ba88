"""The font files under /assets/polices/: cacheable for a year. Dash serves /assets with `no-cache` (its
CSS and scripts change in place); a font folder is named after the font's version (source-sans-3-5.3.1),
so its files never change meaning and the browser need not ask again on every page."""

from __future__ import annotations

from flask import Flask, Response, request

from dashboard.web.geometries import CACHE_LONG

PREFIXE_POLICES = "/assets/polices/"


def cache_long(reponse: Response) -> Response:
    if request.path.startswith(PREFIXE_POLICES) and reponse.status_code in (200, 304):
        reponse.headers["Cache-Control"] = CACHE_LONG
    return reponse


def installer(serveur: Flask) -> None:
    serveur.after_request(cache_long)
