"""The simulated person of the load bench, for locust (gevent). Started by `bench/charge.py`, which
precomputes the scenario (filter states and the callback bodies the browser would post) and passes it
through `PASSNUM_CHARGE_SCENARIO` (a JSON file) and `PASSNUM_CHARGE_CIBLE` (`passnum` or `naif`).

A person signs in (passnum), opens the map page (page, layout, dependencies, one geometry file), then
changes filters one after the other, 1 to 5 s apart: the view callback then the table's first block
(passnum), or the single callback (naive baseline). A callback counts as failed unless it answers 200
with a JSON `response`. Loopback only: the host is the one charge.py started.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task
from locust.exception import StopUser

SCENARIO = json.loads(Path(os.environ["PASSNUM_CHARGE_SCENARIO"]).read_text(encoding="utf-8"))
CIBLE = os.environ.get("PASSNUM_CHARGE_CIBLE", SCENARIO["cible"])
RAPPEL = "/_dash-update-component"


class Personne(HttpUser):
    wait_time = between(1, 5)

    def on_start(self) -> None:
        # Each person starts at a random state, then walks the list in order: a person keeps a view and
        # an indicator and changes the filters one after the other (the map gets a Patch of values).
        self.rang = random.randrange(len(SCENARIO["etats"]))
        self.etat_client: dict = {}
        if CIBLE == "passnum":
            self._se_connecter()
        self._ouvrir_carte()

    def _se_connecter(self) -> None:
        page = self.client.get("/connexion", name="connexion (page)")
        trouve = re.search(r'name="csrf" value="([^"]+)"', page.text or "")
        champs = {"csrf": trouve.group(1) if trouve else "", **SCENARIO["connexion"]}
        with self.client.post(
            "/connexion", data=champs, name="connexion (envoi)", allow_redirects=False, catch_response=True
        ) as reponse:
            if reponse.status_code != 303:
                reponse.failure(f"connexion refusée (statut {reponse.status_code})")
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
        with self.client.get(chemin, name=nom, allow_redirects=False, catch_response=True, **options) as r:
            if r.status_code != 200:
                r.failure(f"statut {r.status_code}")

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
        with self.client.post(RAPPEL, json=corps, headers=entetes, name=nom, catch_response=True) as reponse:
            if reponse.status_code != 200:
                reponse.failure(f"statut {reponse.status_code} : {reponse.text[:200]}")
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
