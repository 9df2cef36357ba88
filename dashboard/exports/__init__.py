"""Exports, each stamped (`estampille`): spreadsheets (`tableurs`: CSV for French Excel, XLSX), images
(`png`, rendered offline by kaleido) and the briefing deck (`pdf`), all through the one Chromium of
`chromium`. `tableur` and `image` give the file a page sends, named after what it shows."""

from __future__ import annotations

import os
import sys
import threading
import time
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


def precharger(settings) -> None:
    """Import the renderers' modules (kaleido, choreographer: about a second) in gunicorn's master before
    the fork, when they are to be warmed: each worker then starts Chromium without importing them first.
    Nothing is started here."""
    if settings.exports_chauffe:
        from dashboard.exports import pdf, png  # noqa: F401


_verrou_chauffe = threading.Lock()
_chauffes: dict[int, threading.Thread] = {}  # process id → its warm-up (a parent's thread is not its own)


def chauffer(settings) -> threading.Thread | None:
    """Warm this process's export renderers in a background thread (`passnum serve` after gunicorn's fork
    — a Chromium started before it cannot be shared —, `python app.py` at start), so that the first
    export does not pay for Chromium's start: the serving thread never waits for it (kaleido's import
    included), the exit neither (a daemon thread; the renderers stop at exit as usual). Once per
    process; nothing when settings.exports_chauffe is off (PASSNUM_EXPORTS_CHAUFFE=0)."""
    if not settings.exports_chauffe:
        return None
    with _verrou_chauffe:
        fil = _chauffes.get(os.getpid())
        if fil is None:
            fil = threading.Thread(
                target=_chauffer, args=(settings.geo_dir,), name="chauffe-exports", daemon=True
            )
            _chauffes[os.getpid()] = fil
            fil.start()
        return fil


def _chauffer(geo_dir: Path) -> None:
    """The PNG renderer, then the PDF's Chromium; "Moteur de rendu prêt" on stderr once both are, or
    why one is not (the first export tries again and answers its French error)."""
    debut = time.perf_counter()
    from dashboard.exports import pdf, png  # kaleido's import costs about a second

    for nom, demarrer in (("PNG", lambda: png.chauffer(geo_dir)), ("PDF", pdf.demarrer_imprimeur)):
        try:
            demarrer()
        except Exception as exc:  # nobody to raise to: said
            raison = " ".join(str(exc).split()) or type(exc).__name__
            print(f"Moteur de rendu des exports {nom} non démarré : {raison}", file=sys.stderr, flush=True)
            return
    duree = f"{time.perf_counter() - debut:.1f}".replace(".", ",")
    print(f"Moteur de rendu prêt en {duree} s (processus {os.getpid()})", file=sys.stderr, flush=True)
