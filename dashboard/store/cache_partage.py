"""The cache shared by every process and host serving the dashboard (PASSNUM_CACHE_URL, Redis).

It is the second level of `memoire.memoiser`: what one worker computed for a filter state, the others
read instead of computing it again. Entries are named by the data version, so an import makes them
unreachable at once; they expire by themselves after `DUREE_S`.

Values are pickled — DataFrames and tuples of them — and signed with the application's secret key: a
process loads only what a process holding the same key wrote, never bytes planted in Redis by someone
else. Names depend on the key too: after a change of key, the old entries are simply not found.

Redis is an accelerator, not a dependency: when it does not answer, the value is computed here (one
warning in the log, then at most one new attempt every `PAUSE_S` seconds).
"""

from __future__ import annotations

import hashlib
import logging
import pickle  # nosec B403 — only signed payloads are ever loaded, see lire()
import threading
import time
from collections.abc import Hashable

import redis
from itsdangerous import BadSignature, Signer

DUREE_S = 6 * 3600
PAUSE_S = 30.0
DELAI_S = 0.25  # Redis on the local network answers in well under a millisecond
PREFIXE = "passnum:memo:"
ABSENT = object()

journal = logging.getLogger("passnum.cache")


class CachePartage:
    def __init__(self, url: str, cle_secrete: str) -> None:
        self._redis = redis.Redis.from_url(url, socket_timeout=DELAI_S, socket_connect_timeout=DELAI_S)
        self._signeur = Signer(cle_secrete, salt="passnum.cache-partage", digest_method=hashlib.sha256)
        self._espace = self._signeur.get_signature(b"espace").decode()[:16]
        self._verrou = threading.Lock()
        self._en_panne_depuis: float | None = None

    def nom(self, cle: Hashable) -> str:
        """A stable name for a memo key: its repr holds only strings, numbers, tuples and frozen
        dataclasses (the filters), the same in every process."""
        return f"{PREFIXE}{self._espace}:{hashlib.sha256(repr(cle).encode()).hexdigest()}"

    def lire(self, cle: Hashable):
        """The value kept under `cle`, or ABSENT (never kept, expired, unsigned, or Redis down)."""
        if self._en_pause():
            return ABSENT
        try:
            signe = self._redis.get(self.nom(cle))
        except redis.RedisError as exc:
            self._panne(exc)
            return ABSENT
        if signe is None:
            return ABSENT
        try:
            donnees = self._signeur.unsign(signe)
        except BadSignature:
            journal.warning("Entrée du cache partagé à la signature invalide, ignorée : %s", self.nom(cle))
            return ABSENT
        return pickle.loads(donnees)  # nosec B301 — signed with our secret key just above

    def ecrire(self, cle: Hashable, valeur: object) -> None:
        if self._en_pause():
            return
        donnees = self._signeur.sign(pickle.dumps(valeur, protocol=pickle.HIGHEST_PROTOCOL))
        try:
            self._redis.set(self.nom(cle), donnees, ex=DUREE_S)
        except redis.RedisError as exc:
            self._panne(exc)

    def _en_pause(self) -> bool:
        with self._verrou:
            if self._en_panne_depuis is None:
                return False
            if time.monotonic() - self._en_panne_depuis < PAUSE_S:
                return True
            self._en_panne_depuis = None  # try again
            return False

    def _panne(self, exc: Exception) -> None:
        with self._verrou:
            self._en_panne_depuis = time.monotonic()
        journal.warning("Cache partagé injoignable (%s) : calcul local pendant %.0f s", exc, PAUSE_S)
