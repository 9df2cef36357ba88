"""Queries that return DataFrames for the pages and the command line (no Dash here)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from dashboard.domain.territoires import Niveau
from dashboard.store.schema import Territoire


def territoires(engine: Engine, niveau: Niveau) -> pd.DataFrame:
    """Reference territories of one level with population, area and density (inhabitants per km²)."""
    requete = (
        select(
            Territoire.code,
            Territoire.nom,
            Territoire.code_region,
            Territoire.code_departement,
            Territoire.population,
            Territoire.superficie_km2,
        )
        .where(Territoire.niveau == niveau.value)
        .order_by(Territoire.code)
    )
    with engine.connect() as connection:
        df = pd.read_sql(requete, connection)
    surface = df["superficie_km2"].where(df["superficie_km2"] > 0)
    df["densite"] = df["population"] / surface
    return df
