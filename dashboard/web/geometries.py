"""`/geo/<name>`: the reference geometry, once, under versioned names, gzip-compressed, cacheable for a
year (the name is the content hash: it never changes meaning). `/topojson/<hash>/<name>`: the same for
plotly geo's world base (assets/topojson), which plotly fetches before it draws any map: a returning
visitor reads it from the cache instead of asking again (URL_TOPOJSON, the charts' `topojsonURL`)."""

from __future__ import annotations

import gzip
from functools import cache

from flask import Flask, Response, abort, request

from dashboard.store.geometries import (
    DOSSIER_TOPOJSON,
    EMPREINTE_TOPOJSON,
    PREFIXE_TOPOJSON,
    PREFIXE_URL,
    TOPOJSON,
    Geometries,
)

CACHE_LONG = "public, max-age=31536000, immutable"


def reponse(geometries: Geometries, nom: str) -> Response:
    corps = geometries.compresse(nom)
    if corps is None:
        abort(404)
    return _compressee(corps, "application/geo+json", nom)


def _compressee(corps: bytes, type_: str, etiquette: str) -> Response:
    """A gzip body sent as it is (or decompressed for a client that does not take gzip), cacheable for a
    year, its ETag `etiquette`."""
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        resultat = Response(corps, mimetype=type_)
        resultat.headers["Content-Encoding"] = "gzip"
    else:
        resultat = Response(gzip.decompress(corps), mimetype=type_)
    resultat.headers["Cache-Control"] = CACHE_LONG
    resultat.headers["Vary"] = "Accept-Encoding"
    resultat.set_etag(etiquette)
    return resultat.make_conditional(request)


@cache
def _topojson_compresse() -> bytes:
    return gzip.compress((DOSSIER_TOPOJSON / TOPOJSON).read_bytes(), mtime=0)


def reponse_topojson(empreinte: str, nom: str) -> Response:
    if empreinte != EMPREINTE_TOPOJSON or nom != TOPOJSON:
        abort(404)
    return _compressee(_topojson_compresse(), "application/json", f"{empreinte}-{nom}")


def installer(serveur: Flask, geometries: Geometries) -> None:
    serveur.add_url_rule(PREFIXE_URL + "<nom>", "geometrie", lambda nom: reponse(geometries, nom))
    serveur.add_url_rule(PREFIXE_TOPOJSON + "<empreinte>/<nom>", "topojson", reponse_topojson)
