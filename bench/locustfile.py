"""The simulated person of the load bench, for locust (gevent). Started by `bench/charge.py`, which
precomputes the scenario (filter states and the callback bodies the browser would post) and passes it
through `PASSNUM_CHARGE_SCENARIO` (a JSON file) and `PASSNUM_CHARGE_CIBLE` (`passnum` or `naif`).

A person signs in (passnum), opens the map page (page, layout, dependencies, one geometry file), then
changes filters one after the other, 1 to 5 s apart: the view callback then the table's first block
(passnum), or the single callback (naive baseline). A callback counts as failed unless it answers 200
with a JSON `response`. Loopback only: the host is the one charge.py started.

A refused request (503/429 with Retry-After) makes the person wait as long as it asks before going on,
as the French refusal page does (it reloads itself then) and as someone reading the refusal notice of a
callback would. With PASSNUM_CHARGE_SANS_PAUSE=1 nobody pauses, neither between filters nor after a
refusal (a refused sign-in is tried again a second later): a closed loop, where every answer, refusals
included, takes N ÷ throughput. Every request
waits PASSNUM_CHARGE_DELAI_S at most (a time-out is an error of its own kind). Each outcome — answered,
refused (503/429 with Retry-After), timed out, connection lost, other error — is kept with its moment
and duration and written at the end to PASSNUM_CHARGE_ISSUES (JSON), which charge.py reads.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import gevent
import requests
from locust import HttpUser, between, constant, events, task
from locust.exception import StopUser

SCENARIO = json.loads(Path(os.environ["PASSNUM_CHARGE_SCENARIO"]).read_text(encoding="utf-8"))
CIBLE = os.environ.get("PASSNUM_CHARGE_CIBLE", SCENARIO["cible"])
SANS_PAUSE = os.environ.get("PASSNUM_CHARGE_SANS_PAUSE") == "1"
DELAI_S = float(os.environ.get("PASSNUM_CHARGE_DELAI_S", "120"))
ISSUES = os.environ.get("PASSNUM_CHARGE_ISSUES")
RAPPEL = "/_dash-update-component"
REFUS = (429, 503)

issues: list[tuple[str, float, float, str]] = []  # (kind, start epoch, duration ms, detail)


def nature(reponse, exception) -> tuple[str, str]:
    """What became of one request: ok, refus (503/429 with Retry-After), delai, connexion or erreur."""
    statut = getattr(reponse, "status_code", 0) or 0
    if statut in REFUS and reponse.headers.get("Retry-After"):
        return "refus", str(statut)
    if exception is None:
        return "ok", str(statut)
    cause = getattr(reponse, "error", None) or exception
    if isinstance(cause, requests.exceptions.Timeout):
        return "delai", type(cause).__name__
    if isinstance(cause, requests.exceptions.ConnectionError) or statut == 0:
        return "connexion", f"{type(cause).__name__} {str(cause)[-80:]}"
    return "erreur", f"{statut} {str(exception)[:120]}"


def _attente(reponse) -> float:
    try:
        return min(30.0, float(reponse.headers.get("Retry-After", "1")))
    except (TypeError, ValueError):
        return 1.0


@events.request.add_listener
def _noter(request_type, name, response_time, response, exception, start_time=None, **_kw) -> None:
    genre, detail = nature(response, exception)
    issues.append((genre, start_time or 0.0, response_time or 0.0, f"{request_type} {name} {detail}"))


@events.quitting.add_listener
def _ecrire(**_kw) -> None:
    if ISSUES:
        Path(ISSUES).write_text(json.dumps(issues), encoding="utf-8")


class Personne(HttpUser):
    wait_time = constant(0) if SANS_PAUSE else between(1, 5)

    def on_start(self) -> None:
        # Each person starts at a random state, then walks the list in order: a person keeps a view and
        # an indicator and changes the filters one after the other (the map gets a Patch of values).
        self.rang = random.randrange(len(SCENARIO["etats"]))
        self.etat_client: dict = {}
        if CIBLE == "passnum":
            self._se_connecter()
        self._ouvrir_carte()

    def _se_connecter(self) -> None:
        for _essai in range(60):  # a refused page or sign-in is tried again once the wait asked is over
            page = self.client.get("/connexion", name="connexion (page)", timeout=DELAI_S)
            if page.status_code != 200:  # refused, or its connection lost: no CSRF token to send
                gevent.sleep(1 if SANS_PAUSE or page.status_code not in REFUS else _attente(page))
                continue
            trouve = re.search(r'name="csrf" value="([^"]+)"', page.text or "")
            champs = {"csrf": trouve.group(1) if trouve else "", **SCENARIO["connexion"]}
            with self.client.post(
                "/connexion",
                data=champs,
                name="connexion (envoi)",
                allow_redirects=False,
                catch_response=True,
                timeout=DELAI_S,
            ) as reponse:
                if reponse.status_code == 303:
                    return
                reponse.failure(f"connexion refusée (statut {reponse.status_code})")
                if reponse.status_code not in REFUS:
                    break
            gevent.sleep(1 if SANS_PAUSE else _attente(reponse))
        raise StopUser()

    def _ouvrir_carte(self) -> None:
        query = SCENARIO["etats"][self.rang]["query"]
        self._lire("/" + query, "page /")
        self._lire("/_dash-layout", "mise en page")
        self._lire("/_dash-dependencies", "dépendances")
        if SCENARIO.get("page"):  # Dash pages: the routing callback draws the page for its address
            self.etat_client["_pages_location.search"] = query
            self._rappel("rappel page", SCENARIO["page"])
        if SCENARIO["geometrie"]:  # as plotly.js fetches it: gzip, versioned, empty cache on a first visit
            self._lire(SCENARIO["geometrie"], "géométrie", headers={"Accept-Encoding": "gzip"})

    def _lire(self, chemin: str, nom: str, **options) -> None:
        """A GET that must answer 200 itself (a redirect to the sign-in page is a failure)."""
        options.setdefault("timeout", DELAI_S)
        with self.client.get(chemin, name=nom, allow_redirects=False, catch_response=True, **options) as r:
            if r.status_code != 200:
                r.failure(f"statut {r.status_code}")
        self._patienter(r)

    def _patienter(self, reponse) -> None:
        """After a refusal, the wait it asks for (Retry-After), unless nobody pauses."""
        if not SANS_PAUSE and reponse.status_code in REFUS:
            gevent.sleep(_attente(reponse))

    @task
    def changer_filtre(self) -> None:
        etat = SCENARIO["etats"][self.rang % len(SCENARIO["etats"])]
        self.rang += 1
        for rappel in etat["rappels"]:
            self._rappel(rappel["nom"], rappel["corps"])

    def _rappel(self, nom: str, corps: dict) -> None:
        """Post a callback as Dash's renderer does: client state filled in, CSRF cookie as a header."""
        corps = {**corps, "inputs": self._remplir(corps["inputs"]), "state": self._remplir(corps["state"])}
        csrf = self.client.cookies.get("_csrf_token")
        entetes = {"X-CSRFToken": csrf} if csrf else {}
        with self.client.post(
            RAPPEL, json=corps, headers=entetes, name=nom, catch_response=True, timeout=DELAI_S
        ) as reponse:
            if reponse.status_code != 200:
                reponse.failure(f"statut {reponse.status_code} : {(reponse.text or '')[:200]}")
                self._patienter(reponse)
                return
            try:
                sortie = reponse.json()["response"]
            except (ValueError, KeyError, TypeError):
                reponse.failure("réponse sans « response »")
                return
        # What the browser keeps from one answer to the next (the drawn map's signature, the query…).
        for ident, propriete in SCENARIO["porter"]:
            if propriete in sortie.get(ident, {}):
                self.etat_client[f"{ident}.{propriete}"] = sortie[ident][propriete]

    def _remplir(self, entrees: list) -> list:
        return [
            {**e, "value": self.etat_client[f"{e['id']}.{e['property']}"]}
            if isinstance(e, dict) and f"{e['id']}.{e['property']}" in self.etat_client
            else e
            for e in entrees
        ]
