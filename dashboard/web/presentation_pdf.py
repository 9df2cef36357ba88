"""`/presentation.pdf?…`: the whole deck of the same address as one PDF, printed by the server's Chromium
from the app itself on the loopback (never from the Host the request names, which a client chooses)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, Response, abort, request

from dashboard.domain.deck import deck_canonique_de, lire_deck
from dashboard.exports.estampille import nom_fichier
from dashboard.exports.pdf import UNE_IMPRESSION, pdf_du_deck
from dashboard.web.acces.identite import principal_courant
from dashboard.web.acces.liens import jeton_d_impression


def presentation_pdf(contexte) -> Response:
    parametres = {k: v for k, v in request.args.items() if k not in ("diapo", "impression")}
    deck = lire_deck(parametres)
    port = request.environ.get("SERVER_PORT", "8050")
    principal = principal_courant(contexte)
    if principal is None:  # the access layer let nobody else through; said again where it matters
        abort(401)
    jeton = jeton_d_impression(contexte, principal, deck_canonique_de(deck))
    adresse = f"http://127.0.0.1:{port}" + deck.query(impression=1, diapo=1, jeton=jeton)
    if not UNE_IMPRESSION.acquire(timeout=90):  # one Chromium at a time
        abort(503)
    try:
        contenu = pdf_du_deck(adresse, len(deck.diapos))
    except RuntimeError:
        abort(503)
    finally:
        UNE_IMPRESSION.release()
    nom = nom_fichier(["presentation"], "pdf", datetime.now(UTC))
    return Response(
        contenu, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{nom}"'}
    )


def installer(serveur: Flask, contexte) -> None:
    serveur.add_url_rule("/presentation.pdf", "presentation_pdf", lambda: presentation_pdf(contexte))
