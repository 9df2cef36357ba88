"""Past saturation, a quick refusal in French rather than a wait without end (WSGI, outermost).

A process serves at most `simultanees` requests at once; at most `en_attente` more wait for a slot, for
`attente_max_s` at most; any other is refused at once: 503 with Retry-After, a French page for a browser
(which reloads itself when it is time), a JSON `{"erreur", "message"}` for the app's own requests (Dash
callbacks, which assets/surcharge.js shows as a notice). Static files (scripts, styles, geometries, fonts)
and /sante are not counted: they are cheap and a page needs all of them. Nor is /presentation.pdf: it has
its own counter (dashboard.exports.limites.Guichet, which refuses at once past it), and while it waits
for the server's own Chromium, that Chromium's page and callbacks need the slots of this same server.
`passnum serve` gives gunicorn more threads than slots and waiting places, so that a refusal always finds
a thread to say it.
"""

from __future__ import annotations

import json
import logging
import threading
import time

from werkzeug.wsgi import ClosingIterator

from dashboard.web import pages_html

journal = logging.getLogger("passnum.portier")

NON_COMPTES = ("/assets/", "/_dash-component-suites/", "/geo/", "/polices/", "/_favicon.ico")
HORS_COMPTE = frozenset({"/sante", "/presentation.pdf"})
ATTENTE_CONSEILLEE_S = 5  # Retry-After of a refusal
ATTENTE_MAX_S = 0.5  # the longest a request waits for a slot before it is refused
TITRE = "Service momentanément indisponible"
MESSAGE = (
    "Le tableau de bord reçoit plus de demandes qu'il ne peut en traiter en ce moment : "
    "réessayez dans quelques secondes."
)
INTERVALLE_JOURNAL_S = 10.0  # one warning at most every 10 s while refusing


class Portier:
    """WSGI middleware: `simultanees` requests at once, `en_attente` more waiting, the others refused."""

    def __init__(self, app, simultanees: int, en_attente: int, attente_max_s: float = ATTENTE_MAX_S) -> None:
        self.app = app
        self.simultanees, self.en_attente = max(1, simultanees), max(0, en_attente)
        self.attente_max_s = attente_max_s
        self._places = threading.Semaphore(self.simultanees)
        self._verrou = threading.Lock()
        self._presents = 0  # served or waiting
        self.refusees = 0
        self._dernier_avertissement = 0.0

    @property
    def presents(self) -> int:
        return self._presents

    def __call__(self, environ, start_response):
        chemin = environ.get("PATH_INFO", "")
        if chemin in HORS_COMPTE or chemin.startswith(NON_COMPTES):
            return self.app(environ, start_response)
        if not self._entrer():
            return self._refuser(environ, start_response)
        try:
            reponse = self.app(environ, start_response)
        except BaseException:
            self._sortir()
            raise
        return ClosingIterator(reponse, self._sortir)  # the slot is kept until the body is sent

    def _entrer(self) -> bool:
        with self._verrou:
            if self._presents >= self.simultanees + self.en_attente:
                return self._refus_compte()
            self._presents += 1
        if self._places.acquire(timeout=self.attente_max_s):
            return True
        with self._verrou:
            self._presents -= 1
            return self._refus_compte()

    def _refus_compte(self) -> bool:
        """Counts a refusal (under the lock) and warns in the log now and then; always False."""
        self.refusees += 1
        maintenant = time.monotonic()
        if maintenant - self._dernier_avertissement >= INTERVALLE_JOURNAL_S:
            self._dernier_avertissement = maintenant
            journal.warning(
                "Saturation : requête refusée (503), %d refusées depuis le démarrage du processus",
                self.refusees,
            )
        return False

    def _sortir(self) -> None:
        self._places.release()
        with self._verrou:
            self._presents -= 1

    def _refuser(self, environ, start_response):
        corps, type_ = reponse_de_refus(environ.get("PATH_INFO", ""), environ.get("HTTP_ACCEPT", ""))
        start_response(
            "503 Service Unavailable",
            [
                ("Content-Type", type_),
                ("Content-Length", str(len(corps))),
                ("Retry-After", str(ATTENTE_CONSEILLEE_S)),
                ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )
        return [corps]


def reponse_de_refus(chemin: str, accepte: str) -> tuple[bytes, str]:
    """The body and content type of a refusal: JSON for the app's own requests, else a French page."""
    if chemin.startswith("/_dash-") or _prefere_json(accepte):
        corps = json.dumps({"erreur": TITRE, "message": MESSAGE}, ensure_ascii=False)
        return corps.encode("utf-8"), "application/json"
    page = pages_html.page_erreur(503, TITRE, MESSAGE, rafraichir_s=ATTENTE_CONSEILLEE_S)
    return page.encode("utf-8"), "text/html; charset=utf-8"


def _prefere_json(accepte: str) -> bool:
    types = [t.split(";")[0].strip() for t in accepte.split(",") if t.strip()]
    return bool(types) and types[0] == "application/json"
