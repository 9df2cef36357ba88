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

VISITEUR = "visiteur"  # PASSNUM_PUBLIC=1: anyone, without an account (not a role an account can have)

PERMISSIONS = {
    ADMIN: frozenset({LIRE, IMPORTER, CHARGER_DEMO, PARTAGER, PRESENTATION, REGLER_VIGILANCE, ANNOTER}),
    COORDINATEUR: frozenset({LIRE, IMPORTER, PARTAGER, PRESENTATION, ANNOTER}),
    LECTEUR: frozenset({LIRE, PRESENTATION}),
    LIEN: frozenset({PRESENTATION}),
    VISITEUR: frozenset(),  # nothing by permission: the public pages' reading callbacks only (`public`)
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


VISITEUR_PUBLIC = Principal(role=VISITEUR, identifiant="public", nom="Accès public")

# What a visitor without an account opens under PASSNUM_PUBLIC=1: the national map, territory and laureate
# pages (aggregated figures, no breakdown by structure or place, no committee notes, no vigilance), the
# methodology and the accessibility statement. No import, no administration.
PAGES_PUBLIQUES = frozenset({"/", "/methodologie", "/accessibilite"})
PREFIXES_PUBLICS = ("/territoire/", "/porteur/")
# The exports of those pages a visitor may not take: breakdowns by structure or place, the operator's
# liabilities per place, the committee's notes.
EXPORTS_RESERVES = frozenset(
    {"distributeurs", "lieux", "lieux_hors_liste", "communes_sans_lieu", "passif", "notes"}
)


def page_publique(chemin: str) -> bool:
    return chemin in PAGES_PUBLIQUES or (chemin.startswith(PREFIXES_PUBLICS) and chemin.count("/") <= 3)


def ouvert_au_public(fonction):
    """Mark a reading callback a visitor may call under PASSNUM_PUBLIC=1 (dashboard.web.acces checks it)."""
    fonction.public = True
    return fonction


def exige(permission: str):
    """Mark a callback with the permission it requires; checked on every request that names it
    (`dashboard.web.acces`), whatever the page shows or hides. Unmarked callbacks require LIRE."""

    def marquer(fonction):
        fonction.permission = permission
        return fonction

    return marquer
