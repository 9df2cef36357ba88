"""Read-only briefing links: a signed, expiring token for one deck (its canonical address), revoked with the
account that created it, audited; and the five-minute link the server's own Chromium presents to print a
deck to PDF."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from flask import g, has_request_context, request

from dashboard.domain.droits import LIEN, Principal
from dashboard.store import comptes
from dashboard.web.acces.identite import adresse_client
from dashboard.web.acces.jetons import DUREE_LIEN_IMPRESSION, Jetons


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
            adresse=adresse_client() if has_request_context() else None,
        )
    return jeton


def jeton_d_impression(contexte, principal: Principal, deck: str) -> str:
    """What the server's own Chromium presents to print a deck: a five-minute link for an account (or the
    local account), the visitor's own link for a briefing link (whose deck was checked to be this one)."""
    if principal.role == LIEN:
        return g.session["l"]
    return creer_lien(contexte, principal, deck, DUREE_LIEN_IMPRESSION)


def adresse_partagee(contexte, principal: Principal, deck: str, jours: int) -> tuple[str, datetime]:
    """The absolute address of `deck` (canonical) with a link signed for `jours` days, and its expiry."""
    jeton = creer_lien(contexte, principal, deck, timedelta(days=jours))
    racine = request.host_url.rstrip("/")
    if contexte.settings.https:  # never a token in clear text, whatever the proxy forwarded
        racine = "https://" + racine.split("://", 1)[1]
    return racine + deck + "&" + urlencode({"jeton": jeton}), datetime.now(UTC) + timedelta(days=jours)
