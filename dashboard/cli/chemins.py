"""What the sub-commands share: paths given on the command line, and who runs it."""

from __future__ import annotations

import getpass
from pathlib import Path


def chemin(valeur: str) -> Path:
    return Path(valeur)


def utilisateur_os() -> str | None:
    """The journal records who ran the command line: the operating-system account."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None
