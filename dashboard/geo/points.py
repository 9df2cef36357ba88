"""points.csv: one label point per région, département and EPCI, for proportional circles on the map.

Points are taken on the shapes as written for the web (insets already moved, simplified, EPSG:4326), so
a circle falls inside the shape the browser draws, overseas ones on their inset.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import shapely

from .export import PRECISION

FILE_NAME = "points.csv"
COLUMNS = ["niveau", "code", "lon", "lat"]


def _rounded(point: shapely.Point) -> shapely.Point:
    return shapely.Point(round(point.x, 4), round(point.y, 4))


def label_point(geom: shapely.Geometry) -> shapely.Point:
    """A point inside the largest part: its centroid when that lies inside (it reads as the middle),
    otherwise a point on its surface (crescent-shaped or hollow parts)."""
    parts = shapely.get_parts(geom)
    # Areas in square degrees are distorted by latitude, but only parts of one territory are compared.
    largest = parts[int(np.argmax(shapely.area(parts)))]
    for candidate in (largest.centroid, largest.point_on_surface()):
        # Rounding to 4 decimals may step out of a very thin part: keep a candidate only if it stays in.
        point = _rounded(candidate)
        if largest.contains(point):
            return point
    return _nudged_inside(largest)


def _nudged_inside(part: shapely.Polygon) -> shapely.Point:
    """Last resort for a sliver thinner than the rounding: the rounded grid point nearest the inside."""
    centre = part.point_on_surface()
    steps = np.arange(-3, 4) * PRECISION
    candidates = [
        shapely.Point(round(centre.x + dx, 4), round(centre.y + dy, 4)) for dx in steps for dy in steps
    ]
    inside = [p for p in candidates if part.contains(p)]
    return min(inside or candidates, key=lambda p: (p.distance(centre), p.x, p.y))


def level_points(level: str, codes, geoms: np.ndarray) -> list[tuple[str, str, float, float]]:
    rows = []
    for code, geom in zip(codes, geoms, strict=True):
        point = label_point(geom)
        rows.append((level, code, point.x, point.y))
    return sorted(rows, key=lambda row: row[1])


def write_points(out_dir: Path, rows: list[tuple[str, str, float, float]]) -> str:
    """Rows already in level order, then by code: the bytes are stable from one build to the next."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    # `+ 0.0` turns a -0.0 (near the Greenwich meridian) into 0.0, so no "-0.0000" appears.
    writer.writerows((level, code, f"{lon + 0.0:.4f}", f"{lat + 0.0:.4f}") for level, code, lon, lat in rows)
    (Path(out_dir) / FILE_NAME).write_bytes(buffer.getvalue().encode("utf-8"))
    return FILE_NAME
