"""What the frame of every page shows about this visit: the data's state (demo badge, data date), who is
signed in, their CSRF token and a coordinator's région — read per visit; and, for an account opening the
national map, the page itself (`conteneur_de_page`)."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import dash
from dash import dcc, html
from flask import g, has_request_context, request

from dashboard.components.coque import coque
from dashboard.domain.droits import LIRE, Principal
from dashboard.store.comptes import nom_region
from dashboard.store.metadonnees import etat_donnees
from dashboard.web.acces.identite import principal_courant
from dashboard.web.acces.regles import parametres_de_page

# Sent by assets/adresse.js with the layout's request: the address of the page being opened.
ENTETE_ADRESSE = "X-Passnum-Adresse"
# The pages drawn into the layout (the national map, where every visit starts); any other page is asked
# for by Dash pages' routing callback, as usual.
PAGES_DANS_LA_COQUE = frozenset({"/"})

journal = logging.getLogger(__name__)


def coque_de_la_visite(contexte) -> html.Div:
    principal = principal_courant(contexte)
    csrf = (g.get("session") or {}).get("c") if has_request_context() else None
    region = None
    if principal is not None and principal.region:
        region = nom_region(contexte.engine, principal.region) or principal.region
    return coque(etat_donnees(contexte.engine), principal, csrf, region, conteneur_de_page(principal))


def conteneur_de_page(principal: Principal | None) -> html.Div:
    """Dash pages' container. For an account that may read (never a briefing link, never a visitor
    without an account: their pages stay behind the routing callback's own checks) opening a page of
    PAGES_DANS_LA_COQUE, the page is already in it, rendered as the routing callback would render it, and
    the location holds the address: Dash pages does not ask for it again (one round trip less before
    the first paint)."""
    adresse = request.headers.get(ENTETE_ADRESSE, "") if has_request_context() else ""
    if not adresse or principal is None or not principal.peut(LIRE):
        return dash.page_container
    morceaux = urlsplit(adresse)
    page = next((p for p in dash.page_registry.values() if p["path"] == morceaux.path), None)
    if morceaux.path not in PAGES_DANS_LA_COQUE or page is None:
        return dash.page_container
    recherche = f"?{morceaux.query}" if morceaux.query else ""
    try:
        contenu = page["layout"](**parametres_de_page(recherche))
    except Exception:  # the routing callback will render it (and report the error) as before
        journal.exception("page %s non rendue dans la mise en page", morceaux.path)
        return dash.page_container
    titre = page["title"]() if callable(page["title"]) else page["title"]
    return html.Div(
        [
            dcc.Location(
                id="_pages_location",
                refresh="callback-nav",
                pathname=morceaux.path,
                search=recherche,
                hash=f"#{morceaux.fragment}" if morceaux.fragment else "",
                href=adresse,
            ),
            html.Div(contenu, id="_pages_content", disable_n_clicks=True),
            dcc.Store(id="_pages_store", data={"title": titre}),
            html.Div(id="_pages_dummy", disable_n_clicks=True),
        ]
    )
