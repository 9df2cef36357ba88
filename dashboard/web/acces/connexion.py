"""`/connexion` and `/deconnexion`: local accounts, throttled per account and per address (counted in the
database, so for every worker), a new session and CSRF token at sign-in, back to the page asked for. The
ProConnect button beside the form when it is configured (`proconnect`), and signing out of a ProConnect
session at the provider too."""

from __future__ import annotations

import hmac
import time
from urllib.parse import urlsplit

from flask import current_app, g, redirect, request

from dashboard.domain.droits import LIEN, VISITEUR
from dashboard.store import comptes
from dashboard.web import pages_html
from dashboard.web.acces.identite import adresse_client
from dashboard.web.acces.jetons import nouveau_jeton_csrf
from dashboard.web.acces.mots_de_passe import verifier
from dashboard.web.acces.proconnect import adresse_de_fin, client_de
from dashboard.web.acces.regles import csrf_valide


def connexion(contexte):
    suivant = suivant_sur(request.values.get("suivant"))
    proconnect = client_de(current_app) is not None

    def page(**options):
        return pages_html.page(g.session["c"], suivant, proconnect=proconnect, **options)

    if request.method == "GET":
        if g.principal is not None and g.principal.role not in (LIEN, VISITEUR):
            return redirect(suivant, code=303)
        return page(message=_message_de_fin())
    if not csrf_valide(g.session):
        return page(erreur="Formulaire expiré : recommencez.", statut=400)
    identifiant = (request.form.get("identifiant") or "").strip()[:120]
    mot_de_passe = request.form.get("mot_de_passe") or ""
    adresse = adresse_client()
    if not identifiant.isprintable():  # no account has one; PostgreSQL refuses NUL in text
        return page(erreur="Identifiant ou mot de passe incorrect.", statut=401)
    attente = comptes.attente_avant_essai(contexte.engine, identifiant, adresse)
    if attente:
        minutes = max(1, round(attente / 60))
        comptes.auditer(contexte.engine, identifiant or "?", "connexion_bloquee", adresse=adresse)
        return page(
            erreur=f"Trop de tentatives : réessayez dans {minutes} minute{'s' if minutes > 1 else ''}.",
            statut=429,
            identifiant=identifiant,
        )
    compte = comptes.compte_par_identifiant(contexte.engine, identifiant) if identifiant else None
    bon = verifier(compte.mot_de_passe if compte else None, mot_de_passe)
    if not bon or compte is None or not compte.actif:
        comptes.noter_tentative(contexte.engine, identifiant or "?", adresse, reussie=False)
        comptes.auditer(contexte.engine, identifiant or "?", "connexion_refusee", adresse=adresse)
        return page(
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


def _message_de_fin() -> str | None:
    """After signing out; "and of ProConnect" when the provider sent back the state we gave it."""
    if not request.args.get("fin"):
        return None
    etat, attendu = request.args.get("state"), g.session.pop("f", None)
    if isinstance(etat, str) and isinstance(attendu, str) and hmac.compare_digest(etat, attendu):
        g.session_a_ecrire = True
        return "Vous êtes déconnecté, de ce tableau de bord et de ProConnect."
    return "Vous êtes déconnecté."


def deconnexion(contexte):
    """Signing out ends every session of the account, on every device; a ProConnect session goes on to
    the provider's end-session endpoint, which sends the person back to /connexion?fin=1."""
    principal, session = g.principal, g.session
    if principal is not None and principal.utilisateur_id is not None:
        comptes.fermer_sessions(contexte.engine, principal.utilisateur_id)
        comptes.auditer(contexte.engine, principal.identifiant, "deconnexion", adresse=adresse_client())
    g.session, g.session_a_ecrire = {"c": nouveau_jeton_csrf()}, True
    fin = adresse_de_fin(contexte, client_de(current_app), session) if principal is not None else None
    return redirect(fin or "/connexion?fin=1", code=303)
