"""`/geo/<name>`: the reference geometry, once, under versioned names, gzip-compressed, cacheable for a
year (the name is the content hash: it never changes meaning)."""

from __future__ import annotations

import gzip

from flask import Flask, Response, abort, request

from dashboard.store.geometries import PREFIXE_URL, Geometries

CACHE_LONG = "public, max-age=31536000, immutable"


def reponse(geometries: Geometries, nom: str) -> Response:
    corps = geometries.compresse(nom)
    if corps is None:
        abort(404)
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        resultat = Response(corps, mimetype="application/geo+json")
        resultat.headers["Content-Encoding"] = "gzip"
    else:
        resultat = Response(gzip.decompress(corps), mimetype="application/geo+json")
    resultat.headers["Cache-Control"] = CACHE_LONG
    resultat.headers["Vary"] = "Accept-Encoding"
    resultat.set_etag(nom)
    return resultat.make_conditional(request)


def installer(serveur: Flask, geometries: Geometries) -> None:
    serveur.add_url_rule(PREFIXE_URL + "<nom>", "geometrie", lambda nom: reponse(geometries, nom))
