"""Who is asking: an account (signed session cookie, account still active, same generation), the local
demo account (`python app.py` on the loopback only), or a signed, expiring briefing link."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flask import g, has_request_context, request

from dashboard.domain.droits import COMPTE_LOCAL, LIEN, VISITEUR_PUBLIC, Principal
from dashboard.store import comptes
from dashboard.web.acces.jetons import Jetons, nouveau_jeton_csrf

COOKIE_SESSION = "passnum_session"


class AccesRefuse(PermissionError):
    """The principal may not do this (said in French to the user)."""


def est_boucle_locale(hote: str) -> bool:
    if hote == "localhost":
        return True
    try:
        return ipaddress.ip_address(hote).is_loopback
    except ValueError:
        return False


def adresse_client() -> str:
    return request.remote_addr or "?"


def principal_courant(contexte) -> Principal | None:
    """Who the current request or background job acts for. A background job runs in another process,
    without the request: it reads the cookies and address Dash kept in its callback context, and checks
    them again against the database (an account disabled meanwhile acts no more)."""
    if has_request_context():  # Dash validates the layout once before the access check has run
        return g.get("principal")
    from dash import callback_context
    from dash.exceptions import MissingCallbackContextException

    settings = contexte.settings
    try:
        cookies, adresse = callback_context.cookies or {}, callback_context.remote or ""
        hote = (callback_context.headers or {}).get("Host", "")
    except MissingCallbackContextException:  # neither a request nor a job (a script, a test): nobody
        return None
    principal, _session = principal_depuis(
        contexte,
        Jetons(settings.effective_secret_key()),
        settings.compte_local,
        cookies,
        adresse,
        hote,
        None,
        public=settings.public,
    )
    return principal


def autorise(contexte, permission: str) -> Principal:
    """The principal of the request or job, if it has `permission`; AccesRefuse otherwise. Background
    jobs check again in the job itself: the account may have been disabled since the request."""
    principal = principal_courant(contexte)
    if principal is None or not principal.peut(permission):
        raise AccesRefuse("Votre compte ne permet pas cette action.")
    return principal


def identifier(contexte, jetons: Jetons, compte_local: bool) -> tuple[Principal | None, dict]:
    """Who the current request comes from, and its session."""
    return principal_depuis(
        contexte,
        jetons,
        compte_local,
        request.cookies,
        adresse_client(),
        request.host,
        request.args.get("jeton") if request.path == "/presentation" else None,
        public=contexte.settings.public,
    )


def principal_depuis(
    contexte, jetons: Jetons, compte_local: bool, cookies, adresse: str, hote: str, jeton_url, public=False
) -> tuple[Principal | None, dict]:
    """Who a request (or a background job, from its callback context) comes from, and its session; under
    PASSNUM_PUBLIC=1 (`public`), anyone else is a visitor of the public pages."""
    session = jetons.lire_session(cookies.get(COOKIE_SESSION)) or {}
    if isinstance(session.get("u"), int):
        compte = comptes.compte_par_id(contexte.engine, session["u"])
        if (
            compte is not None
            and compte.actif
            and compte.generation == session.get("g")
            and _ouverte_apres(session, compte)
        ):
            return _principal_du_compte(compte), session
        session = {}  # disabled, signed out, or signed before a password change: the session is over
    if compte_local and requete_locale(adresse, hote):
        return COMPTE_LOCAL, session
    for jeton in (jeton_url, session.get("l")):
        lien = _lien_valide(contexte, jetons, compte_local, jeton)
        if lien is not None:
            if jeton == jeton_url:  # remembered: the deck's own requests do not carry the token
                session = {"l": jeton, "c": session.get("c") or nouveau_jeton_csrf()}
            return lien, session
    return (VISITEUR_PUBLIC if public else None), session


def _ouverte_apres(session: dict, compte: comptes.Compte) -> bool:
    """Signing out ends every session of the account opened until then (the cookie itself cannot be
    taken back from a browser that kept a copy)."""
    if compte.sessions_depuis is None:
        return True
    ouverte = session.get("t")
    return isinstance(ouverte, int | float) and ouverte > compte.sessions_depuis.timestamp()


def _principal_du_compte(compte: comptes.Compte) -> Principal:
    return Principal(
        role=compte.role,
        identifiant=compte.identifiant,
        nom=compte.nom,
        region=compte.code_region,
        utilisateur_id=compte.id,
    )


def _lien_valide(contexte, jetons: Jetons, compte_local: bool, jeton) -> Principal | None:
    contenu = jetons.lire_lien(jeton)
    if contenu is None:
        return None
    createur = contenu.get("u")
    if createur is None:
        if not compte_local:  # only the local demo account signs links without an account
            return None
    else:
        compte = comptes.compte_par_id(contexte.engine, createur) if isinstance(createur, int) else None
        if compte is None or not compte.actif or compte.generation != contenu.get("g"):
            return None  # disabling the account that shared a link revokes the link
    return Principal(
        role=LIEN,
        identifiant=f"lien:{createur}",
        nom="Lien de présentation",
        deck=contenu["d"],
        expire=contenu["expire"],
    )


def requete_locale(adresse: str, hote: str) -> bool:
    """The local demo account answers the loopback only, under a loopback name: a page of another site
    whose name was rebound to 127.0.0.1 (DNS rebinding) still sends its own name."""
    if not est_boucle_locale(adresse):
        return False
    try:
        nom = urlsplit(f"//{hote}").hostname or ""
    except ValueError:
        return False
    return est_boucle_locale(nom)
