"""What each principal may do, checked on every request before Dash or any route sees it: pages and
reading callbacks for every account; writing callbacks (imports, demo data, shared links) by permission,
checked on the callback the request names — never by hiding buttons; a briefing link opens its own deck
and nothing else. CSRF: every POST carries the session's token."""

from __future__ import annotations

import hmac
from urllib.parse import urlencode

from flask import abort, redirect, request

from dashboard.domain.deck import deck_canonique
from dashboard.domain.droits import IMPORTER, LIEN, LIRE, VISITEUR, Principal, page_publique
from dashboard.ingest.depot import TAILLE_MAX_DEPOT
from dashboard.web.acces.charge_utile import CLE_TETE, forme_valide, sortie_annoncee

COOKIE_CSRF = "_csrf_token"  # the name Dash's renderer reads; sent back as X-CSRFToken
ENTETE_CSRF = "X-CSRFToken"
# Reachable without signing in: the sign-in pages (local, ProConnect), static code and styles (no programme
# data), health.
PUBLICS = frozenset(
    {"/connexion", "/connexion/proconnect", "/connexion/proconnect/retour", "/_favicon.ico", "/sante"}
)
PUBLICS_DOSSIERS = ("/assets/", "/_dash-component-suites/", "/statique/")  # code and styles, no data
# Legal pages readable without an account (the accessibility statement, RGAA): the page, the Dash shell it
# needs (layout, callback graph), and Dash pages' routing to these pages only — never any other callback.
PAGES_SANS_COMPTE = frozenset({"/accessibilite"})
COQUE_DASH = ("/_dash-layout", "/_dash-dependencies", "/_reload-hash")
# What a page calls besides its address: a briefing link's deck, the public pages (PASSNUM_PUBLIC=1);
# each callback checked by `verifier_rappel`.
APPELS_DES_PAGES = (
    "/_dash-layout",
    "/_dash-dependencies",
    "/_dash-update-component",
    "/geo/",
    "/_reload-hash",
)
RAPPEL = "/_dash-update-component"
ROUTAGE_PAGES = "_pages_content"  # Dash pages' own callback: path and query → page layout
TAILLE_MAX_REQUETE = 1024 * 1024  # any request but an upload (a filter change is ~2 KB)
DEPOT = ("donnees-upload", "contents")  # the one callback input that carries a file
REFUS_LIEN = "Ce lien de présentation n'ouvre que sa présentation."


API = "/api/"  # the open-data API checks its own bearer tokens, never the session (dashboard.web.api)


def est_api(chemin: str) -> bool:
    return chemin.startswith(API)


def est_public(chemin: str) -> bool:
    if est_api(chemin):  # no session, no CSRF: a token or the public mode, checked by the API itself
        return True
    return chemin in PUBLICS or chemin in PAGES_SANS_COMPTE or chemin.startswith(PUBLICS_DOSSIERS)


def anonyme_autorise(app, chemin: str) -> bool:
    """What a visitor without an account may load besides the public paths: the Dash shell of a public
    page and the routing callback to a public page (any bad payload is simply refused)."""
    if request.method == "GET":
        return chemin in COQUE_DASH
    if chemin != RAPPEL:
        return False
    try:
        corps = request.get_json(silent=True)
    except RecursionError:
        return False
    sortie = corps.get("output") if isinstance(corps, dict) else None
    rappel = app.callback_map.get(sortie) if isinstance(sortie, str) else None
    if rappel is None or "callback" not in rappel or not sortie.startswith(".." + ROUTAGE_PAGES):
        return False
    if not forme_valide(corps, rappel):
        return False
    return _valeurs_d_entree(corps).get("pathname") in PAGES_SANS_COMPTE


def _valeurs_d_entree(corps: dict) -> dict:
    """property → value of a callback request's plain inputs (the routing callback's pathname, search)."""
    return {e["property"]: e.get("value") for e in corps["inputs"] if isinstance(e, dict)}


def sans_session(chemin: str):
    """A page sends the visitor to the sign-in page (and back afterwards); anything else is a 401."""
    if request.method == "GET" and not chemin.startswith(("/_dash-", "/geo/")) and "." not in chemin:
        suivant = request.full_path.rstrip("?")
        return redirect("/connexion?" + urlencode({"suivant": suivant}), code=302)
    abort(401, "Connexion requise.")


def csrf_valide(session: dict) -> bool:
    attendu = session.get("c")
    recu = request.headers.get(ENTETE_CSRF) or request.form.get("csrf") if request.method == "POST" else None
    return isinstance(attendu, str) and isinstance(recu, str) and hmac.compare_digest(attendu, recu)


def lien_autorise(principal: Principal, chemin: str) -> bool:
    if chemin in ("/presentation", "/presentation.pdf"):  # the deck, on screen or printed
        return meme_deck(principal, dict(request.args))
    return chemin.startswith(APPELS_DES_PAGES)


def parametres_de_page(recherche) -> dict:
    """The query parameters exactly as Dash pages hands them to a layout (its own parser: a search without
    its "?" is no parameter at all, a repeated key a list) — what is checked is what is shown."""
    from dash._pages import _parse_query_string

    return _parse_query_string(recherche) if isinstance(recherche, str) else {}


def meme_deck(principal: Principal, parametres: dict) -> bool:
    """Do these query parameters show the deck the briefing link names?"""
    if not all(isinstance(v, str) for v in parametres.values()):
        return False
    try:
        return deck_canonique(parametres) == principal.deck
    except Exception:  # unreadable parameters are simply not this deck
        return False


def verifier_rappel(app, principal: Principal) -> dict:
    """The callback the payload names exists, the payload has its shape, and this principal may call it;
    the payload, read. Bodies are bounded by the callback they name, told by their first bytes before the
    rest is read: the upload callback alone, for those who may upload, takes the file limit; any other
    is a 413 past TAILLE_MAX_REQUETE. Bad input is a 400, never a 500."""
    annoncee = sortie_annoncee(request.environ.get(CLE_TETE, b""))
    depot = annoncee is not None and annoncee in rappels_de_depot(app)
    if depot and principal.peut(IMPORTER):
        request.max_content_length = TAILLE_MAX_DEPOT
    try:
        corps = request.get_json(silent=True)
    except RecursionError:
        abort(400, "Requête invalide.")
    if not isinstance(corps, dict):
        abort(400, "Requête invalide : un objet JSON est attendu.")
    sortie = corps.get("output")
    if depot and sortie != annoncee:  # a body naming the upload first and another callback after
        abort(400, "Requête invalide : rappel ambigu.")
    rappel = app.callback_map.get(sortie) if isinstance(sortie, str) else None
    if rappel is None or "callback" not in rappel:  # clientside callbacks never reach the server
        abort(400, "Requête invalide : rappel inconnu.")
    if not forme_valide(corps, rappel):
        abort(400, "Requête invalide : entrées non conformes au rappel.")
    if principal.role == LIEN:
        _rappel_d_un_lien(principal, sortie, corps)
    elif principal.role == VISITEUR:
        _rappel_du_public(rappel, sortie, corps)
    elif not principal.peut(getattr(rappel["callback"], "permission", LIRE)):
        abort(403, "Votre rôle ne permet pas cette action.")
    return corps


def rappels_de_depot(app) -> frozenset[str]:
    """The callbacks (their output keys) that receive the uploaded file."""
    return frozenset(
        cle
        for cle, rappel in app.callback_map.items()
        if any(
            (e.get("id"), e.get("property")) == DEPOT
            for e in [*rappel.get("inputs", []), *rappel.get("state", [])]
        )
    )


def _rappel_d_un_lien(principal: Principal, sortie: str, corps: dict) -> None:
    """A briefing link calls the pages' routing, for its own deck only."""
    if not sortie.startswith(".." + ROUTAGE_PAGES) and not sortie.startswith("_pages_"):
        abort(403, REFUS_LIEN)
    valeurs = _valeurs_d_entree(corps)
    if sortie.startswith(".." + ROUTAGE_PAGES) and (
        valeurs.get("pathname") != "/presentation"
        or not meme_deck(principal, parametres_de_page(valeurs.get("search")))
    ):
        abort(403, REFUS_LIEN)


REFUS_PUBLIC = (
    "Connectez-vous pour cette action : l'accès public ne permet que la lecture des pages publiques."
)


def _rappel_du_public(rappel: dict, sortie: str, corps: dict) -> None:
    """A visitor (PASSNUM_PUBLIC=1) calls the routing of the public pages and their reading callbacks."""
    if sortie.startswith(".." + ROUTAGE_PAGES):
        chemin = _valeurs_d_entree(corps).get("pathname")
        if not isinstance(chemin, str) or not page_publique(chemin):
            abort(403, REFUS_PUBLIC)
    elif not sortie.startswith("_pages_") and not getattr(rappel["callback"], "public", False):
        abort(403, REFUS_PUBLIC)
