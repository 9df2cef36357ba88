"""What the bench scripts share: their command line, the app on a given database, the percentile."""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path
from tempfile import mkdtemp

from dashboard import create_app
from dashboard.settings import ROOT, Settings


def arguments(description: str, tours: int) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--base", required=True, help="URL SQLAlchemy d'une base avec la démo nationale")
    parser.add_argument("--tours", type=int, default=tours)
    return parser.parse_args()


def application(base: str):
    """The dashboard on `base`, its data folder a fresh temporary one holding the repository's geometry."""
    dossier = Path(mkdtemp(prefix="passnum-bench-"))
    (dossier / "geo").symlink_to(ROOT / "data" / "geo")
    return create_app(Settings(database_url=base, data_dir=dossier, secret_key="bench"))


def centile(valeurs: list[float], q: int) -> float:
    return statistics.quantiles(valeurs, n=100, method="inclusive")[q - 1] if len(valeurs) > 1 else valeurs[0]
