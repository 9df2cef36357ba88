"""The reference geometry as the app serves it: data/geo's manifest, the versioned URL of each level,
the label points, and each file compressed once per process (served by dashboard.web.geometries).

The build (`passnum geo build`) names each GeoJSON by its content hash and lists them in manifest.json;
the map refers to `/geo/<name>` and callbacks never carry geometry.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from dashboard.settings import ROOT

PREFIXE_URL = "/geo/"
# plotly geo's world base, which plotly fetches before it draws any map (even with the base hidden):
# `<scope>_<resolution>.json` under the charts' `topojsonURL`, versioned by its content.
DOSSIER_TOPOJSON = ROOT / "assets" / "topojson"
TOPOJSON = "world_110m.json"
EMPREINTE_TOPOJSON = hashlib.sha256((DOSSIER_TOPOJSON / TOPOJSON).read_bytes()).hexdigest()[:8]
PREFIXE_TOPOJSON = "/topojson/"
URL_TOPOJSON = f"{PREFIXE_TOPOJSON}{EMPREINTE_TOPOJSON}/"


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

    def points_du_niveau(self, niveau: str) -> pd.DataFrame:
        """`points()` of one level (its rows as they are in the file). Shared, read-only."""
        return self._points_par_niveau[niveau]

    @cached_property
    def _points_par_niveau(self) -> dict[str, pd.DataFrame]:
        points = self._points
        return {niveau: points[points["niveau"] == niveau] for niveau in points["niveau"].unique()}

    def bornes(self, niveau: str) -> pd.DataFrame:
        """lon_min, lat_min, lon_max, lat_max of every territory of the level (DROM as moved into their
        insets), indexed by code: what the map frames. Read once per process (shared, read-only)."""
        return self._bornes[niveau]

    @cached_property
    def _bornes(self) -> dict[str, pd.DataFrame]:
        return {niveau: _bornes_du_fichier(self.dossier / nom) for niveau, nom in self.fichiers.items()}

    @cached_property
    def encarts(self) -> dict[str, tuple[float, float, float, float]]:
        """The bounds of each DROM in its inset: where the map draws the insets' frames. Shared,
        read-only."""
        deps = self.bornes("departement")
        codes = sorted(c for c in self.manifest.get("encarts", {}) if c in deps.index)
        return {c: tuple(float(v) for v in deps.loc[c]) for c in codes}

    def preparer(self) -> None:
        """Compress now rather than at the first request: under `passnum serve` before the
        workers fork, which then share the compressed files."""
        _ = self._compresses, self._bornes

    def compresse(self, nom: str) -> bytes | None:
        """The gzip-compressed file `nom` of the manifest; None for any other name."""
        return self._compresses.get(nom) if nom in self.fichiers.values() else None

    @cached_property
    def _compresses(self) -> dict[str, bytes]:
        # Compressed once per process rather than by every response.
        return {
            nom: gzip.compress((self.dossier / nom).read_bytes(), compresslevel=9, mtime=0)
            for nom in self.fichiers.values()
        }


def _bornes_du_fichier(chemin: Path) -> pd.DataFrame:
    lignes = {}
    for entite in json.loads(chemin.read_text(encoding="utf-8"))["features"]:
        points = list(_points_de(entite["geometry"]["coordinates"]))
        lon, lat = [p[0] for p in points], [p[1] for p in points]
        lignes[entite["properties"]["code"]] = (min(lon), min(lat), max(lon), max(lat))
    return pd.DataFrame.from_dict(
        lignes, orient="index", columns=["lon_min", "lat_min", "lon_max", "lat_max"]
    ).rename_axis("code")


def _points_de(coordonnees):
    """Every (lon, lat) of a GeoJSON geometry's nested coordinates."""
    if coordonnees and isinstance(coordonnees[0], (int, float)):
        yield coordonnees
        return
    for partie in coordonnees:
        yield from _points_de(partie)
