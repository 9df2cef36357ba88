"""Fast checks of the pure helpers of the geometry pipeline on tiny synthetic shapes."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

pytest.importorskip("geopandas")

from dashboard.geo import export, layout, repair


def test_geo101_hole_goes_to_the_ranked_neighbour():
    # Two squares with an empty square between them, enclosed by a frame: the hole touches both.
    left, right = shapely.box(0, 0, 1, 3), shapely.box(2, 0, 3, 3)
    frame = shapely.difference(shapely.box(-1, -1, 4, 4), shapely.box(0, 0, 3, 3))
    geoms = np.array([left, right, frame], dtype=object)
    codes = np.array(["A", "B", "F"])
    filled, n = repair.fill_holes(geoms, codes, {"B": 2}, keep=None)
    assert n == 1 and filled[1].area == pytest.approx(6.0) and filled[0].area == pytest.approx(3.0)
    assert repair.union_holes(shapely.coverage_clean(filled)) == []


def test_geo102_hole_around_keep_point_is_kept():
    frame = shapely.difference(shapely.box(0, 0, 4, 4), shapely.box(1, 1, 2, 2))
    keep = shapely.Point(1.5, 1.5)
    filled, n = repair.fill_holes(np.array([frame], dtype=object), np.array(["A"]), {}, keep)
    assert n == 0 and len(repair.union_holes(filled)) == 1


def test_geo103_inset_column_is_west_of_mainland():
    mainland = (0.0, 0.0, 1000e3, 1000e3)
    drom = {c: (5e6 + i * 1e6, 0.0, 5e6 + i * 1e6 + 50e3, 50e3) for i, c in enumerate(layout.INSET_ORDER)}
    params = layout.inset_parameters(mainland, drom)
    for code, bounds in drom.items():
        corners = np.array([[bounds[0], bounds[1]], [bounds[2], bounds[3]]])
        moved = layout.apply_inset(corners, params[code])
        assert moved[:, 0].max() < mainland[0]
        assert moved[1, 0] - moved[0, 0] == pytest.approx(50e3 * layout.INSET_SCALES[code])


def test_geo104_project_point_matches_the_geometry_transform():
    manifest = {"encarts": {"972": {"scale": 2.0, "origin": [0.0, 0.0], "translation": [1000.0, -500.0]}}}
    assert layout.project_point(3.0, 45.0, "44", manifest) == (3.0, 45.0)
    x, y = layout.lonlat_to_mercator(-61.0, 14.6)
    lon, lat = layout.project_point(-61.0, 14.6, "972", manifest)
    assert layout.lonlat_to_mercator(lon, lat) == pytest.approx((2 * x + 1000.0, 2 * y - 500.0))


def test_geo105_feature_collection_is_compact_and_rounded():
    square = shapely.orient_polygons(shapely.box(0.123456, 1.0, 2.0, 3.987654), exterior_cw=True)
    payload = export.feature_collection(["01"], {"01": "Ain"}, np.array([square], dtype=object))
    assert b" " not in payload and b"0.1235" in payload and b"3.9877" in payload
    feature = json.loads(payload)["features"][0]
    assert feature["properties"] == {"code": "01", "nom": "Ain"}


def test_geo106_write_versioned_replaces_old_versions(tmp_path):
    (tmp_path / "regions.00000000.geojson").write_bytes(b"old")
    (tmp_path / "regions_notes.txt").write_bytes(b"keep")
    name = export.write_versioned(tmp_path, "regions", b"{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "regions_notes.txt"])
    assert name.startswith("regions.") and len(name.split(".")[1]) == 8


def test_geo107_finish_for_web_orients_clockwise():
    import geopandas as gpd

    ccw = shapely.Polygon([(0, 0), (100e3, 0), (100e3, 100e3), (0, 100e3)])
    out = export.finish_for_web(gpd.GeoSeries([ccw], crs=3857))
    assert not out[0].exterior.is_ccw and shapely.is_valid(out[0])


def test_geo108_label_point_is_the_centroid_when_inside():
    from dashboard.geo import points

    assert points.label_point(shapely.box(0, 0, 2, 2)) == shapely.Point(1, 1)


def test_geo109_label_point_of_a_crescent_falls_on_its_surface():
    from dashboard.geo import points

    crescent = shapely.difference(
        shapely.box(0, 0, 3, 3), shapely.box(1, 1, 3, 2)
    )  # a "C": centroid in the gap
    assert not crescent.contains(crescent.centroid)
    assert crescent.contains(points.label_point(crescent))


def test_geo110_label_point_of_islands_is_on_the_largest_part():
    from dashboard.geo import points

    islands = shapely.MultiPolygon([shapely.box(0, 0, 0.1, 0.1), shapely.box(5, 5, 9, 9)])
    assert points.label_point(islands) == shapely.Point(7, 7)


def test_geo111_points_csv_bytes_sorted_and_rounded(tmp_path):
    from dashboard.geo import points

    rows = points.level_points(
        "departement", ["976", "29"], np.array([shapely.box(0, 0, 1, 1), shapely.box(-1e-5, 0, 1e-5, 1)])
    )
    points.write_points(tmp_path, rows)
    assert (tmp_path / "points.csv").read_bytes() == (
        b"niveau,code,lon,lat\ndepartement,29,0.0000,0.5000\ndepartement,976,0.5000,0.5000\n"
    )
