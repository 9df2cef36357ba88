"""Signed tokens: the session cookie and the read-only briefing links (itsdangerous, HMAC-SHA1 over the
secret key, the same construction as Flask's own sessions). Stateless: any worker or host checks them."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from itsdangerous import BadData, URLSafeTimedSerializer

DUREE_SESSION = timedelta(hours=12)  # a working day; signing in again after that is expected
DUREE_LIEN_IMPRESSION = timedelta(minutes=5)  # the server's own Chromium printing a deck to PDF


def nouveau_jeton_csrf() -> str:
    return secrets.token_urlsafe(32)


class Jetons:
    def __init__(self, cle_secrete: str) -> None:
        self._sessions = URLSafeTimedSerializer(cle_secrete, salt="passnum-session")
        self._liens = URLSafeTimedSerializer(cle_secrete, salt="passnum-lien-presentation")

    def session(self, contenu: dict) -> str:
        return self._sessions.dumps(contenu)

    def lire_session(self, valeur) -> dict | None:
        """The session's content, or None if absent, forged, tampered with or older than a day's work."""
        if not isinstance(valeur, str) or not valeur or len(valeur) > 4096:
            return None
        try:
            contenu = self._sessions.loads(valeur, max_age=int(DUREE_SESSION.total_seconds()))
        except BadData:
            return None
        return contenu if isinstance(contenu, dict) else None

    def lien(self, deck: str, expire: datetime, utilisateur_id: int | None, generation: int | None) -> str:
        return self._liens.dumps(
            {"d": deck, "e": int(expire.timestamp()), "u": utilisateur_id, "g": generation}
        )

    def lire_lien(self, valeur, moment: datetime | None = None) -> dict | None:
        """A briefing link's content if its signature holds and it has not expired; None otherwise."""
        if not isinstance(valeur, str) or not valeur or len(valeur) > 2048:
            return None
        try:
            contenu = self._liens.loads(valeur)
        except BadData:
            return None
        if not isinstance(contenu, dict) or not isinstance(contenu.get("d"), str):
            return None
        expire = contenu.get("e")
        if not isinstance(expire, int) or expire <= (moment or datetime.now(UTC)).timestamp():
            return None
        return {**contenu, "expire": datetime.fromtimestamp(expire, UTC)}
