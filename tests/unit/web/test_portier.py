"""The doorman: past its slots and waiting places a request is refused at once (503, Retry-After, French),
as JSON for a Dash callback and as a page for a browser; static files and /sante are never counted; a
slot is given back when the body has been sent, even after an error."""

from __future__ import annotations

import json
import threading

import pytest
from werkzeug.test import Client

from dashboard.web.portier import ATTENTE_CONSEILLEE_S, MESSAGE, Portier


class _Lente:
    """A WSGI app whose "/lente" answers only once `liberer` is set; anything else answers at once."""

    def __init__(self) -> None:
        self.entrees = threading.Semaphore(0)
        self.liberer = threading.Event()

    def __call__(self, environ, start_response):
        if environ["PATH_INFO"] == "/panne":
            raise RuntimeError("panne")
        if environ["PATH_INFO"] == "/lente":
            self.entrees.release()
            self.liberer.wait(30)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]


def _tenir(client: Client, app: _Lente, n: int) -> list[threading.Thread]:
    """n slow requests in flight (each inside the app) before returning."""
    # buffered: the body read and the response closed, as a WSGI server does (the slot is given back then)
    fils = [threading.Thread(target=lambda: client.get("/lente", buffered=True)) for _ in range(n)]
    for fil in fils:
        fil.start()
    for _ in range(n):
        assert app.entrees.acquire(timeout=30)
    return fils


def test_chg001_au_dela_des_places_un_rappel_recoit_un_503_json_en_francais():
    app = _Lente()
    portier = Portier(app, simultanees=2, en_attente=0)
    client = Client(portier)
    fils = _tenir(client, app, 2)
    try:
        refus = client.post("/_dash-update-component", json={})
        assert refus.status_code == 503
        assert refus.headers["Retry-After"] == str(ATTENTE_CONSEILLEE_S)
        assert refus.mimetype == "application/json"
        corps = json.loads(refus.get_data(as_text=True))
        assert corps == {"erreur": "Service momentanément indisponible", "message": MESSAGE}
        assert portier.refusees == 1
    finally:
        app.liberer.set()
        for fil in fils:
            fil.join(30)
    assert portier.presents == 0
    assert client.post("/_dash-update-component", json={}, buffered=True).status_code == 200


def test_chg002_une_page_refusee_est_une_page_francaise_qui_se_recharge():
    app = _Lente()
    client = Client(Portier(app, simultanees=1, en_attente=0))
    fils = _tenir(client, app, 1)
    try:
        refus = client.get("/", headers={"Accept": "text/html,application/xhtml+xml"})
        assert refus.status_code == 503 and refus.mimetype == "text/html"
        page = refus.get_data(as_text=True)
        assert '<html lang="fr">' in page and "réessayez dans quelques secondes" in page
        assert f'http-equiv="refresh" content="{ATTENTE_CONSEILLEE_S}"' in page
        # The same address asked for JSON gets JSON.
        assert client.get("/", headers={"Accept": "application/json"}).mimetype == "application/json"
        # Static files and the health check are never counted.
        statiques = ("/assets/02-theme.css", "/_dash-component-suites/dash/x.js", "/geo/a.json")
        for chemin in (*statiques, "/sante", "/presentation.pdf"):  # the PDF has its own counter
            assert client.get(chemin).status_code == 200, chemin
    finally:
        app.liberer.set()
        for fil in fils:
            fil.join(30)


def test_chg003_une_requete_en_attente_passe_quand_une_place_se_libere():
    app = _Lente()
    portier = Portier(app, simultanees=1, en_attente=1, attente_max_s=30)
    client = Client(portier)
    fils = _tenir(client, app, 1)
    statuts: list[int] = []
    attente = threading.Thread(
        target=lambda: statuts.append(client.get("/rapide", buffered=True).status_code)
    )
    attente.start()
    try:
        while portier.presents < 2:  # the second one is waiting for the slot
            threading.Event().wait(0.01)
        assert client.get("/rapide").status_code == 503  # no third place
    finally:
        app.liberer.set()
        for fil in (*fils, attente):
            fil.join(30)
    assert statuts == [200]
    assert portier.presents == 0


def test_chg004_une_place_est_rendue_meme_apres_une_erreur():
    portier = Portier(_Lente(), simultanees=1, en_attente=0)
    client = Client(portier)
    for _ in range(3):
        with pytest.raises(RuntimeError):
            client.get("/panne")
    assert portier.presents == 0
    assert client.get("/rapide").status_code == 200
