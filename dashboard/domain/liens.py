"""Every permalink of the product, built in one place: the page of a territory or a laureate, the map in
a given state, the comparison, and the identifiers `niveau:code` that name an entity in them.

The map's own state (`EtatVue.query()`) and the deck's (`dashboard.domain.deck`) are the codecs; the
functions here only assemble addresses from them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dashboard.domain.etat import EtatVue
from dashboard.domain.filtres import Filtres

_IDENTIFIANT = re.compile(
    r"^(?:(region):([0-9]{2})|(departement):([0-9]{2}|2[AB]|97[0-9])|(epci|porteur):([0-9]{9}))$"
)
CHEMIN_FICHE = re.compile(r"^/(?:territoire/([a-z]+)/([^/]+)|porteur/([^/]+))/?$")
"""The addresses of the entity pages: `/territoire/<niveau>/<code>` and `/porteur/<siren>`."""


def identifiant(niveau: str, code: str) -> str:
    """`departement:44`, `porteur:200046977`: how an entity is named in `/comparer?ids=…` and in a deck."""
    return f"{niveau}:{code}"


def lire_identifiant(texte: str) -> tuple[str, str]:
    """`niveau:code` → (niveau, code); a French ValueError for anything else."""
    correspondance = _IDENTIFIANT.match(str(texte).strip())
    if not correspondance:
        raise ValueError(f"Identifiant « {texte} » non compris : niveau:code, par exemple departement:44.")
    niveau, code = (g for g in correspondance.groups() if g is not None)
    return niveau, code


def chemin(niveau: str, code: str) -> str:
    """The page of a territory, or of a laureate (`niveau` "porteur")."""
    return f"/porteur/{code}" if niveau == "porteur" else f"/territoire/{niveau}/{code}"


def lire_chemin(adresse: str) -> tuple[str, str] | None:
    """(niveau, code) of an entity page's address; None for any other address."""
    correspondance = CHEMIN_FICHE.match(adresse or "")
    if not correspondance:
        return None
    niveau, code, siren = correspondance.groups()
    return ("porteur", siren) if siren else (niveau, code)


def carte(etat: EtatVue) -> str:
    """The national map in this state."""
    return "/" + etat.query()


def carte_de(niveau: str, code: str, region: str | None) -> str:
    """The map centred on an entity: a laureate among the laureates of its région, a région's
    départements, a département or an EPCI among those of its région."""
    regions = (region,) if region else ()
    if niveau == "porteur":
        etat = EtatVue(vue="porteurs", filtres=Filtres(regions=regions))
    elif niveau == "region":
        etat = EtatVue(vue="territoires", niveau="departement", filtres=Filtres(regions=(code,)))
    else:
        etat = EtatVue(vue="territoires", niveau=niveau, filtres=Filtres(regions=regions))
    return carte(etat)


def comparer(identifiants: Iterable[str]) -> str:
    """The comparison of these entities (`departement:29,epci:200067106`)."""
    return "/comparer?ids=" + ",".join(identifiants)
