"""What keeps exports from starving the app: a bounded counter of Chromium renders (`Guichet`) and a
per-account, per-briefing-link rate (`Cadence`).

Guichet. A PDF render holds a request thread for seconds, and the server's own Chromium needs free threads
of this same server to read the deck it prints: ten prints waiting in line took every thread and nothing
answered any more, not even /sante. So a process renders at most `simultanes` exports at once, lets at
most `en_attente` more wait (for `attente_max_s` at most), and refuses the others at once
(ExportRefuse, 503 with Retry-After): the other threads stay free for pages.

Cadence. At most `par_minute` exports per account or link over any 60 seconds, counted in Redis when
PASSNUM_CACHE_URL is set (every worker and host shares the count), in the process otherwise — and in the
process too when Redis does not answer (one warning, then a new attempt every PAUSE_S seconds).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

journal = logging.getLogger("passnum.exports")

FENETRE_S = 60.0
PAUSE_S = 30.0
ATTENTE_CONSEILLEE_S = 10  # Retry-After when every render slot is taken
MESSAGE_OCCUPE = "Export en cours de préparation pour d'autres demandes : réessayez dans quelques secondes."
PREFIXE = "passnum:exports:"


class ExportRefuse(RuntimeError):
    """An export refused for now (said in French), with its HTTP status and the seconds to wait."""

    def __init__(self, message: str, statut: int, attente_s: int) -> None:
        super().__init__(message)
        self.statut = statut
        self.attente_s = max(1, int(attente_s))


class Guichet:
    """At most `simultanes` renders at once in this process, `en_attente` more waiting; the rest refused."""

    def __init__(self, simultanes: int, en_attente: int, attente_max_s: float = 30.0) -> None:
        self.simultanes, self.en_attente = max(1, simultanes), max(0, en_attente)
        self.attente_max_s = attente_max_s
        self._places = threading.Semaphore(self.simultanes)
        self._verrou = threading.Lock()
        self._presents = 0  # rendering or waiting

    @property
    def presents(self) -> int:
        return self._presents

    @property
    def plein(self) -> bool:
        """Would a new render be refused right now? (A hint for answering early; `rendu` decides.)"""
        return self._presents >= self.simultanes + self.en_attente

    @contextmanager
    def rendu(self) -> Iterator[None]:
        with self._verrou:
            if self._presents >= self.simultanes + self.en_attente:
                raise ExportRefuse(MESSAGE_OCCUPE, 503, ATTENTE_CONSEILLEE_S)
            self._presents += 1
        try:
            if not self._places.acquire(timeout=self.attente_max_s):
                raise ExportRefuse(MESSAGE_OCCUPE, 503, ATTENTE_CONSEILLEE_S)
            try:
                yield
            finally:
                self._places.release()
        finally:
            with self._verrou:
                self._presents -= 1


GUICHET = Guichet(1, 1)
"""The process's renders, PDF and PNG alike (one Chromium busy at a time per process by default)."""


def regler_guichet(simultanes: int, en_attente: int) -> None:
    """Size the process's renders from the settings (create_app); renders under way keep their slot."""
    global GUICHET
    if (GUICHET.simultanes, GUICHET.en_attente) != (max(1, simultanes), max(0, en_attente)):
        GUICHET = Guichet(simultanes, en_attente)


def guichet() -> Guichet:
    return GUICHET


class Cadence:
    """At most `par_minute` exports per key (an account, a briefing link) over any FENETRE_S seconds."""

    def __init__(
        self, par_minute: int, url_redis: str | None = None, espace: str = "", prefixe: str = PREFIXE
    ) -> None:
        self.par_minute = par_minute
        self._prefixe = prefixe  # the keys' namespace in Redis: exports, or the API's requests
        self._verrou = threading.Lock()
        self._moments: dict[str, deque[float]] = {}
        self._espace = espace
        self._redis = None
        self._script = None
        self._en_panne_depuis: float | None = None
        if url_redis:
            import redis

            self._redis = redis.Redis.from_url(url_redis, socket_timeout=0.5, socket_connect_timeout=0.5)
            self._script = self._redis.register_script(SCRIPT_FENETRE)

    def prendre(self, cle: str) -> None:
        """Count one export for `cle`; ExportRefuse (429) when its budget of the last minute is spent."""
        if self.par_minute <= 0:
            return
        attente = self._attente_redis(cle) if self._redis is not None else None
        if attente is None:
            attente = self._attente_memoire(cle)
        if attente > 0:
            raise ExportRefuse(
                f"Trop d'exports demandés ({self.par_minute} par minute au plus) : "
                f"réessayez dans {attente} seconde{'s' if attente > 1 else ''}.",
                429,
                attente,
            )

    def _attente_memoire(self, cle: str) -> int:
        maintenant = time.monotonic()
        with self._verrou:
            moments = self._moments.setdefault(cle, deque())
            while moments and moments[0] <= maintenant - FENETRE_S:
                moments.popleft()
            if len(moments) >= self.par_minute:
                return int(moments[0] + FENETRE_S - maintenant) + 1
            moments.append(maintenant)
            for autre in [k for k, v in self._moments.items() if not v]:  # never grows with old keys
                del self._moments[autre]
            return 0

    def _attente_redis(self, cle: str) -> int | None:
        import redis

        with self._verrou:
            if self._en_panne_depuis is not None and time.monotonic() - self._en_panne_depuis < PAUSE_S:
                return None
        try:
            attente = self._script(
                keys=[f"{self._prefixe}{self._espace}:{cle}"],
                args=[FENETRE_S, self.par_minute, uuid.uuid4().hex],
            )
        except redis.RedisError as exc:
            with self._verrou:
                if self._en_panne_depuis is None:
                    journal.warning("Redis injoignable pour le compte des exports, compté ici : %s", exc)
                self._en_panne_depuis = time.monotonic()
            return None
        with self._verrou:
            self._en_panne_depuis = None
        return int(attente)


# Sliding window in one atomic step, on Redis's clock (every host counts on the same one): the seconds to
# wait, or 0 and the export counted.
SCRIPT_FENETRE = """
local t = redis.call('TIME')
local maintenant = tonumber(t[1]) + tonumber(t[2]) / 1000000
local fenetre, limite = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', maintenant - fenetre)
if redis.call('ZCARD', KEYS[1]) < limite then
  redis.call('ZADD', KEYS[1], maintenant, ARGV[3])
  redis.call('EXPIRE', KEYS[1], math.ceil(fenetre) + 1)
  return 0
end
local premier = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.floor(tonumber(premier[2]) + fenetre - maintenant) + 1
"""
