"""The three layers are unions of the same simplified pieces, on a small synthetic map (EPSG:3857 metres)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

pytest.importorskip("geopandas")

import geopandas as gpd

from dashboard.geo import export

W, H, STEPS, WIGGLE = 10_000.0, 40_000.0, 40, 300.0  # wiggles well under the 1 km tolerance


def _border(x: float) -> list[tuple[float, float]]:
    """A south-north zigzag border at x (straight on the map's west and east edges)."""
    inner = 0 < x < 4 * W
    return [(x + (WIGGLE if i % 2 else -WIGGLE) * inner, i * H / STEPS) for i in range(STEPS + 1)]


def _coast(x_from: float, x_to: float, y: float) -> list[tuple[float, float]]:
    """A wiggling south or north edge, its wiggles pointing out to sea."""
    xs = np.linspace(x_from, x_to, 11)
    return [(float(x), y + (WIGGLE if y else -WIGGLE) * (i % 2)) for i, x in enumerate(xs)]


def _strip(k: int) -> shapely.Polygon:
    west, east = _border(k * W), _border((k + 1) * W)
    south, north = _coast(west[0][0], east[0][0], 0.0), _coast(east[-1][0], west[-1][0], H)
    return shapely.Polygon(south + east[1:] + north[1:] + west[::-1][1:])


@pytest.fixture
def communes() -> gpd.GeoDataFrame:
    """Four communes side by side in two départements of one région; EPCI Y straddles the two
    départements; an island of département 02 belongs to no EPCI (like L'Île-d'Yeu)."""
    return gpd.GeoDataFrame(
        {
            "code_region": ["R"] * 5,
            "code_departement": ["01", "01", "02", "02", "02"],
            "code_epci": ["X", "Y", "Y", "Z", None],
            "geometry": [*(_strip(k) for k in range(4)), shapely.box(6 * W, H / 4, 7 * W, H / 2)],
        },
        crs=3857,
    )


def _layers(shapes) -> dict[str, gpd.GeoSeries]:
    keys = {"region": "code_region", "departement": "code_departement", "epci": "code_epci"}
    return {level: export.dissolve_level(shapes, key) for level, key in keys.items()}


def test_brd001_pieces_split_a_straddling_epci_and_keep_the_islands(communes):
    pieces = export.pieces(communes)
    keys = pieces[export.PIECE_KEYS].fillna("—").apply(tuple, axis=1).tolist()
    assert sorted(keys) == [
        ("R", "01", "X"),
        ("R", "01", "Y"),
        ("R", "02", "Y"),
        ("R", "02", "Z"),
        ("R", "02", "—"),
    ]
    assert shapely.coverage_is_valid(pieces.geometry.to_numpy())


def test_brd002_layers_of_the_simplified_pieces_share_their_borders(communes):
    simplified = export.simplify_pieces(export.pieces(communes))
    # The wiggles are gone: simplification did happen (101 vertices per strip before).
    assert shapely.get_num_coordinates(simplified.geometry.to_numpy()).max() < 12
    layers = _layers(simplified)
    region, deps, epci = layers["region"]["R"], layers["departement"], layers["epci"]
    assert list(deps.index) == ["01", "02"] and list(epci.index) == ["X", "Y", "Z"]
    assert shapely.symmetric_difference(region, shapely.union_all(deps.to_numpy())).area == 0
    # Each EPCI lies within its départements, the straddling one split exactly along their border.
    assert shapely.difference(epci["X"], deps["01"]).area == 0
    assert shapely.difference(epci["Z"], deps["02"]).area == 0
    halves = [shapely.intersection(epci["Y"], deps[d]).area for d in ("01", "02")]
    assert min(halves) > 0.2 * W * H and sum(halves) == pytest.approx(epci["Y"].area, abs=1e-3)
    # What the départements hold beyond the EPCIs is the island without EPCI, and only it.
    island = simplified.loc[simplified["code_epci"].isna()].geometry.iloc[0]
    rest = shapely.difference(shapely.union_all(deps.to_numpy()), shapely.union_all(epci.to_numpy()))
    assert shapely.symmetric_difference(rest, island).area == pytest.approx(0, abs=1e-3)


def test_brd003_simplifying_each_layer_apart_would_not_line_up(communes):
    """The fixture catches the old way: each layer dissolved, then simplified on its own (same tolerance)."""
    apart = {
        level: shapely.coverage_simplify(shapes.to_numpy(), export.TOLERANCE_M * export.MERCATOR_STRETCH)
        for level, shapes in _layers(communes).items()
    }
    region, deps = apart["region"][0], shapely.union_all(apart["departement"])
    assert shapely.symmetric_difference(region, deps).area > 1e6  # over 1 km² of slivers
    together = _layers(export.simplify_pieces(export.pieces(communes)))
    assert shapely.symmetric_difference(
        together["region"]["R"], shapely.union_all(together["departement"].to_numpy())
    ).area == pytest.approx(0, abs=1e-3)
