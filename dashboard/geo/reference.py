"""COG 2026 reference tables (names, parents, populations, EPCI membership) from @etalab."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .sources import ZONES_KEPT

# Legal nature of an EPCI, as laureate sub-types: métropoles (incl. the Métropole de Lyon) are "ME".
NATURE_EPCI = {"CC": "CC", "CA": "CA", "CU": "CU", "METRO": "ME", "MET69": "ME"}


@dataclass(frozen=True)
class Reference:
    communes: pd.DataFrame  # code, nom, code_departement, code_region, code_epci, population, anciens_codes
    departements: pd.DataFrame  # code, nom, code_region
    regions: pd.DataFrame  # code, nom
    epci: pd.DataFrame  # code, nom, nature (CC, CA, CU, ME)


def _kept(rows: list[dict]) -> list[dict]:
    return [row for row in rows if row.get("zone") in ZONES_KEPT]


def _communes(rows: list[dict], membership: dict[str, str]) -> pd.DataFrame:
    actual = [row for row in _kept(rows) if row["type"] == "commune-actuelle"]
    df = pd.DataFrame(
        {
            "code": [r["code"] for r in actual],
            "nom": [r["nom"] for r in actual],
            "code_departement": [r["departement"] for r in actual],
            "code_region": [r["region"] for r in actual],
            "code_epci": [membership.get(r["code"]) for r in actual],
            "population": [int(r.get("population", 0)) for r in actual],
            "anciens_codes": [tuple(r.get("anciensCodes", ())) for r in actual],
        }
    )
    return df.sort_values("code", ignore_index=True)


def _membership(epci_rows: list[dict]) -> dict[str, str]:
    """Commune code → EPCI SIREN; membership is only given on the EPCI side in @etalab."""
    return {m["code"]: e["code"] for e in epci_rows for m in e["membres"]}


def load_reference(etalab: dict[str, list[dict]]) -> Reference:
    membership = _membership(etalab["epci"])
    communes = _communes(etalab["communes"], membership)
    deps = pd.DataFrame(
        [(d["code"], d["nom"], d["region"]) for d in _kept(etalab["departements"])],
        columns=["code", "nom", "code_region"],
    )
    regions = pd.DataFrame([(r["code"], r["nom"]) for r in _kept(etalab["regions"])], columns=["code", "nom"])
    epci = pd.DataFrame(
        [(e["code"], e["nom"], NATURE_EPCI[e["type"]]) for e in etalab["epci"]],
        columns=["code", "nom", "nature"],
    )
    return Reference(
        communes=communes,
        departements=deps.sort_values("code", ignore_index=True),
        regions=regions.sort_values("code", ignore_index=True),
        epci=epci.sort_values("code", ignore_index=True),
    )
