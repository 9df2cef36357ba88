"""`passnum indicateurs --niveau …`: the dashboard's indicator table through the same code path,
machine-readable (dot decimal, no grouping, rates as fractions 0–1), with the filters of the URL (one
codec)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from dashboard.domain.filtres import Filtres, lire_filtres
from dashboard.domain.texte import neutraliser_formule
from dashboard.domain.vocabulaire import NIVEAUX_TERRITORIAUX
from dashboard.settings import Settings

if TYPE_CHECKING:
    import pandas as pd

FILTRES_CLI = ("vague", "type", "region", "subvention", "distribues", "taux", "periode")


def pour_machine(table: pd.DataFrame) -> pd.DataFrame:
    """Numbers rounded as the dashboard and its exports show them (rates to 4 decimals, euros to the
    cent, passes whole: dashboard.exports.tableurs.decimales), whole-number columns as integers."""
    import pandas as pd

    from dashboard.domain.formatage import arrondi
    from dashboard.exports.tableurs import decimales

    sortie = table.copy()
    for colonne in sortie.select_dtypes("number").columns:
        places = decimales(colonne)
        sortie[colonne] = [v if pd.isna(v) else float(arrondi(v, places)) for v in sortie[colonne]]
    for colonne in sortie.select_dtypes("number").columns:
        valeurs = sortie[colonne].dropna()
        if len(valeurs) and (valeurs == valeurs.round()).all() and not colonne.startswith(("taux", "part")):
            sortie[colonne] = sortie[colonne].round().astype("Int64")
    return sortie


def ajouter(sous) -> None:
    ind = sous.add_parser("indicateurs", help="afficher le tableau des indicateurs du tableau de bord")
    ind.add_argument("--niveau", choices=["porteur", *NIVEAUX_TERRITORIAUX], required=True)
    ind.add_argument("--vue", choices=["porteurs", "territoires"], default=None)
    ind.add_argument("--format", choices=["csv", "json"], default="csv")
    ind.add_argument("--vague", help="2019, 2020 ou 2019,2020")
    ind.add_argument("--type", help="types de lauréats : CR,CD,EPCI,SM")
    ind.add_argument("--region", help="code(s) de région, séparés par des virgules")
    ind.add_argument("--subvention", help="plage de subvention État engagée en €, ex. 10000-500000")
    ind.add_argument("--distribues", help="plage de pass distribués, ex. 0-50000")
    ind.add_argument("--taux", help="plage de taux d'utilisation (fraction), ex. 0.2-0.8")
    ind.add_argument(
        "--periode",
        help="flux de la période, ex. 2020-01..2022-12, 2021-03.. (depuis) ou ..2021-12 (jusqu'à)",
    )
    ind.set_defaults(executer=executer)


def executer(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.store.db import make_engine

    filtres = lire_filtres({cle: getattr(args, cle) for cle in FILTRES_CLI})
    engine = make_engine(settings.resolved_database_url)
    sys.stdout.write(texte_machine(table_machine(engine, args.niveau, args.vue, filtres), args.format))
    return 0


def table_machine(engine, niveau: str, vue: str | None, filtres: Filtres) -> pd.DataFrame:
    """The table this command prints (and the open-data API serves, dashboard.web.api): the dashboard's
    indicator table, hidden base columns dropped, numbers rounded for machines."""
    from dashboard.domain.indicateurs import INDICATEURS
    from dashboard.store.indicateurs import table_indicateurs

    caches = [i.id for i in INDICATEURS if not i.visible]
    return pour_machine(table_indicateurs(engine, niveau, vue, filtres).drop(columns=caches))


def texte_machine(table: pd.DataFrame, format_: str) -> str:
    """JSON records, or CSV (comma, dot decimal, names neutralised for spreadsheets), one line each."""
    if format_ == "json":  # each number written as its shortest exact form (174365.08, never …07999999)
        import orjson

        lignes = table.astype(object).where(table.notna(), None).to_dict("records")
        return orjson.dumps(lignes, option=orjson.OPT_SERIALIZE_NUMPY).decode() + "\n"
    table = table.assign(nom=table["nom"].map(neutraliser_formule))  # a spreadsheet will open this file
    return table.to_csv(index=False, lineterminator="\n", float_format="%.12g")
