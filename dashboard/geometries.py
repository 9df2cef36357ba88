"""Serving the reference geometry: once, under versioned names, gzip-compressed, cacheable for a year.

The build (`passnum geo build`) names each GeoJSON by its content hash and lists them in manifest.json;
the map refers to `/geo/<name>` and callbacks never carry geometry.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd
from flask import Flask, Response, abort, request

PREFIXE_URL = "/geo/"
CACHE_LONG = "public, max-age=31536000, immutable"


@dataclass(frozen=True)
class Geometries:
    dossier: Path

    @cached_property
    def manifest(self) -> dict:
        chemin = self.dossier / "manifest.json"
        if not chemin.exists():
            raise FileNotFoundError(
                f"Géométries introuvables : {chemin}. Régénérez-les avec `passnum geo build`."
            )
        return json.loads(chemin.read_text(encoding="utf-8"))

    @property
    def fichiers(self) -> dict[str, str]:
        return self.manifest["fichiers"]

    def url(self, niveau: str) -> str:
        return PREFIXE_URL + self.fichiers[niveau]

    @cached_property
    def _points(self) -> pd.DataFrame:
        chemin = self.dossier / self.manifest.get("points", "points.csv")
        return pd.read_csv(chemin, dtype={"niveau": str, "code": str, "lon": float, "lat": float})

    def points(self) -> pd.DataFrame:
        """A point inside each région, département and EPCI (insets moved): where circles are drawn."""
        return self._points.copy()

    def preparer(self) -> None:
        """Compress now (≈ 0.2 s) rather than at the first request: under `passnum serve` before the
        workers fork, which then share the compressed files."""
        _ = self._compresses

    @cached_property
    def _compresses(self) -> dict[str, bytes]:
        # Compressed once per process rather than by every response.
        return {
            nom: gzip.compress((self.dossier / nom).read_bytes(), compresslevel=9, mtime=0)
            for nom in self.fichiers.values()
        }

    def reponse(self, nom: str) -> Response:
        if nom not in self.fichiers.values():
            abort(404)
        corps = self._compresses[nom]
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            reponse = Response(corps, mimetype="application/geo+json")
            reponse.headers["Content-Encoding"] = "gzip"
        else:
            reponse = Response(gzip.decompress(corps), mimetype="application/geo+json")
        reponse.headers["Cache-Control"] = CACHE_LONG
        reponse.headers["Vary"] = "Accept-Encoding"
        reponse.set_etag(nom)  # the name is the content hash
        return reponse.make_conditional(request)

    def enregistrer(self, serveur: Flask) -> None:
        serveur.add_url_rule(PREFIXE_URL + "<nom>", "geometrie", self.reponse)
