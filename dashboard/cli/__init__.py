"""The `passnum` command: one module per sub-command, each with `ajouter(sous)` (its arguments) and an
`executer(args, settings) -> int` (its exit code). French errors on stderr with exit code 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from dashboard.settings import Settings


def analyseur() -> argparse.ArgumentParser:
    from dashboard.cli import (
        comite,
        comptes,
        demo,
        enveloppe,
        geo,
        import_,
        indicateurs,
        init,
        jetons,
        rapport,
        sauvegarde,
        serve,
    )

    racine = argparse.ArgumentParser(
        prog="passnum", description="Pass numérique — tableau de bord de pilotage"
    )
    sous = racine.add_subparsers(dest="commande", required=True, metavar="COMMANDE")
    for module in (
        init,
        import_,
        demo,
        indicateurs,
        enveloppe,
        rapport,
        comite,
        comptes,
        jetons,
        serve,
        geo,
        sauvegarde,
    ):
        module.ajouter(sous)
    return racine


def main(argv: Sequence[str] | None = None) -> int:
    args = analyseur().parse_args(argv)
    from dashboard.cli.serve import ServiceRefuse
    from dashboard.demo.chargement import DemoImpossible
    from dashboard.store.initialisation import BaseNonInitialisee

    try:
        settings = Settings.from_env()
        return args.executer(args, settings)
    except (FileNotFoundError, ValueError, DemoImpossible, BaseNonInitialisee, ServiceRefuse) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
