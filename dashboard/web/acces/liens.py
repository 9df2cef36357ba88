"""Read-only briefing links: a signed, expiring token for one deck (its canonical address), revoked with the
account that created it, audited; and the five-minute link the server's own Chromium presents to print a
deck to PDF."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from flask import g, has_request_context

from dashboard.domain.droits import LIEN, Principal
from dashboard.settings import Settings
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
    adresse = racine_publique(contexte.settings) + deck + "&" + urlencode({"jeton": jeton})
    return adresse, datetime.now(UTC) + timedelta(days=jours)


def racine_publique(settings: Settings) -> str:
    """Where every link sent out points: PASSNUM_URL; without it, where the server listens (the loopback in
    development). Never the request's Host, which the client chooses: a forged one would send the holder
    of a signed link — and its token — to another site."""
    if settings.url:
        return settings.url
    schema = "https" if settings.https else "http"
    hote = "127.0.0.1" if settings.host in ("", "0.0.0.0") else settings.host  # nosec B104 — compared only
    hote = f"[{hote}]" if ":" in hote else hote
    return f"{schema}://{hote}:{settings.port}"
