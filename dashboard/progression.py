"""Progress of long work on the command line: `progression(etape, fait, total)` → one tqdm bar per step.

The same callback signature feeds the web page's progress bar (see pages/donnees.py).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping

from tqdm import tqdm

Progression = Callable[[str, int, int], None]
"""`progression(etape, fait, total)`: the one progress callback of long work (store, import, demo)."""


class BarresProgression:
    """Callable `(etape, fait, total)`; a new step closes the previous bar. Use as a context manager."""

    def __init__(self, libelles: Mapping[str, str] | None = None, active: bool = True) -> None:
        self.libelles = libelles or {}
        self.active = active
        self.etape: str | None = None
        self.barre: tqdm | None = None

    def __call__(self, etape: str, fait: int, total: int) -> None:
        if not self.active:
            return
        if etape != self.etape:
            self.fermer()
            self.etape = etape
            self.barre = tqdm(total=total, desc=self.libelles.get(etape, etape), file=sys.stderr, leave=True)
        self.barre.total = total
        self.barre.n = fait
        self.barre.refresh()

    def fermer(self) -> None:
        if self.barre is not None:
            self.barre.close()
            self.barre = None

    def __enter__(self) -> BarresProgression:
        return self

    def __exit__(self, *_exc) -> None:
        self.fermer()
