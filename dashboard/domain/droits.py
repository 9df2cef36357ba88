"""Roles, what each may do, and who is asking (`Principal`). Pure Python: the web layer decides, this
module only says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dashboard.domain.vocabulaire import ADMIN, COORDINATEUR, LECTEUR, LIEN

# Permissions required by routes and callbacks. Reading is every account's; writing is narrower.
LIRE = "lire"
IMPORTER = "importer"  # upload, validate and confirm a monthly file (a coordinator: their région only)
CHARGER_DEMO = "charger_demo"
PARTAGER = "partager"  # create a signed read-only link to a briefing deck
PRESENTATION = "presentation"  # what a briefing link opens: the deck it names, nothing else
REGLER_VIGILANCE = "regler_vigilance"  # turn the vigilance rules on or off, set their thresholds
ANNOTER = "annoter"  # add or delete a committee note (a coordinator: entities of their région only)

PERMISSIONS = {
    ADMIN: frozenset({LIRE, IMPORTER, CHARGER_DEMO, PARTAGER, PRESENTATION, REGLER_VIGILANCE, ANNOTER}),
    COORDINATEUR: frozenset({LIRE, IMPORTER, PARTAGER, PRESENTATION, ANNOTER}),
    LECTEUR: frozenset({LIRE, PRESENTATION}),
    LIEN: frozenset({PRESENTATION}),
}


@dataclass(frozen=True)
class Principal:
    """Who a request comes from: an account, the local demo account, or a briefing link."""

    role: str
    identifiant: str
    nom: str
    region: str | None = None  # a coordinator's région
    utilisateur_id: int | None = None
    local: bool = False  # `python app.py` on the loopback, no password (clearly labelled)
    deck: str | None = None  # a link's deck (canonical address), for LIEN
    expire: datetime | None = None  # a link's expiry

    def peut(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())

    @property
    def region_imports(self) -> str | None:
        """The only région this principal may import for (None: every région)."""
        return self.region if self.role == COORDINATEUR else None


def peut_annoter(principal: Principal | None, niveau: str, region: str | None) -> bool:
    """May this principal add or delete a committee note on an entity of `niveau` lying in `region`? An
    administrator: any; a coordinator: the entities of their région only (never the national level); a
    reader or a link: none."""
    if principal is None or not principal.peut(ANNOTER):
        return False
    if principal.role == COORDINATEUR:
        return niveau != "national" and region is not None and region == principal.region
    return True


COMPTE_LOCAL = Principal(
    role=ADMIN,
    identifiant="compte-local",
    nom="Compte local de démonstration",
    local=True,
)


def exige(permission: str):
    """Mark a callback with the permission it requires; checked on every request that names it
    (`dashboard.web.acces`), whatever the page shows or hides. Unmarked callbacks require LIRE."""

    def marquer(fonction):
        fonction.permission = permission
        return fonction

    return marquer
