"""Checks of the committed reference geography in data/geo (regenerate with `passnum geo build`)."""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import math
import re

import pandas as pd
import pytest
import shapely

from dashboard.settings import ROOT

GEO_DIR = ROOT / "data" / "geo"
LEVELS = ("region", "departement", "epci")
DROM = ("971", "972", "973", "974", "976")
LLIVIA = shapely.Point(1.98, 42.46)


@functools.cache
def manifest() -> dict:
    return json.loads((GEO_DIR / "manifest.json").read_text("utf-8"))


@functools.cache
def raw(level: str) -> bytes:
    return (GEO_DIR / manifest()["fichiers"][level]).read_bytes()


@functools.cache
def features(level: str) -> list[dict]:
    return json.loads(raw(level))["features"]


@functools.cache
def shapes(level: str) -> dict[str, shapely.Geometry]:
    return {f["properties"]["code"]: shapely.geometry.shape(f["geometry"]) for f in features(level)}


@functools.cache
def table() -> pd.DataFrame:
    return pd.read_csv(GEO_DIR / "territoires.csv", dtype=str, keep_default_na=False)


def polygons(level: str) -> list[shapely.Polygon]:
    return [p for g in shapes(level).values() for p in shapely.get_parts(g)]


def test_geo001_feature_counts():
    n_epci = (table()["niveau"] == "epci").sum()
    assert n_epci > 1200
    assert [len(features(level)) for level in LEVELS] == [18, 101, n_epci]


def test_geo002_properties_are_code_and_nom_only():
    for level in LEVELS:
        assert all(set(f["properties"]) == {"code", "nom"} for f in features(level)), level


@pytest.mark.parametrize("level", LEVELS)
def test_geo003_codes_and_names_match_territoires(level):
    rows = table()[table()["niveau"] == level]
    expected = dict(zip(rows["code"], rows["nom"], strict=True))
    got = {f["properties"]["code"]: f["properties"]["nom"] for f in features(level)}
    assert got == expected


@pytest.mark.parametrize("level", LEVELS)
def test_geo004_coverage_valid_per_level(level):
    assert shapely.coverage_is_valid(list(shapes(level).values()))


def test_geo005_union_of_departements_has_one_hole_llivia():
    union = shapely.coverage_union_all(list(shapes("departement").values()))
    holes = [shapely.Polygon(ring) for part in shapely.get_parts(union) for ring in part.interiors]
    assert len(holes) == 1
    assert holes[0].contains(LLIVIA)


@pytest.mark.parametrize("level", LEVELS)
def test_geo006_polygons_valid_and_clockwise(level):
    assert all(shapely.is_valid(g) for g in shapes(level).values())
    for polygon in polygons(level):
        assert not polygon.exterior.is_ccw
        assert all(ring.is_ccw for ring in polygon.interiors)


@pytest.mark.parametrize("level", LEVELS)
def test_geo007_at_most_four_decimals(level):
    decimals = re.findall(rb"\.(\d+)", raw(level))
    assert decimals and max(len(d) for d in decimals) <= 4


def test_geo008_size_budget_gzipped():
    total = sum(len(gzip.compress(raw(level), compresslevel=6)) for level in LEVELS)
    assert total <= 600 * 1024


def test_geo009_insets_west_of_mainland():
    deps = shapes("departement")
    mainland = shapely.box(*shapely.total_bounds([g for c, g in deps.items() if c not in DROM]))
    boxes = [shapely.box(*deps[code].bounds) for code in DROM]
    assert all(not box.intersects(mainland) and box.bounds[2] < mainland.bounds[0] for box in boxes)
    assert not any(a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_geo010_population_sums_agree():
    t = table().assign(population=lambda d: d["population"].astype(int))
    by_level = t.groupby("niveau")["population"].sum()
    assert by_level["region"] == by_level["departement"] == by_level["commune"] > 67_000_000
    communes = t[t["niveau"] == "commune"]
    deps = t[t["niveau"] == "departement"].set_index("code")["population"]
    assert communes.groupby("code_departement")["population"].sum().equals(deps.sort_index())


def test_geo011_every_commune_parent_exists():
    t = table()
    codes = {level: set(t.loc[t["niveau"] == level, "code"]) for level in ("region", "departement", "epci")}
    communes = t[t["niveau"] == "commune"]
    assert len(communes) > 34_800
    assert set(communes["code_region"]) <= codes["region"]
    assert set(communes["code_departement"]) <= codes["departement"]
    no_epci = communes.loc[communes["code_epci"] == "", "code"]
    assert sorted(no_epci) == ["22016", "29083", "29155", "85113"]  # Bréhat, Sein, Ouessant, Yeu
    assert set(communes["code_epci"]) - {""} == codes["epci"]
    deps = t[t["niveau"] == "departement"]
    assert set(deps["code_region"]) == codes["region"]


def test_geo012_manifest_and_versioned_names():
    m = manifest()
    assert m["millesime_cog"] == 2026 and set(m["encarts"]) == set(DROM)
    for level in LEVELS:
        name = m["fichiers"][level]
        assert re.fullmatch(r"(regions|departements|epci)\.[0-9a-f]{8}\.geojson", name)
        assert name.split(".")[1] == hashlib.sha256(raw(level)).hexdigest()[:8]
    assert sorted(p.name for p in GEO_DIR.glob("*.geojson")) == sorted(m["fichiers"].values())


def test_geo013_project_point_lands_in_its_inset():
    from dashboard.geo.build import project_point

    assert project_point(2.35, 48.85, "75", manifest()) == (2.35, 48.85)
    moved = shapely.Point(project_point(-61.07, 14.6, "972", manifest()))  # Fort-de-France
    assert shapes("departement")["972"].buffer(0.05).contains(moved)
    assert not shapes("departement")["971"].buffer(0.05).contains(moved)


def test_geo014_areas_are_true_areas():
    t = table()
    area = t[t["niveau"].isin(["region", "commune"])].set_index(["niveau", "code"])["superficie_km2"]
    assert 26_500 < float(area[("region", "53")]) < 28_000  # Bretagne ≈ 27,200 km²
    assert 83_000 < float(area[("region", "03")]) < 84_500  # Guyane ≈ 83,800 km²
    assert 104 < float(area[("commune", "75056")]) < 106  # Paris ≈ 105.4 km²
    assert area[("commune", "15031")] == ""  # Celles (Cantal, 2025) has no shape in the sources


@functools.cache
def label_points() -> pd.DataFrame:
    return pd.read_csv(
        GEO_DIR / manifest()["points"], dtype={"niveau": str, "code": str, "lon": str, "lat": str}
    )


def test_geo015_points_listed_in_manifest_with_four_decimals():
    assert manifest()["points"] == "points.csv"
    points = label_points()
    assert list(points.columns) == ["niveau", "code", "lon", "lat"]
    assert (
        points["lon"].str.fullmatch(r"-?\d+\.\d{4}").all()
        and points["lat"].str.fullmatch(r"\d+\.\d{4}").all()
    )


@pytest.mark.parametrize("level", LEVELS)
def test_geo016_one_point_per_feature_inside_its_shape(level):
    points = label_points()[label_points()["niveau"] == level]
    assert sorted(points["code"]) == sorted(shapes(level))
    outside = [
        code
        for code, lon, lat in zip(
            points["code"], points["lon"].astype(float), points["lat"].astype(float), strict=True
        )
        if not shapes(level)[code].contains(shapely.Point(lon, lat))
    ]
    assert outside == []


def test_geo017_drom_points_on_their_insets_west_of_mainland():
    points = label_points().set_index(["niveau", "code"])
    lon = points["lon"].astype(float)
    mainland_west = min(
        shapes("departement")[code].bounds[0] for code in shapes("departement") if code not in DROM
    )
    assert all(lon[("departement", code)] < mainland_west for code in DROM)
    assert all(lon[("region", code)] < mainland_west for code in ("01", "02", "03", "04", "06"))
    assert lon[("departement", "75")] == pytest.approx(2.34, abs=0.05)  # Paris stays where it is


# Borders shared by the three levels: each layer is a union of the same simplified EPCI × département pieces.
KM_PER_DEGREE = 111.32
SLIVER_KM2 = 0.01  # 1 ha: what "no gap, no overlap between levels" tolerates (float noise is ~1e-9 km²)
WITHOUT_EPCI = {"22": ["22016"], "29": ["29083", "29155"], "85": ["85113"]}  # Bréhat; Sein, Ouessant; Yeu


def km2(geom: shapely.Geometry) -> float:
    """Area in km² from square degrees at the shape's latitude: coarse, but tells a sliver from nothing."""
    if geom.is_empty:
        return 0.0
    return geom.area * KM_PER_DEGREE**2 * math.cos(math.radians(geom.centroid.y))


@functools.cache
def departements_of_epci() -> dict[str, set[str]]:
    communes = table()[(table()["niveau"] == "commune") & (table()["code_epci"] != "")]
    return communes.groupby("code_epci")["code_departement"].agg(set).to_dict()


def union_of(level: str, codes) -> shapely.Geometry:
    return shapely.union_all([shapes(level)[code] for code in codes])


def vertices(geoms) -> set[tuple[float, float]]:
    return set(map(tuple, shapely.get_coordinates(list(geoms)).tolist()))


def test_brd004_each_region_is_the_union_of_its_departements():
    deps = table()[table()["niveau"] == "departement"].groupby("code_region")["code"].agg(list)
    gaps = {
        code: km2(shapely.symmetric_difference(region, union_of("departement", deps[code])))
        for code, region in shapes("region").items()
    }
    assert {code: area for code, area in gaps.items() if area > SLIVER_KM2} == {}


def test_brd005_each_departement_is_covered_by_its_epci_but_for_its_islands_without_epci():
    epci_of = {
        code: [e for e, deps in departements_of_epci().items() if code in deps]
        for code in shapes("departement")
    }
    uncovered = {
        code: shapely.difference(dep, union_of("epci", epci_of[code]))
        for code, dep in shapes("departement").items()
    }
    assert {code for code, rest in uncovered.items() if km2(rest) > SLIVER_KM2} == set(WITHOUT_EPCI)
    epci_layer = shapely.union_all(list(shapes("epci").values()))
    areas = table().set_index("code")["superficie_km2"]
    for code, communes in WITHOUT_EPCI.items():
        # What is left is the islands themselves, drawn apart from every EPCI, not a sliver along a border.
        assert not any(part.intersects(epci_layer) for part in shapely.get_parts(uncovered[code])), code
        true_area = sum(float(areas[c]) for c in communes)
        assert 0.4 * true_area < km2(uncovered[code]) < 1.5 * true_area, code


def test_brd006_each_epci_lies_within_its_departements():
    deps = departements_of_epci()
    overflow = {
        code: km2(shapely.difference(epci, union_of("departement", deps[code])))
        for code, epci in shapes("epci").items()
    }
    assert {code: area for code, area in overflow.items() if area > SLIVER_KM2} == {}


def test_brd007_outlines_are_made_of_the_same_vertices():
    deps = shapes("departement").values()
    assert vertices(shapes("region").values()) - vertices(deps) == set()
    # A département vertex is an EPCI vertex, unless the département border runs across an EPCI that
    # straddles it, or around an island without EPCI.
    epci_layer = shapely.union_all(list(shapes("epci").values()))
    islands = [p for c in WITHOUT_EPCI for p in shapely.get_parts(shapes("departement")[c])]
    islands = [p for p in islands if not p.intersects(epci_layer)]
    straddling = [shapes("epci")[e] for e, d in departements_of_epci().items() if len(d) > 1]
    across = shapely.union_all(straddling)
    elsewhere = vertices(deps) - vertices(shapes("epci").values()) - vertices(islands)
    assert [xy for xy in sorted(elsewhere) if not across.intersects(shapely.Point(xy))] == []
