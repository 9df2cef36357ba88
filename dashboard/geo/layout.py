"""Layout "France rapprochée": mainland in Web Mercator, the five DROM as insets west of Brittany."""

from __future__ import annotations

import math

import numpy as np
import shapely

# Scales chosen so that each DROM reads at a size comparable to a mainland département.
INSET_SCALES = {"971": 2.1, "972": 3.4, "973": 0.45, "974": 2.8, "976": 4.5}
INSET_ORDER = ("971", "972", "973", "974", "976")  # top to bottom, the usual French order
INSET_GAP_M = 60_000.0  # between insets, and between the column and Ouessant (EPSG:3857 metres)
EARTH_RADIUS = 6378137.0  # EPSG:3857 sphere


def lonlat_to_mercator(lon: float, lat: float) -> tuple[float, float]:
    """EPSG:3857 forward, in plain math so moving a marker needs no pyproj."""
    x = math.radians(lon) * EARTH_RADIUS
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * EARTH_RADIUS
    return x, y


def mercator_to_lonlat(x: float, y: float) -> tuple[float, float]:
    lon = math.degrees(x / EARTH_RADIUS)
    lat = math.degrees(2 * math.atan(math.exp(y / EARTH_RADIUS)) - math.pi / 2)
    return lon, lat


def inset_parameters(mainland_bounds, drom_bounds: dict[str, tuple]) -> dict[str, dict]:
    """Scale, origin (bbox centre) and translation of each DROM, stacking them in one column.

    The column's east edge stays west of the mainland's bounding box, so insets never overlap it.
    """
    sizes = {c: _scaled_size(drom_bounds[c], INSET_SCALES[c]) for c in INSET_ORDER}
    column_width = max(w for w, _ in sizes.values())
    centre_x = mainland_bounds[0] - INSET_GAP_M - column_width / 2
    total = sum(h for _, h in sizes.values()) + INSET_GAP_M * (len(sizes) - 1)
    top = (mainland_bounds[1] + mainland_bounds[3]) / 2 + total / 2
    params = {}
    for code in INSET_ORDER:
        height = sizes[code][1]
        origin = _centre(drom_bounds[code])
        target = (centre_x, top - height / 2)
        params[code] = {
            "crs": "EPSG:3857",
            "scale": INSET_SCALES[code],
            "origin": [round(origin[0], 1), round(origin[1], 1)],
            "translation": [round(target[0] - origin[0], 1), round(target[1] - origin[1], 1)],
        }
        top -= height + INSET_GAP_M
    return params


def _centre(bounds) -> tuple[float, float]:
    return (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2


def _scaled_size(bounds, scale: float) -> tuple[float, float]:
    return (bounds[2] - bounds[0]) * scale, (bounds[3] - bounds[1]) * scale


def apply_inset(xy: np.ndarray, param: dict) -> np.ndarray:
    """x' = ox + scale·(x − ox) + tx (same for y): the transform recorded in the manifest."""
    origin = np.asarray(param["origin"], dtype=float)
    return origin + param["scale"] * (xy - origin) + np.asarray(param["translation"], dtype=float)


def move_geometries(geoms: np.ndarray, param: dict) -> np.ndarray:
    return shapely.transform(geoms, lambda xy: apply_inset(xy, param))


def project_point(lon: float, lat: float, departement_code: str, manifest: dict) -> tuple[float, float]:
    """Move a lon/lat point the way its DROM's shapes were moved (identity for mainland)."""
    param = manifest.get("encarts", {}).get(departement_code)
    if param is None:
        return lon, lat
    x, y = apply_inset(np.array(lonlat_to_mercator(lon, lat)), param)
    return mercator_to_lonlat(float(x), float(y))
