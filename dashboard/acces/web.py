"""Every request goes through here before Dash or any route sees it.

- Who is asking: an account (signed session cookie, account still active, same generation), the local
  demo account (`python app.py` on the loopback only), or a signed, expiring briefing link.
- What they may do: pages and reading callbacks for every account; writing callbacks (imports, demo
  data, shared links) by permission, checked on the callback the request names — never by hiding buttons;
  a briefing link opens its own deck and nothing else.
- Callback payloads are checked against the callback's declared inputs before Dash reads them, and their
  size is bounded (large only for those who may upload): bad input is a 400, never a 500.
- CSRF: every POST carries the session's token (Dash's renderer sends the `_csrf_token` cookie back as
  the X-CSRFToken header; forms send it as a field).
- Security headers on every response; French error pages; no traceback ever leaves the server.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode, urlsplit

from dash.exceptions import DependencyException
from flask import Flask, Response, abort, g, has_request_context, jsonify, redirect, request
from werkzeug.exceptions import HTTPException

from dashboard.acces import page_connexion
from dashboard.acces.jetons import DUREE_LIEN_IMPRESSION, DUREE_SESSION, Jetons, nouveau_jeton_csrf
from dashboard.acces.mots_de_passe import verifier
from dashboard.acces.roles import COMPTE_LOCAL, IMPORTER, LIEN, LIRE, Principal
from dashboard.store import comptes

journal = logging.getLogger("passnum.acces")

COOKIE_SESSION = "passnum_session"
COOKIE_CSRF = "_csrf_token"  # the name Dash's renderer reads; sent back as X-CSRFToken
ENTETE_CSRF = "X-CSRFToken"

# Reachable without signing in: the sign-in page, static code and styles (no programme data), health.
PUBLICS = frozenset({"/connexion", "/_favicon.ico", "/sante"})
PUBLICS_DOSSIERS = ("/assets/", "/_dash-component-suites/")
# What a briefing link may load besides its deck page.
LIEN_AUTORISES = ("/_dash-layout", "/_dash-dependencies", "/_dash-update-component", "/geo/", "/_reload-hash")
RAPPEL = "/_dash-update-component"
ROUTAGE_PAGES = "_pages_content"  # Dash pages' own callback: path and query → page layout

TAILLE_MAX_REQUETE = 2 * 1024 * 1024  # a callback payload (a filter change is ~2 KB)


@dataclass
class Reglages:
    compte_local: bool
    cookies_securises: bool
    taille_max_depot: int  # bytes of a callback carrying an uploaded file (base64)
    deck_canonique: Callable[[dict], str]  # presentation query parameters → the deck's canonical address
    csp: str | None = field(default=None)


def est_boucle_locale(hote: str) -> bool:
    if hote == "localhost":
        return True
    try:
        return ipaddress.ip_address(hote).is_loopback
    except ValueError:
        return False


def installer(app, contexte, deck_canonique: Callable[[dict], str], taille_max_depot: int) -> None:
    """Hook access control, CSRF, security headers and error pages into the Dash app's Flask server."""
    settings = contexte.settings
    if settings.compte_local and not est_boucle_locale(settings.host):
        raise ValueError("le compte local de démonstration n'est permis que sur la boucle locale (127.0.0.1)")
    reglages = Reglages(
        compte_local=settings.compte_local,
        cookies_securises=settings.https,
        taille_max_depot=taille_max_depot,
        deck_canonique=deck_canonique,
    )
    serveur: Flask = app.server
    jetons = Jetons(contexte.settings.effective_secret_key())
    serveur.config["MAX_CONTENT_LENGTH"] = TAILLE_MAX_REQUETE

    @serveur.before_request
    def controler():
        lue = jetons.lire_session(request.cookies.get(COOKIE_SESSION))
        principal, session = identifier(contexte, jetons, reglages)
        g.principal, g.session, g.session_a_ecrire = principal, session, session != lue
        if "c" not in session:  # every visitor gets a CSRF token before their first POST
            session["c"] = nouveau_jeton_csrf()
            g.session_a_ecrire = True
        chemin = request.path
        if chemin in PUBLICS or chemin.startswith(PUBLICS_DOSSIERS):
            return None
        if principal is None:
            return _sans_session(chemin)
        if request.method == "POST" and not _csrf_valide(session):
            abort(403, "Jeton de sécurité (CSRF) absent ou invalide : rechargez la page.")
        if principal.role == LIEN and not _lien_autorise(principal, chemin, reglages):
            abort(403, "Ce lien de présentation n'ouvre que sa présentation.")
        if chemin == RAPPEL:
            _verifier_rappel(app, principal, reglages)
        return None

    @serveur.after_request
    def entetes(reponse: Response) -> Response:
        session = getattr(g, "session", None)
        if session is not None and getattr(g, "session_a_ecrire", False):
            reponse.set_cookie(
                COOKIE_SESSION,
                jetons.session(session),
                max_age=int(DUREE_SESSION.total_seconds()),
                httponly=True,
                samesite="Lax",
                secure=reglages.cookies_securises,
            )
        if session is not None and request.cookies.get(COOKIE_CSRF) != session.get("c"):
            reponse.set_cookie(
                COOKIE_CSRF,
                session["c"],
                httponly=False,
                samesite="Strict",
                secure=reglages.cookies_securises,
            )
        _entetes_securite(reponse, app, reglages)
        return reponse

    @serveur.route("/connexion", methods=["GET", "POST"])
    def connexion():
        return _connexion(contexte, jetons, reglages)

    @serveur.route("/deconnexion", methods=["POST"])
    def deconnexion():
        principal = g.principal
        if principal is not None and principal.utilisateur_id is not None:
            comptes.fermer_sessions(contexte.engine, principal.utilisateur_id)
            comptes.auditer(contexte.engine, principal.identifiant, "deconnexion", adresse=_adresse())
        g.session, g.session_a_ecrire = {"c": nouveau_jeton_csrf()}, True
        return redirect("/connexion?fin=1", code=303)

    @serveur.route("/sante")
    def sante():
        return jsonify(etat="ok")

    @serveur.errorhandler(DependencyException)
    def ressource_inconnue(_exc):  # an unknown file under /_dash-component-suites/
        return _page_erreur(404, None)

    @serveur.errorhandler(HTTPException)
    def erreur_http(exc: HTTPException):
        return _page_erreur(exc.code or 500, exc.description)

    @serveur.errorhandler(Exception)
    def erreur_interne(exc: Exception):
        journal.exception("Erreur interne sur %s %s", request.method, request.path, exc_info=exc)
        return _page_erreur(500, None)


# --- Who is asking ---------------------------------------------------------------------------------


def principal_courant(contexte) -> Principal | None:
    """Who the current request or background job acts for. A background job runs in another process,
    without the request: it reads the cookies and address Dash kept in its callback context, and checks
    them again against the database (an account disabled meanwhile acts no more)."""
    if has_request_context():  # Dash validates the layout once before this module's check has run
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
        contexte, Jetons(settings.effective_secret_key()), settings.compte_local, cookies, adresse, hote, None
    )
    return principal


def identifier(contexte, jetons: Jetons, reglages: Reglages) -> tuple[Principal | None, dict]:
    return principal_depuis(
        contexte,
        jetons,
        reglages.compte_local,
        request.cookies,
        _adresse(),
        request.host,
        request.args.get("jeton") if request.path == "/presentation" else None,
    )


def principal_depuis(
    contexte, jetons: Jetons, compte_local: bool, cookies, adresse: str, hote: str, jeton_url
) -> tuple[Principal | None, dict]:
    """Who a request (or a background job, from its callback context) comes from, and its session."""
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
    if compte_local and _requete_locale(adresse, hote):
        return COMPTE_LOCAL, session
    for jeton in (jeton_url, session.get("l")):
        lien = _lien_valide(contexte, jetons, compte_local, jeton)
        if lien is not None:
            if jeton == jeton_url:  # remembered: the deck's own requests do not carry the token
                session = {"l": jeton, "c": session.get("c") or nouveau_jeton_csrf()}
            return lien, session
    return None, session


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


def _requete_locale(adresse: str, hote: str) -> bool:
    """The local demo account answers the loopback only, under a loopback name: a page of another site
    whose name was rebound to 127.0.0.1 (DNS rebinding) still sends its own name."""
    if not est_boucle_locale(adresse):
        return False
    try:
        nom = urlsplit(f"//{hote}").hostname or ""
    except ValueError:
        return False
    return est_boucle_locale(nom)


def _adresse() -> str:
    return request.remote_addr or "?"


# --- What they may do ------------------------------------------------------------------------------


def _sans_session(chemin: str):
    if request.method == "GET" and not chemin.startswith(("/_dash-", "/geo/")) and "." not in chemin:
        suivant = request.full_path.rstrip("?")
        return redirect("/connexion?" + urlencode({"suivant": suivant}), code=302)
    abort(401, "Connexion requise.")


def _csrf_valide(session: dict) -> bool:
    attendu = session.get("c")
    recu = request.headers.get(ENTETE_CSRF) or request.form.get("csrf") if request.method == "POST" else None
    return isinstance(attendu, str) and isinstance(recu, str) and hmac.compare_digest(attendu, recu)


def _lien_autorise(principal: Principal, chemin: str, reglages: Reglages) -> bool:
    if chemin in ("/presentation", "/presentation.pdf"):  # the deck, on screen or printed
        return _meme_deck(principal, dict(request.args), reglages)
    return chemin.startswith(LIEN_AUTORISES)


def parametres_de_page(recherche) -> dict:
    """The query parameters exactly as Dash pages hands them to a layout (its own parser: a search without
    its "?" is no parameter at all, a repeated key a list) — what is checked is what is shown."""
    from dash._pages import _parse_query_string

    return _parse_query_string(recherche) if isinstance(recherche, str) else {}


def _meme_deck(principal: Principal, parametres: dict, reglages: Reglages) -> bool:
    if not all(isinstance(v, str) for v in parametres.values()):
        return False
    try:
        return reglages.deck_canonique(parametres) == principal.deck
    except Exception:  # unreadable parameters are simply not this deck
        return False


def _verifier_rappel(app, principal: Principal, reglages: Reglages) -> None:
    """The callback the payload names exists, the payload has its shape, and this principal may call it."""
    if principal.peut(IMPORTER):
        request.max_content_length = reglages.taille_max_depot
    try:
        corps = request.get_json(silent=True)
    except RecursionError:
        abort(400, "Requête invalide.")
    if not isinstance(corps, dict):
        abort(400, "Requête invalide : un objet JSON est attendu.")
    sortie = corps.get("output")
    rappel = app.callback_map.get(sortie) if isinstance(sortie, str) else None
    if rappel is None or "callback" not in rappel:  # clientside callbacks never reach the server
        abort(400, "Requête invalide : rappel inconnu.")
    if not _forme_valide(corps, rappel):
        abort(400, "Requête invalide : entrées non conformes au rappel.")
    permission = getattr(rappel["callback"], "permission", LIRE)
    if principal.role == LIEN:
        if not sortie.startswith(".." + ROUTAGE_PAGES) and not sortie.startswith("_pages_"):
            abort(403, "Ce lien de présentation n'ouvre que sa présentation.")
        valeurs = {e["property"]: e.get("value") for e in corps["inputs"] if isinstance(e, dict)}
        if sortie.startswith(".." + ROUTAGE_PAGES) and (
            valeurs.get("pathname") != "/presentation"
            or not _meme_deck(principal, parametres_de_page(valeurs.get("search")), reglages)
        ):
            abort(403, "Ce lien de présentation n'ouvre que sa présentation.")
        return
    if not principal.peut(permission):
        abort(403, "Votre rôle ne permet pas cette action.")


def _forme_valide(corps: dict, rappel: dict) -> bool:
    """Inputs and states name exactly the components and properties the callback declared."""
    for cle, declares in (("inputs", rappel.get("inputs", [])), ("state", rappel.get("state", []))):
        recus = corps.get(cle, [])
        if not isinstance(recus, list) or len(recus) != len(declares):
            return False
        for recu, declare in zip(recus, declares, strict=True):
            if not _entree_conforme(recu, declare):
                return False
    changes = corps.get("changedPropIds", [])
    if not isinstance(changes, list) or not all(isinstance(c, str) for c in changes):
        return False
    return _sorties_conformes(corps.get("outputs"), corps["output"])


def _sorties_conformes(sorties, cle: str) -> bool:
    """As many outputs as the callback declares ("..a.x...b.y.." names several), each an id and a property."""
    if cle.startswith(".."):
        attendues = len(cle.strip(".").split("..."))
        if not isinstance(sorties, list) or len(sorties) != attendues:
            return False
    else:
        sorties = [sorties]

    def une(s) -> bool:
        forme = isinstance(s, dict) and isinstance(s.get("id"), str | dict)
        return forme and isinstance(s.get("property"), str)

    # A pattern-matching output (ALL) is the list of the components it matched.
    return all(une(s) or (isinstance(s, list) and all(une(e) for e in s)) for s in sorties)


def _entree_conforme(recu, declare: dict) -> bool:
    identifiant, propriete = declare.get("id"), declare.get("property")
    if isinstance(identifiant, str) and identifiant.startswith("{"):  # pattern-matching id (ALL, MATCH…)
        modele = json.loads(identifiant)
        elements = recu if isinstance(recu, list) else [recu]
        return all(
            isinstance(e, dict) and e.get("property") == propriete and _selon_modele(e.get("id"), modele)
            for e in elements
        )
    return isinstance(recu, dict) and recu.get("id") == identifiant and recu.get("property") == propriete


def _selon_modele(identifiant, modele: dict) -> bool:
    """{"type": "fiche-png", "nom": "lieux"} matches {"type": "fiche-png", "nom": ["ALL"]}."""
    if not isinstance(identifiant, dict) or set(identifiant) != set(modele):
        return False
    return all(isinstance(attendu, list) or identifiant[cle] == attendu for cle, attendu in modele.items())


# --- Sign-in ----------------------------------------------------------------------------------------


def _connexion(contexte, jetons: Jetons, reglages: Reglages):
    suivant = suivant_sur(request.values.get("suivant"))
    if request.method == "GET":
        if g.principal is not None and g.principal.role != LIEN:
            return redirect(suivant, code=303)
        message = "Vous êtes déconnecté." if request.args.get("fin") else None
        return page_connexion.page(g.session["c"], suivant, message=message)
    if not _csrf_valide(g.session):
        return page_connexion.page(
            g.session["c"], suivant, erreur="Formulaire expiré : recommencez.", statut=400
        )
    identifiant = (request.form.get("identifiant") or "").strip()[:120]
    mot_de_passe = request.form.get("mot_de_passe") or ""
    adresse = _adresse()
    if not identifiant.isprintable():  # no account has one; PostgreSQL refuses NUL in text
        return page_connexion.page(
            g.session["c"], suivant, erreur="Identifiant ou mot de passe incorrect.", statut=401
        )
    attente = comptes.attente_avant_essai(contexte.engine, identifiant, adresse)
    if attente:
        minutes = max(1, round(attente / 60))
        comptes.auditer(contexte.engine, identifiant or "?", "connexion_bloquee", adresse=adresse)
        return page_connexion.page(
            g.session["c"],
            suivant,
            erreur=f"Trop de tentatives : réessayez dans {minutes} minute{'s' if minutes > 1 else ''}.",
            statut=429,
            identifiant=identifiant,
        )
    compte = comptes.compte_par_identifiant(contexte.engine, identifiant) if identifiant else None
    bon = verifier(compte.mot_de_passe if compte else None, mot_de_passe)
    if not bon or compte is None or not compte.actif:
        comptes.noter_tentative(contexte.engine, identifiant or "?", adresse, reussie=False)
        comptes.auditer(contexte.engine, identifiant or "?", "connexion_refusee", adresse=adresse)
        return page_connexion.page(
            g.session["c"],
            suivant,
            erreur="Identifiant ou mot de passe incorrect, ou compte désactivé.",
            statut=401,
            identifiant=identifiant,
        )
    comptes.noter_tentative(contexte.engine, compte.identifiant, adresse, reussie=True)
    comptes.auditer(contexte.engine, compte.identifiant, "connexion", adresse=adresse)
    # A new session and a new CSRF token at sign-in: nothing set before it survives (session fixation).
    g.session = {"u": compte.id, "g": compte.generation, "t": time.time(), "c": nouveau_jeton_csrf()}
    g.session_a_ecrire = True
    return redirect(suivant, code=303)


def suivant_sur(valeur) -> str:
    """Where to go after signing in: a path of this site only (never `//elsewhere` or `https://…`)."""
    if not isinstance(valeur, str) or not valeur.startswith("/") or len(valeur) > 2000:
        return "/"
    if valeur.startswith(("//", "/\\")) or any(c in valeur for c in "\\\r\n\t"):
        return "/"
    morceaux = urlsplit(valeur)
    if morceaux.scheme or morceaux.netloc or morceaux.path.startswith("/connexion"):
        return "/"
    return valeur


# --- Headers and errors ----------------------------------------------------------------------------


def _csp(app) -> str:
    """As strict as Dash allows: scripts from this origin plus the hashes of Dash's own inline scripts;
    inline styles stay allowed (plotly.js and React set them at run time)."""
    scripts = " ".join(["'self'", *(f"{h}" for h in app.csp_hashes())])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _entetes_securite(reponse: Response, app, reglages: Reglages) -> None:
    if reglages.csp is None:
        reglages.csp = _csp(app)
    entetes = reponse.headers
    entetes.setdefault("Content-Security-Policy", reglages.csp)
    entetes.setdefault("X-Content-Type-Options", "nosniff")
    entetes.setdefault("X-Frame-Options", "DENY")
    entetes.setdefault("Referrer-Policy", "no-referrer")  # briefing links carry their token
    entetes.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    entetes.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    if reglages.cookies_securises:
        entetes.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.path.startswith(("/_dash-update-component", "/connexion", "/_dash-layout")):
        entetes["Cache-Control"] = "no-store"


TITRES = {
    400: "Requête invalide",
    401: "Connexion requise",
    403: "Accès refusé",
    404: "Page introuvable",
    405: "Méthode non permise",
    413: "Envoi trop volumineux",
    429: "Trop de requêtes",
    500: "Erreur interne",
    503: "Service momentanément indisponible",
}


def _page_erreur(code: int, description: str | None):
    titre = TITRES.get(code, "Erreur")
    message = description if description and not description.startswith(("The ", "A ")) else None
    message = message or {
        500: "Une erreur est survenue ; elle a été consignée. Réessayez, ou signalez-la à l'équipe.",
        404: "Cette adresse ne correspond à aucune page.",
        413: "Le contenu envoyé dépasse la taille permise.",
    }.get(code, titre + ".")
    if request.path.startswith(("/_dash-", "/geo/")) or request.accept_mimetypes.best == "application/json":
        return jsonify(erreur=titre, message=message), code
    return page_connexion.page_erreur(code, titre, message), code


# --- Briefing links ---------------------------------------------------------------------------------


def creer_lien(contexte, principal: Principal, deck: str, duree: timedelta) -> str:
    """A signed, expiring, read-only token for one deck (its canonical address); revoked with the account
    that created it. Audited."""
    if principal.local:
        utilisateur_id, generation = None, None
    else:
        compte = comptes.compte_par_id(contexte.engine, principal.utilisateur_id or -1)
        if compte is None:
            raise PermissionError("compte inconnu")
        utilisateur_id, generation = compte.id, compte.generation
    expire = datetime.now(UTC) + duree
    jeton = Jetons(contexte.settings.effective_secret_key()).lien(deck, expire, utilisateur_id, generation)
    if duree > DUREE_LIEN_IMPRESSION:  # the server's own PDF printing is not a shared link
        comptes.auditer(
            contexte.engine,
            principal.identifiant,
            "lien_cree",
            cible=deck,
            details={"expire": expire.isoformat(timespec="minutes")},
            adresse=_adresse() if has_request_context() else None,
        )
    return jeton


def jeton_d_impression(contexte, principal: Principal, deck: str) -> str:
    """What the server's own Chromium presents to print a deck: a five-minute link for an account (or the
    local account), the visitor's own link for a briefing link (whose deck was checked to be this one)."""
    if principal.role == LIEN:
        return g.session["l"]
    return creer_lien(contexte, principal, deck, DUREE_LIEN_IMPRESSION)
