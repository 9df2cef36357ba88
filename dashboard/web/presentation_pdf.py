"""`/presentation.pdf?…`: the whole deck of the same address as one PDF, printed by the server's Chromium
from the app itself on the loopback (never from the Host the request names, which a client chooses).

Printing never starves the app (dashboard.exports.limites): each account or briefing link has a budget of
exports per minute (429 beyond it), and the process prints within a bounded counter — a request that
finds it full is answered at once with a French "please wait" page (503, Retry-After, reloading itself),
never left holding a request thread."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from flask import Flask, Response, abort, current_app, g, request

from dashboard.domain.deck import deck_canonique_de, lire_deck
from dashboard.domain.droits import LIEN, VISITEUR, Principal
from dashboard.exports.estampille import nom_fichier
from dashboard.exports.limites import Cadence, ExportRefuse, guichet
from dashboard.exports.pdf import pdf_du_deck
from dashboard.web import erreurs
from dashboard.web.acces.identite import adresse_client, principal_courant
from dashboard.web.acces.liens import jeton_d_impression

CADENCE = "PASSNUM_CADENCE_EXPORTS"


def presentation_pdf(contexte) -> Response:
    parametres = {k: v for k, v in request.args.items() if k not in ("diapo", "impression")}
    deck = lire_deck(parametres)
    port = request.environ.get("SERVER_PORT", "8050")
    principal = principal_courant(contexte)
    if principal is None:  # the access layer let nobody else through; said again where it matters
        abort(401)
    try:
        cadence(current_app).prendre(cle_d_export(principal))
        with guichet().rendu():
            jeton = jeton_d_impression(contexte, principal, deck_canonique_de(deck))
            adresse = f"http://127.0.0.1:{port}" + deck.query(impression=1, diapo=1, jeton=jeton)
            contenu = pdf_du_deck(adresse, len(deck.diapos))
    except ExportRefuse as refus:
        return export_refuse(refus)
    except RuntimeError:
        abort(503)
    nom = nom_fichier(["presentation"], "pdf", datetime.now(UTC))
    return Response(
        contenu, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{nom}"'}
    )


def cle_d_export(principal: Principal) -> str:
    """Whose budget an export spends: the account, or the briefing link itself (each link its own)."""
    if principal.role == LIEN:
        jeton = g.get("session", {}).get("l") or ""
        return "lien:" + hashlib.sha256(jeton.encode()).hexdigest()[:32]
    if principal.role == VISITEUR:  # PASSNUM_PUBLIC=1: each address its own budget, not one for all
        return "public:" + adresse_client()
    if principal.utilisateur_id is None:
        return "local"
    return f"compte:{principal.utilisateur_id}"


def cadence(serveur: Flask) -> Cadence:
    return serveur.config[CADENCE]


def export_refuse(refus: ExportRefuse):
    """The French page (or JSON) of a refused export, with Retry-After; the page reloads itself then."""
    reponse, statut = erreurs.page_erreur(refus.statut, str(refus), rafraichir_s=refus.attente_s)
    reponse = current_app.make_response((reponse, statut))
    reponse.headers["Retry-After"] = str(refus.attente_s)
    return reponse


def installer(serveur: Flask, contexte) -> None:
    from dashboard.exports.limites import regler_guichet

    settings = contexte.settings
    regler_guichet(settings.exports_simultanes, settings.exports_en_attente)
    espace = hashlib.sha256(settings.effective_secret_key().encode()).hexdigest()[:16]
    serveur.config[CADENCE] = Cadence(settings.exports_par_minute, settings.cache_url, espace)
    serveur.add_url_rule("/presentation.pdf", "presentation_pdf", lambda: presentation_pdf(contexte))
