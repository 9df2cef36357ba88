"""Every request goes through here before Dash or any route sees it.

- Who is asking (`identite`): an account, the local demo account (`python app.py` on the loopback only),
  or a signed, expiring briefing link (`liens`).
- What they may do (`regles`): pages and reading callbacks for every account; writing callbacks by
  permission (`roles`), checked on the callback the request names; a briefing link opens its own deck.
- Callback payloads are checked against the callback's declared inputs (`charge_utile`) and bounded in
  size: bad input is a 400, never a 500. CSRF: every POST carries the session's token.
- Security headers on every response (`entetes`); French error pages (dashboard.web.erreurs); sign-in
  and sign-out (`connexion`).
"""

from __future__ import annotations

import logging

from dash.exceptions import DependencyException
from flask import Flask, Response, abort, g, jsonify, request
from werkzeug.exceptions import HTTPException

from dashboard.domain.droits import LIEN, VISITEUR, page_publique
from dashboard.exports.limites import ATTENTE_CONSEILLEE_S, MESSAGE_OCCUPE, ExportRefuse, guichet
from dashboard.web.acces import connexion, proconnect
from dashboard.web.acces.charge_utile import demande_d_image, garder_la_tete
from dashboard.web.acces.entetes import politique_csp, poser_entetes
from dashboard.web.acces.identite import COOKIE_SESSION, est_boucle_locale, identifier
from dashboard.web.acces.jetons import DUREE_SESSION, Jetons, nouveau_jeton_csrf
from dashboard.web.acces.regles import (
    APPELS_DES_PAGES,
    COOKIE_CSRF,
    RAPPEL,
    REFUS_LIEN,
    TAILLE_MAX_REQUETE,
    anonyme_autorise,
    csrf_valide,
    est_public,
    lien_autorise,
    sans_session,
    verifier_rappel,
)
from dashboard.web.erreurs import page_erreur
from dashboard.web.presentation_pdf import cadence, cle_d_export

journal = logging.getLogger("passnum.acces")


def installer(app, contexte) -> None:
    """Hook access control, CSRF, security headers and error pages into the Dash app's Flask server."""
    settings = contexte.settings
    if settings.compte_local and not est_boucle_locale(settings.host):
        raise ValueError("le compte local de démonstration n'est permis que sur la boucle locale (127.0.0.1)")
    serveur: Flask = app.server
    jetons = Jetons(settings.effective_secret_key())
    serveur.config["MAX_CONTENT_LENGTH"] = TAILLE_MAX_REQUETE
    serveur.wsgi_app = garder_la_tete(serveur.wsgi_app, RAPPEL)  # the callback a body names, read first
    csp: list[str] = []  # computed at the first response: Dash knows its inline scripts by then

    @serveur.before_request
    def controler():
        lue = jetons.lire_session(request.cookies.get(COOKIE_SESSION))
        principal, session = identifier(contexte, jetons, settings.compte_local)
        g.principal, g.session, g.session_a_ecrire = principal, session, session != lue
        if "c" not in session:  # every visitor gets a CSRF token before their first POST
            session["c"] = nouveau_jeton_csrf()
            g.session_a_ecrire = True
        chemin = request.path
        if est_public(chemin):
            return None
        if principal is not None and principal.role == VISITEUR and not _public(chemin):
            return sans_session(chemin)  # PASSNUM_PUBLIC=1: the public pages and what they call
        if principal is None:
            if anonyme_autorise(app, chemin) and (request.method != "POST" or csrf_valide(session)):
                return None  # a public page's shell and routing (the accessibility statement)
            return sans_session(chemin)
        if request.method == "POST" and not csrf_valide(session):
            abort(403, "Jeton de sécurité (CSRF) absent ou invalide : rechargez la page.")
        if principal.role == LIEN and not lien_autorise(principal, chemin):
            abort(403, REFUS_LIEN)
        if chemin == RAPPEL:
            corps = verifier_rappel(app, principal)
            if demande_d_image(corps):  # a PNG export spends the account's budget, like a PDF
                try:
                    cadence(serveur).prendre(cle_d_export(principal))
                    if guichet().plein:  # answered now rather than waiting for a render slot
                        raise ExportRefuse(MESSAGE_OCCUPE, 503, ATTENTE_CONSEILLEE_S)
                except ExportRefuse as refus:
                    g.export_refuse = refus  # the export callback says it on the page, renders nothing
        return None

    @serveur.after_request
    def entetes(reponse: Response) -> Response:
        _poser_cookies(reponse, jetons, settings.https)
        if not csp:
            csp.append(politique_csp(app, formulaires))
        poser_entetes(reponse, csp[0], settings.https)
        return reponse

    serveur.add_url_rule(
        "/connexion", "connexion", lambda: connexion.connexion(contexte), methods=["GET", "POST"]
    )
    serveur.add_url_rule(
        "/deconnexion", "deconnexion", lambda: connexion.deconnexion(contexte), methods=["POST"]
    )
    serveur.add_url_rule("/sante", "sante", lambda: jsonify(etat="ok"))
    formulaires = proconnect.installer(serveur, contexte)  # signing out goes on to the provider

    @serveur.errorhandler(DependencyException)
    def ressource_inconnue(_exc):  # an unknown file under /_dash-component-suites/
        return page_erreur(404, None)

    @serveur.errorhandler(HTTPException)
    def erreur_http(exc: HTTPException):
        return page_erreur(exc.code or 500, exc.description)

    @serveur.errorhandler(Exception)
    def erreur_interne(exc: Exception):
        journal.exception("Erreur interne sur %s %s", request.method, request.path, exc_info=exc)
        return page_erreur(500, None)


def _public(chemin: str) -> bool:
    """What a visitor may load under PASSNUM_PUBLIC=1: the public pages and what they call (each callback
    checked by `verifier_rappel`)."""
    return page_publique(chemin) or chemin.startswith(APPELS_DES_PAGES)


def _poser_cookies(reponse: Response, jetons: Jetons, securises: bool) -> None:
    """The session when it changed; the CSRF cookie Dash's renderer reads when the browser lacks it."""
    session = getattr(g, "session", None)
    if session is None:
        return
    if getattr(g, "session_a_ecrire", False):
        reponse.set_cookie(
            COOKIE_SESSION,
            jetons.session(session),
            max_age=int(DUREE_SESSION.total_seconds()),
            httponly=True,
            samesite="Lax",
            secure=securises,
        )
    if request.cookies.get(COOKIE_CSRF) != session.get("c"):
        reponse.set_cookie(COOKIE_CSRF, session["c"], httponly=False, samesite="Strict", secure=securises)
