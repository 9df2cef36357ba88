"""territoires.csv: one row per région, département, EPCI and commune with parents, population, area."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.domain.territoires import COLONNES_TERRITOIRES

from .reference import Reference
from .sources import COG_MILLESIME

COLUMNS = list(COLONNES_TERRITOIRES)
LEVEL_ORDER = ["region", "departement", "epci", "commune"]


def _sum_by(communes: pd.DataFrame, key: str) -> pd.DataFrame:
    """Population and area of a level as sums over its communes (area stays empty if none is known)."""
    grouped = communes.groupby(key)
    return pd.DataFrame(
        {
            "population": grouped["population"].sum(),
            "superficie_km2": grouped["superficie_km2"].sum(min_count=1),
        }
    )


def epci_parents(communes: pd.DataFrame) -> pd.DataFrame:
    """Département and région of each EPCI: those holding most of its population (EPCIs may straddle)."""
    keys = ["code_epci", "code_departement", "code_region"]
    pops = communes.groupby(keys, as_index=False)["population"].sum()
    top = pops.sort_values(["code_epci", "population", "code_departement"], ascending=[True, False, True])
    return top.drop_duplicates("code_epci").set_index("code_epci")[["code_departement", "code_region"]]


def territoires(ref: Reference, communes: pd.DataFrame) -> pd.DataFrame:
    """`communes` = ref.communes plus a `superficie_km2` column (NaN when the commune has no shape)."""
    regions = ref.regions.join(_sum_by(communes, "code_region"), on="code")
    deps = ref.departements.join(_sum_by(communes, "code_departement"), on="code")
    epci = ref.epci.join(_sum_by(communes, "code_epci"), on="code").join(epci_parents(communes), on="code")
    frames = [
        regions.assign(niveau="region"),
        deps.assign(niveau="departement"),
        epci.assign(niveau="epci"),
        communes.assign(niveau="commune"),
    ]
    table = pd.concat([f.reindex(columns=COLUMNS) for f in frames], ignore_index=True)
    table["millesime"] = COG_MILLESIME
    table["population"] = table["population"].astype("int64")
    table["superficie_km2"] = table["superficie_km2"].round(2)
    table["niveau"] = pd.Categorical(table["niveau"], categories=LEVEL_ORDER, ordered=True)
    return table.sort_values(["niveau", "code"], ignore_index=True)


def write_territoires(table: pd.DataFrame, path: Path) -> None:
    table.to_csv(path, index=False, encoding="utf-8", float_format="%.2f", lineterminator="\n")
