"""What the frame of every page shows about this visit: the data's state (demo badge, data date), who is
signed in, their CSRF token and a coordinator's région — read per visit."""

from __future__ import annotations

from dash import html
from flask import g, has_request_context

from dashboard.components.coque import coque
from dashboard.store.comptes import nom_region
from dashboard.store.metadonnees import etat_donnees
from dashboard.web.acces.identite import principal_courant


def coque_de_la_visite(contexte) -> html.Div:
    principal = principal_courant(contexte)
    csrf = (g.get("session") or {}).get("c") if has_request_context() else None
    region = None
    if principal is not None and principal.region:
        region = nom_region(contexte.engine, principal.region) or principal.region
    return coque(etat_donnees(contexte.engine), principal, csrf, region)
