"""The one way the server finds and starts Chromium, offline: for the PNG exports (through kaleido) and for
the deck's PDF (over the DevTools protocol). Debian's `chromium`, or the one BROWSER_PATH names.

Chromium must not touch the network (a closed network floods with refused connections): it gets the
project's flags (`--disable-background-networking --disable-component-update --no-first-run`) and a host
resolver that resolves nothing (those flags alone still let it send DNS queries for Google services at
start) — the loopback excepted for the deck, which Chromium reads from the app itself.
"""

from __future__ import annotations

import os
from pathlib import Path

from choreographer.browsers import Chromium

CHROMIUM_DEBIAN = "/usr/bin/chromium"
# The project's flags, plus a host resolver that resolves nothing: with the flags alone, Chromium 156
# still sends DNS queries (accounts.google.com, update.googleapis.com, optimizationguide-pa…) at start.
DRAPEAUX_HORS_LIGNE = (
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)


def chemin_chromium() -> str:
    """BROWSER_PATH, set to Debian's chromium when unset and present (kaleido reads it too); else
    choreographer's search. A French RuntimeError when there is none."""
    if "BROWSER_PATH" not in os.environ and Path(CHROMIUM_DEBIAN).is_file():
        os.environ["BROWSER_PATH"] = CHROMIUM_DEBIAN
    chemin = os.environ.get("BROWSER_PATH") or Chromium.find_browser(skip_local=False)
    if not chemin or not Path(chemin).is_file() or not os.access(chemin, os.X_OK):
        raise RuntimeError(
            f"Chromium est introuvable ({chemin or 'aucun navigateur'}) : "
            "installez le paquet chromium ou définissez BROWSER_PATH"
        )
    return chemin


class NavigateurHorsLigne(Chromium):
    """choreographer's Chromium with the project's offline flags (kaleido cannot add flags itself)."""

    def get_cli(self) -> list[str]:
        cli = list(super().get_cli())
        return cli + [drapeau for drapeau in DRAPEAUX_HORS_LIGNE if drapeau not in cli]


class NavigateurBoucleLocale(NavigateurHorsLigne):
    """The same offline Chromium, whose resolver lets the loopback through (the app itself)."""

    def get_cli(self) -> list[str]:
        cli = [a for a in super().get_cli() if not a.startswith("--host-resolver-rules")]
        return [*cli, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
