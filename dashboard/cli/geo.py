"""`passnum geo build`: regenerate data/geo from the source packages (the [geo] extra)."""

from __future__ import annotations

import argparse
import sys

from dashboard.cli.chemins import chemin
from dashboard.settings import Settings


def ajouter(sous) -> None:
    geo = sous.add_parser("geo", help="géographie de référence")
    geo_sous = geo.add_subparsers(dest="action", required=True, metavar="ACTION")
    build = geo_sous.add_parser("build", help="régénérer data/geo à partir des paquets sources")
    build.add_argument("--out", type=chemin, help="dossier de sortie (défaut : data/geo)")
    build.add_argument(
        "--etalab", type=chemin, help="archive npm @etalab/decoupage-administratif déjà téléchargée"
    )
    build.set_defaults(executer=executer)


def executer(args: argparse.Namespace, settings: Settings) -> int:
    try:
        from dashboard.geo.build import build
    except ImportError as exc:
        print(
            f"Les outils géographiques ne sont pas installés ({exc.name}) : "
            'installez-les avec `pip install -e ".[geo]"`.',
            file=sys.stderr,
        )
        return 2
    sortie = args.out or settings.geo_dir
    manifest = build(
        sortie, etalab_tarball=args.etalab, progress=lambda message: print(message, file=sys.stderr)
    )
    fichiers = ", ".join(manifest["fichiers"].values())
    print(f"Géographie régénérée dans {sortie} : {fichiers}")
    return 0
