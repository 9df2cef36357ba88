"""Sign-in with ProConnect (OpenID Connect), beside local accounts.

`/connexion/proconnect` sends the person to the provider, its state, nonce and PKCE verifier kept in their
signed session; `/connexion/proconnect/retour` checks the answer (state, then the code exchanged once, the
ID token and the userinfo: `oidc`) and opens a session exactly as a local sign-in does — a new session and
CSRF token, the account's generation, the audit journal. Access is granted beforehand
(dashboard.store.proconnect): an identity nobody granted gets « Accès non accordé » and an audit line, never
an account. Signing out of a ProConnect session ends it at the provider too (`adresse_de_fin`)."""

from __future__ import annotations

import hmac
import time

from flask import Flask, g, redirect, request

from dashboard.store import comptes
from dashboard.store import proconnect as acces
from dashboard.web import pages_html
from dashboard.web.acces.identite import adresse_client
from dashboard.web.acces.jetons import nouveau_jeton_csrf
from dashboard.web.acces.liens import racine_publique
from dashboard.web.acces.oidc import ECHEC, ClientOidc, RefusOidc

DEBUT = "/connexion/proconnect"
RETOUR = "/connexion/proconnect/retour"
APRES_DECONNEXION = "/connexion?fin=1"
CLE_CLIENT = "PASSNUM_OIDC"
DUREE_DEMANDE_S = 600  # from the button to the return: a sign-in left open longer starts again
# The ID token is kept in the session (cookie) for the provider's logout (`id_token_hint`) and nothing
# else; a longer one is not kept (the cookie stays well under 4 KB) and the logout names the client instead.
TAILLE_MAX_ID_TOKEN = 2500
A_QUI_DEMANDER = (
    "L'accès est accordé par l'administrateur national du tableau de bord (équipe du Pass numérique) : "
    "demandez-le lui en indiquant cette adresse, votre structure et son SIRET."
)


def configure(settings) -> bool:
    return bool(settings.oidc_issuer and settings.oidc_client_id and settings.oidc_client_secret)


def installer(serveur: Flask, contexte) -> list[str]:
    """The two routes, when PASSNUM_OIDC_* are set; the origins our forms may lead to (the provider's,
    where signing out goes on), for the CSP's form-action."""
    settings = contexte.settings
    if not configure(settings):
        return []
    client = ClientOidc(
        settings.oidc_issuer,
        settings.oidc_client_id,
        settings.oidc_client_secret,
        racine_publique(settings) + RETOUR,  # PASSNUM_URL, or where the server listens: never the Host
    )
    serveur.config[CLE_CLIENT] = client
    serveur.add_url_rule(DEBUT, "proconnect", lambda: debut(contexte, client))
    serveur.add_url_rule(RETOUR, "proconnect_retour", lambda: retour(contexte, client))
    return client.origines()


def client_de(serveur: Flask) -> ClientOidc | None:
    return serveur.config.get(CLE_CLIENT)


def debut(contexte, client: ClientOidc):
    from dashboard.web.acces.connexion import suivant_sur

    suivant = suivant_sur(request.args.get("suivant"))
    if g.principal is not None and g.principal.utilisateur_id is not None:  # signed in already
        return redirect(suivant, code=303)
    try:
        demande = client.demande()
    except RefusOidc as refus:
        return _refus(contexte, refus, suivant)
    g.session = {
        "c": g.session.get("c") or nouveau_jeton_csrf(),
        "o": {
            "s": demande.state,
            "n": demande.nonce,
            "v": demande.verificateur,
            "r": suivant,
            "t": time.time(),
        },
    }
    g.session_a_ecrire = True
    return redirect(demande.url, code=303)


def retour(contexte, client: ClientOidc):
    """The provider's answer. The sign-in in progress is used once: whatever happens, it is forgotten."""
    en_cours = g.session.get("o")
    g.session = {k: v for k, v in g.session.items() if k != "o"}
    g.session_a_ecrire = True
    suivant = en_cours.get("r", "/") if isinstance(en_cours, dict) else "/"
    try:
        en_cours = _verifier_retour(client, en_cours)
        if request.args.get("error"):  # the person cancelled at the provider, or it refused
            raise RefusOidc(
                f"fournisseur_{request.args['error'][:40]}", "Connexion ProConnect interrompue.", 401
            )
        jetons = client.echanger(request.args.get("code", ""), en_cours["v"])
        identite = client.identite(jetons, en_cours["n"])
    except RefusOidc as refus:
        return _refus(contexte, refus, suivant)
    decision = acces.compte_pour(contexte.engine, identite, adresse_client())
    if decision.refus is not None or decision.compte is None:
        return _non_accorde(contexte, identite, decision)
    return _ouvrir_session(contexte, decision.compte, identite, jetons["id_token"], suivant)


def _verifier_retour(client: ClientOidc, en_cours) -> dict:
    """The answer belongs to the sign-in this browser started, lately, at this provider (RFC 9207 `iss`)."""
    state = request.args.get("state")
    if (
        not isinstance(en_cours, dict)
        or not isinstance(state, str)
        or not isinstance(en_cours.get("s"), str)
        or not hmac.compare_digest(state.encode(), en_cours["s"].encode())
    ):
        raise RefusOidc(
            "state",
            "Cette réponse de ProConnect ne correspond à aucune connexion en cours : recommencez.",
            400,
        )
    if not isinstance(en_cours.get("t"), int | float) or time.time() - en_cours["t"] > DUREE_DEMANDE_S:
        raise RefusOidc("demande_expiree", "La connexion a pris trop de temps : recommencez.", 400)
    iss = request.args.get("iss")
    if iss is not None and iss.rstrip("/") != client.issuer:
        raise RefusOidc("iss", ECHEC, 400)
    return en_cours


def _ouvrir_session(contexte, compte: comptes.Compte, identite: acces.Identite, id_token: str, suivant: str):
    adresse = adresse_client()
    comptes.noter_tentative(contexte.engine, compte.identifiant, adresse, reussie=True)
    comptes.auditer(
        contexte.engine,
        compte.identifiant,
        "connexion_proconnect",
        details={"siret": identite.siret or None},
        adresse=adresse,
    )
    # A new session and a new CSRF token at sign-in, as for a local account (session fixation).
    g.session = {
        "u": compte.id,
        "g": compte.generation,
        "t": time.time(),
        "c": nouveau_jeton_csrf(),
        "p": id_token if len(id_token) <= TAILLE_MAX_ID_TOKEN else 1,  # a ProConnect session
    }
    g.session_a_ecrire = True
    return redirect(suivant, code=303)


def _refus(contexte, refus: RefusOidc, suivant: str):
    comptes.auditer(
        contexte.engine, "?", "proconnect_refusee", details={"raison": refus.raison}, adresse=adresse_client()
    )
    return pages_html.page(
        g.session["c"], suivant, erreur=refus.message, statut=refus.statut, proconnect=True
    )


def _non_accorde(contexte, identite: acces.Identite, decision: acces.Decision):
    adresse = adresse_client()
    details = {"sub": identite.sub, "siret": identite.siret or None, "raison": decision.refus}
    if decision.refus == acces.DESACTIVE and decision.compte is not None:
        comptes.auditer(
            contexte.engine,
            decision.compte.identifiant,
            "connexion_refusee",
            details={"par": "ProConnect"},
            adresse=adresse,
        )
        return pages_html.page_acces_non_accorde(
            identite.email,
            "Ce compte est désactivé : il n'ouvre plus de session.",
            A_QUI_DEMANDER,
        )
    comptes.auditer(
        contexte.engine, identite.email or "?", "proconnect_non_accorde", details=details, adresse=adresse
    )
    message = {
        acces.AUTRE_IDENTITE: "Le compte de cette adresse est lié à une autre identité ProConnect.",
        acces.ADRESSE_INVALIDE: "Cette adresse électronique ne peut pas servir d'identifiant de compte.",
    }.get(
        decision.refus or "", "Aucun compte de ce tableau de bord ne correspond à votre identité ProConnect."
    )
    return pages_html.page_acces_non_accorde(identite.email, message, A_QUI_DEMANDER)


def adresse_de_fin(contexte, client: ClientOidc | None, session: dict) -> str | None:
    """Where signing out of a ProConnect session goes on: the provider's end-session endpoint with
    `id_token_hint`, `state` (kept in the new session, checked back at /connexion?fin=1) and
    `post_logout_redirect_uri`. None for a local session."""
    if client is None or not session.get("p"):
        return None
    etat = nouveau_jeton_csrf()
    id_token = session["p"] if isinstance(session["p"], str) else None
    adresse = client.adresse_de_fin(id_token, etat, racine_publique(contexte.settings) + APRES_DECONNEXION)
    if adresse is not None:
        g.session["f"] = etat
    return adresse
