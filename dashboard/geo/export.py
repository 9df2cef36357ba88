"""Dissolving the commune coverage into the three map layers and writing them as compact GeoJSON."""

from __future__ import annotations

import hashlib
import json
import math
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
import shapely.geometry

# Simplification tolerance, in ground metres on the mainland, applied once to the pieces every layer is made
# of; Web Mercator stretches lengths by 1/cos(latitude), so the tolerance applied in EPSG:3857 is scaled at
# the mainland's mean latitude (46.5°).
TOLERANCE_M = 1000.0
MERCATOR_STRETCH = 1 / math.cos(math.radians(46.5))
FILE_STEM = {"region": "regions", "departement": "departements", "epci": "epci"}
PRECISION = 1e-4  # degrees: ~10 m, 4 decimals
# A piece = the communes of one EPCI in one département (or the communes without EPCI of a département, the
# islands): the coarsest shapes of which région, département and EPCI are all unions (89 EPCIs straddle).
PIECE_KEYS = ["code_region", "code_departement", "code_epci"]


def pieces(communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Coverage dissolve of the communes into pieces (EPCI × département), communes without EPCI kept."""
    shaped = communes[communes.geometry.notna()]
    grouped = shaped[[*PIECE_KEYS, "geometry"]].dissolve(by=PIECE_KEYS, method="coverage", dropna=False)
    return grouped.reset_index()


def simplify_pieces(shapes: gpd.GeoDataFrame, tolerance: float = TOLERANCE_M) -> gpd.GeoDataFrame:
    """`tolerance` in ground metres. coverage_simplify moves each shared border once for both sides, and
    the layers are then unions of the same simplified pieces: a région's outline is made of the very
    segments of its départements' and EPCIs' outlines, with no gap or overlap between levels."""
    simplified = shapely.coverage_simplify(shapes.geometry.to_numpy(), tolerance * MERCATOR_STRETCH)
    if not shapely.coverage_is_valid(simplified):
        raise RuntimeError("la simplification a rompu la couverture des pièces EPCI × département")
    return shapes.set_geometry(gpd.GeoSeries(simplified, index=shapes.index, crs=shapes.crs))


def dissolve_level(shapes: gpd.GeoDataFrame, key: str) -> gpd.GeoSeries:
    """Coverage dissolve (fast, and keeps shared borders shared) of the shapes by `key`."""
    shaped = shapes[shapes.geometry.notna() & shapes[key].notna()]
    return shaped[[key, "geometry"]].dissolve(by=key, method="coverage").geometry


def finish_for_web(shapes: gpd.GeoSeries) -> np.ndarray:
    """EPSG:4326, 4 decimals, no repeated points, valid, clockwise exteriors (plotly geo/d3 winding)."""
    geoms = shapes.to_crs(4326).to_numpy()
    # Pointwise rounding keeps the vertices shared by two neighbours identical on both sides.
    geoms = shapely.set_precision(geoms, PRECISION, mode="pointwise")
    geoms = shapely.remove_repeated_points(geoms)
    broken = ~shapely.is_valid(geoms)
    geoms[broken] = [_polygonal(shapely.make_valid(g)) for g in geoms[broken]]
    return shapely.orient_polygons(geoms, exterior_cw=True)


def _polygonal(geom):
    """make_valid may return a collection with stray lines: keep the polygons only."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if len(parts) != 1 else parts[0]


def _rounded(coords):
    if isinstance(coords[0], float | int):
        return [round(c, 4) for c in coords]
    return [_rounded(c) for c in coords]


def feature_collection(codes, names: dict[str, str], geoms: np.ndarray) -> bytes:
    """Compact GeoJSON with properties `code` and `nom` only, sorted by code (stable bytes, stable hash)."""
    features = []
    for code, geom in sorted(zip(codes, geoms, strict=True)):
        mapped = shapely.geometry.mapping(geom)
        geometry = {"type": mapped["type"], "coordinates": _rounded(mapped["coordinates"])}
        features.append(
            {"type": "Feature", "properties": {"code": code, "nom": names[code]}, "geometry": geometry}
        )
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_versioned(out_dir: Path, stem: str, payload: bytes) -> str:
    """Write `<stem>.<hash8>.geojson` and remove the older versions of that layer."""
    name = f"{stem}.{hashlib.sha256(payload).hexdigest()[:8]}.geojson"
    pattern = re.compile(rf"{re.escape(stem)}\.[0-9a-f]{{8}}\.geojson")
    for old in out_dir.iterdir():
        if pattern.fullmatch(old.name) and old.name != name:
            old.unlink()
    (out_dir / name).write_bytes(payload)
    return name
