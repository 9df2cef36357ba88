"""Checks of the committed reference geography in data/geo (regenerate with `passnum geo build`)."""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
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
