"""Every commune code a file may carry, of any COG vintage since 2015, and today's commune it stands for.

Written by the geometry build to data/geo/codes_communes.csv (or alone:
python -m dashboard.geo.codes [--out data/geo] [--etalab-tarball PATH]) from @etalab/decoupage-administratif:
- `actuelle`: a commune of the current COG (with its SIREN and postcodes);
- `ancienne`: a former code (`anciensCodes`: communes nouvelles, fusions, changes of département);
- `deleguee` / `associee`: a commune déléguée or associée, under its chef-lieu;
- `arrondissement`: an arrondissement municipal of Paris, Lyon or Marseille, under its commune.
A code that is both current and the code of a commune déléguée (the chef-lieu) is `actuelle`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from dashboard.domain.territoires import COLONNES_CODES_COMMUNES

from . import sources

FICHIER = "codes_communes.csv"
NATURES = {
    "commune-deleguee": "deleguee",
    "commune-associee": "associee",
    "arrondissement-municipal": "arrondissement",
}


def table_codes(communes: list[dict]) -> pd.DataFrame:
    """One row per code: nature, today's commune (code_actuel), the code's own name, SIREN, postcodes."""
    gardees = [c for c in communes if c.get("zone") in sources.ZONES_KEPT]
    actuelles = {c["code"]: c for c in gardees if c["type"] == "commune-actuelle"}
    lignes: dict[str, dict] = {}

    def ajouter(code: str, nature: str, actuel: str, nom: str, siren="", codes_postaux=()) -> None:
        if code in lignes:
            return
        lignes[code] = {
            "code": code,
            "nature": nature,
            "code_actuel": actuel,
            "nom": nom,
            "siren": siren or "",
            "codes_postaux": ";".join(codes_postaux),
        }

    for code, c in sorted(actuelles.items()):
        ajouter(code, "actuelle", code, c["nom"], c.get("siren"), c.get("codesPostaux", ()))
    for c in gardees:
        nature = NATURES.get(c["type"])
        parent = c.get("chefLieu") or c.get("commune")
        if nature and parent in actuelles:
            ajouter(c["code"], nature, parent, c["nom"], "", c.get("codesPostaux", ()))
    for code, c in sorted(actuelles.items()):
        for ancien in c.get("anciensCodes", ()):
            ajouter(ancien, "ancienne", code, "", "")
    table = pd.DataFrame(list(lignes.values()), columns=list(COLONNES_CODES_COMMUNES))
    return table.sort_values("code", ignore_index=True)


def write_codes(out_dir: Path, communes: list[dict]) -> Path:
    chemin = Path(out_dir) / FICHIER
    table_codes(communes).to_csv(chemin, index=False, encoding="utf-8", lineterminator="\n")
    return chemin


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.geo.codes", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[2] / "data" / "geo")
    parser.add_argument("--etalab-tarball", type=Path, default=None)
    args = parser.parse_args(argv)
    tarball = args.etalab_tarball or sources.fetch_etalab_tarball()
    chemin = write_codes(args.out, sources.read_etalab(tarball)["communes"])
    print(chemin, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
