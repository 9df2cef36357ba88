"""Exports, each stamped (`estampille`): spreadsheets (`tableurs`: CSV for French Excel, XLSX), images
(`png`, rendered offline by kaleido) and the briefing deck (`pdf`), all through the one Chromium of
`chromium`. `tableur` and `image` give the file a page sends, named after what it shows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from dashboard.exports.estampille import EnteteExport, nom_fichier

FormatTableur = Literal["csv", "xlsx"]
FORMATS = ("png", "csv", "xlsx")


@dataclass(frozen=True)
class Fichier:
    contenu: bytes
    nom: str  # `pass-numerique-finistere-lieux-20261126-1042.csv`


def tableur(
    format_: FormatTableur,
    table: pd.DataFrame,
    colonnes: list[tuple[str, str]],
    entete: EnteteExport,
    morceaux: list[str],
) -> Fichier:
    """The table as CSV (French Excel) or XLSX, stamped; its name from `morceaux` and the stamp's time."""
    from dashboard.exports.tableurs import export_csv, export_xlsx

    ecrire = export_xlsx if format_ == "xlsx" else export_csv
    return Fichier(ecrire(table, colonnes, entete), nom_fichier(morceaux, format_, entete.genere_le))


def image(figure: dict, entete: EnteteExport, morceaux: list[str], geo_dir: Path) -> Fichier:
    """The figure as a stamped PNG (kaleido and Chromium are loaded on the first image only), rendered
    within the process's bounded counter: ExportRefuse at once when it is full."""
    from dashboard.exports.limites import guichet
    from dashboard.exports.png import png_figure

    with guichet().rendu():
        contenu = png_figure(figure, entete, geo_dir=geo_dir)
    return Fichier(contenu, nom_fichier(morceaux, "png", entete.genere_le))
