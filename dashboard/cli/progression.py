"""Progress of long work on the command line: `BarresProgression()` is a `Progression` (etape, fait,
total) showing one tqdm bar per step on stderr."""

from __future__ import annotations

import sys
from collections.abc import Mapping

from tqdm import tqdm


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
