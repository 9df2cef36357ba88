"""The one progress callback of long work (schema, reference, import, demo generation)."""

from __future__ import annotations

from collections.abc import Callable

Progression = Callable[[str, int, int], None]
"""`progression(etape, fait, total)`: shown as bars on the command line (`dashboard.cli.progression`)
and as the progress bar of the data page."""
