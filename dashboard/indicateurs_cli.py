"""`passnum indicateurs`: the dashboard's indicator table, machine-readable (dot decimal, no grouping)."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from dashboard.domain.filtres import lire_filtres
from dashboard.domain.texte import neutraliser_formule
from dashboard.settings import Settings
from dashboard.store.db import make_engine
from dashboard.store.indicateurs import table_indicateurs

FILTRES_CLI = ("vague", "type", "region", "subvention", "distribues", "taux", "periode")


def pour_machine(table: pd.DataFrame) -> pd.DataFrame:
    """Whole-number columns as integers (rates and amounts with cents stay decimal)."""
    sortie = table.copy()
    for colonne in sortie.select_dtypes("number").columns:
        valeurs = sortie[colonne].dropna()
        if len(valeurs) and (valeurs == valeurs.round()).all() and not colonne.startswith(("taux", "part")):
            sortie[colonne] = sortie[colonne].round().astype("Int64")
    return sortie


def executer_indicateurs(args: argparse.Namespace, settings: Settings) -> int:
    filtres = lire_filtres({cle: getattr(args, cle) for cle in FILTRES_CLI})
    engine = make_engine(settings.resolved_database_url)
    table = pour_machine(table_indicateurs(engine, args.niveau, args.vue, filtres))
    if args.format == "json":
        sys.stdout.write(table.to_json(orient="records", force_ascii=False, double_precision=15) + "\n")
    else:
        table["nom"] = table["nom"].map(neutraliser_formule)  # a spreadsheet will open this file
        table.to_csv(sys.stdout, index=False, lineterminator="\n", float_format="%.12g")
    return 0
