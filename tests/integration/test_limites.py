"""What no visitor may exhaust: Chromium renders (a bounded counter, a budget per account and per link),
callback bodies (sized by the callback they name, read before the rest of the body), and the shape of
callback outputs (a forged one was a 500). `passnum serve --workers 2` is started for real."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import redis
import requests

from dashboard import create_app
from dashboard.exports.limites import Cadence, ExportRefuse, Guichet
from dashboard.ingest.depot import TAILLE_MAX_DEPOT
from dashboard.settings import ROOT
from dashboard.store import comptes
from dashboard.store.db import make_engine
from dashboard.web.acces.jetons import Jetons
from dashboard.web.acces.mots_de_passe import hacher
from dashboard.web.acces.regles import TAILLE_MAX_REQUETE
from tests.conftest import copie_avec_comptes, port_libre
from tests.rappels import cle_rappel, corps_de

REDIS_URL = os.environ.get("PASSNUM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
MDP = "mot-de-passe-de-test-solide"
COMPTES = {"admin": ("admin@exemple.fr", None), "lecteur": ("lecteur@exemple.fr", None)}
CLE = "k" * 64


@pytest.fixture(scope="module")
def settings(base_demo, tmp_path_factory):
    from dataclasses import replace

    copie = copie_avec_comptes(base_demo, tmp_path_factory.mktemp("limites"), COMPTES, MDP)
    return replace(copie, secret_key=CLE)


@pytest.fixture(scope="module")
def app(settings):
    app = create_app(settings)
    app.server.test_client().get("/sante")
    return app


def _connecter(app, identifiant: str):
    client = app.server.test_client()
    page = client.get("/connexion").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    reponse = client.post(
        "/connexion", data={"csrf": csrf, "identifiant": identifiant, "mot_de_passe": MDP, "suivant": "/"}
    )
    assert reponse.status_code == 303
    client.environ_base["HTTP_X_CSRFTOKEN"] = client.get_cookie("_csrf_token").value
    return client


@pytest.fixture(scope="module")
def clients(app):
    return {role: _connecter(app, identifiant) for role, (identifiant, _r) in COMPTES.items()}


def _rappels(app) -> dict[str, dict]:
    return {cle: r for cle, r in app.callback_map.items() if "callback" in r}


# --- Callback bodies ------------------------------------------------------------------------------------


def test_lim001_sorties_forgees_400_jamais_500(app, clients):
    """Outputs naming other components than the callback declares made Dash fail (500): now a 400."""
    vus = 0
    for cle, rappel in _rappels(app).items():
        if rappel.get("background"):
            continue
        corps = corps_de(cle, rappel)
        forges = []
        if isinstance(corps["outputs"], list):
            for i in range(len(corps["outputs"])):
                for autre in ({"id": {"x": 1}, "property": "y"}, [{"id": "z", "property": "y"}]):
                    sorties = list(corps["outputs"])
                    sorties[i] = autre
                    forges.append(sorties)
        else:
            forges += [{"id": {"x": 1}, "property": "y"}, {"id": "autre", "property": "autre"}]
        for sorties in forges:
            reponse = clients["admin"].post("/_dash-update-component", json={**corps, "outputs": sorties})
            vus += 1
            assert reponse.status_code == 400, (cle, sorties, reponse.status_code)
            assert "Traceback" not in reponse.get_data(as_text=True)
    assert vus >= 50


class FluxSurveille:
    """A request body of `taille` bytes that counts what the server reads of it."""

    def __init__(self, debut: bytes, taille: int) -> None:
        self.debut, self.taille, self.position, self.lus = debut, taille, 0, 0

    def tell(self) -> int:
        return self.position

    def seek(self, decalage: int, depuis: int = 0) -> int:
        self.position = self.taille + decalage if depuis == 2 else decalage
        return self.position

    def read(self, n: int = -1) -> bytes:
        reste = self.taille - self.position
        n = reste if n is None or n < 0 else min(n, reste)
        morceau = self.debut[self.position : self.position + n].ljust(n, b" ")
        self.position += n
        self.lus += n
        return morceau


def _gros_post(client, debut: bytes, taille: int):
    flux = FluxSurveille(debut, taille)
    reponse = client.post(
        "/_dash-update-component",
        input_stream=flux,
        content_type="application/json",
        headers={"Content-Length": str(taille)},
    )
    return reponse, flux.lus


def test_lim002_taille_des_corps_selon_le_rappel_lue_avant_le_corps(app, clients):
    """Only the upload callback, for those who may import, takes the file limit; any other body past the
    small limit is a 413 decided on the first bytes — the rest is never read (Content-Length announced)."""
    rappels = _rappels(app)
    depot = next(k for k, r in rappels.items() if any(e["id"] == "donnees-upload" for e in r["inputs"]))
    autre = cle_rappel(app, "tableau.getRowsResponse")
    taille = TAILLE_MAX_DEPOT - 1024  # ≈ 268 MB announced
    for role, sortie in (("admin", autre), ("lecteur", autre), ("lecteur", depot)):
        debut = json.dumps({"output": sortie}).encode()[:-1] + b', "bourrage": "'
        reponse, lus = _gros_post(clients[role], debut, taille)
        assert reponse.status_code == 413, (role, sortie)
        assert "trop volumineux" in reponse.get_data(as_text=True)
        assert lus <= 64 * 1024, (role, sortie, lus)  # decided before reading the body
    # Past the small limit but not naming the upload: a 413 even for an importer (was read, then 400).
    moyen = json.dumps({"output": autre, "bourrage": "x" * (TAILLE_MAX_REQUETE + 10)})
    reponse = clients["admin"].post("/_dash-update-component", data=moyen, content_type="application/json")
    assert reponse.status_code == 413
    # The upload callback, big, for an importer: read (then checked like any callback).
    gros_depot = json.dumps({"output": depot, "bourrage": "x" * (3 * 1024 * 1024)})
    reponse = clients["admin"].post(
        "/_dash-update-component", data=gros_depot, content_type="application/json"
    )
    assert reponse.status_code == 400 and "non conformes" in reponse.get_data(as_text=True)
    # Naming the upload first and another callback after (JSON keeps the last): refused.
    double = f'{{"output": {json.dumps(depot)}, "bourrage": "{"x" * 2048}", "output": {json.dumps(autre)}}}'
    reponse = clients["admin"].post("/_dash-update-component", data=double, content_type="application/json")
    assert reponse.status_code == 400 and "ambigu" in reponse.get_data(as_text=True)
    # An ordinary callback still answers.
    normal = clients["lecteur"].post("/_dash-update-component", json=corps_de(autre, rappels[autre]))
    assert normal.status_code in (200, 204)


# --- The bounded counter of renders and the budget per account ------------------------------------------


def test_lim003_guichet_borne_refuse_aussitot_au_dela_de_la_file():
    guichet = Guichet(simultanes=1, en_attente=1, attente_max_s=30)
    en_cours, liberer = threading.Event(), threading.Event()
    resultats: list[str] = []

    def rendre():
        with guichet.rendu():
            en_cours.set()
            liberer.wait(30)
        resultats.append("rendu")

    def attendre():
        with guichet.rendu():
            resultats.append("attendu puis rendu")

    premier = threading.Thread(target=rendre)
    premier.start()
    assert en_cours.wait(10)
    second = threading.Thread(target=attendre)
    second.start()
    for _ in range(200):  # the second one is in the queue
        if guichet.presents == 2:
            break
        time.sleep(0.01)
    with pytest.raises(ExportRefuse) as refus, guichet.rendu():  # the third: refused at once, not queued
        pass
    assert refus.value.statut == 503 and refus.value.attente_s >= 1
    assert "réessayez dans quelques secondes" in str(refus.value)
    liberer.set()
    premier.join(10)
    second.join(10)
    assert resultats == ["rendu", "attendu puis rendu"] and guichet.presents == 0


def test_lim004_cadence_par_compte_en_memoire():
    cadence = Cadence(3)
    for _ in range(3):
        cadence.prendre("compte:1")
    with pytest.raises(ExportRefuse) as refus:
        cadence.prendre("compte:1")
    assert refus.value.statut == 429 and 1 <= refus.value.attente_s <= 61
    assert "3 par minute" in str(refus.value)
    cadence.prendre("compte:2")  # another account has its own budget


def test_lim005_cadence_partagee_par_redis_entre_processus():
    """Two workers (two Cadence on the same Redis) share one budget per key."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis injoignable sur {REDIS_URL} : {exc}")
    espace = uuid.uuid4().hex[:12]
    un, deux = Cadence(4, REDIS_URL, espace), Cadence(4, REDIS_URL, espace)
    for cadence in (un, deux, un, deux):
        cadence.prendre("lien:abc")
    for cadence in (un, deux):
        with pytest.raises(ExportRefuse) as refus:
            cadence.prendre("lien:abc")
        assert refus.value.statut == 429
    deux.prendre("lien:autre")
    assert client.zcard(f"passnum:exports:{espace}:lien:abc") == 4
    assert 0 < client.ttl(f"passnum:exports:{espace}:lien:abc") <= 61
    client.delete(f"passnum:exports:{espace}:lien:abc", f"passnum:exports:{espace}:lien:autre")


def test_lim006_export_png_compte_dans_le_budget(app, settings):
    """A PNG export click spends the account's budget: past it, the French message on the page, before any
    rendering (a budget spent here: the request never reaches Chromium)."""
    from dataclasses import replace

    sans_budget = create_app(replace(settings, exports_par_minute=1))
    client = _connecter(sans_budget, COMPTES["lecteur"][0])
    sans_budget.server.config["PASSNUM_CADENCE_EXPORTS"].prendre(_cle_du_compte(settings, "lecteur"))
    rappels = _rappels(sans_budget)
    cle = next(k for k in rappels if "fiche-telechargement" in k)
    bouton = {"type": "export", "page": "fiche", "format": "png", "nom": "entonnoir"}
    corps = corps_de(
        cle, rappels[cle], composants=[(bouton, "n_clicks", 1)], declencheur=(bouton, "n_clicks")
    )
    reponse = client.post("/_dash-update-component", json=corps)
    assert _refus_sur_la_page(reponse, "fiche-telechargement").startswith("Trop d'exports")


def _refus_sur_la_page(reponse, telechargement: str) -> str:
    """A refused export answers the page (200) with no file and the French message in the corner zone."""
    assert reponse.status_code == 200, reponse.get_data(as_text=True)[:300]
    sorties = reponse.get_json()["response"]
    assert telechargement not in sorties  # no file
    alerte = sorties[f"{telechargement}-message"]["children"]
    assert alerte["type"] == "Alert" and alerte["props"]["color"] == "warning"
    return alerte["props"]["children"]


def _cle_du_compte(settings, role: str) -> str:
    compte = comptes.compte_par_identifiant(make_engine(settings.resolved_database_url), COMPTES[role][0])
    return f"compte:{compte.id}"


# --- passnum serve: ten PDFs at once from one briefing link -------------------------------------------


def _attendre(base: str, serveur: subprocess.Popen) -> None:
    fin = time.monotonic() + 90
    while time.monotonic() < fin and serveur.poll() is None:
        try:
            if requests.get(base + "/sante", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            time.sleep(0.3)
    raise AssertionError("passnum serve n'a pas répondu")


def _session_admin(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/connexion", timeout=10).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    donnees = {"csrf": csrf, "identifiant": COMPTES["admin"][0], "mot_de_passe": MDP}
    assert (
        session.post(base + "/connexion", data=donnees, allow_redirects=False, timeout=30).status_code == 303
    )
    return session


def test_lim007_dix_pdf_en_parallele_laissent_le_service_repondre(settings):
    """The attack: ten /presentation.pdf at once from one briefing link made every page and /sante time out
    for about a minute. Now the pages answer meanwhile, and each PDF is either printed or refused at once in
    French (503 "en cours de préparation" or 429 past the link's budget), with Retry-After."""
    engine = make_engine(settings.resolved_database_url)
    compte = comptes.compte_par_identifiant(engine, COMPTES["admin"][0])
    deck = "/presentation?diapos=resume&diapo=1"
    lien = Jetons(CLE).lien(deck, datetime.now(UTC) + timedelta(hours=1), compte.id, compte.generation)
    port = port_libre()
    serveur = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "serve", "--workers", "2"],
        cwd=ROOT,
        env={
            **os.environ,
            "PASSNUM_DATABASE_URL": settings.resolved_database_url,
            "PASSNUM_PORT": str(port),
            "PASSNUM_SECRET_KEY": CLE,
            "PASSNUM_CACHE_URL": REDIS_URL,
            "PASSNUM_EXPORTS_PAR_MINUTE": "8",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _attendre(base, serveur)
        visiteur = requests.Session()
        assert visiteur.get(f"{base}/presentation?diapos=resume&jeton={lien}", timeout=30).status_code == 200
        admin = _session_admin(base)

        def pdf(_i):
            reponse = visiteur.get(f"{base}/presentation.pdf?diapos=resume", timeout=180)
            return reponse.status_code, reponse.headers, reponse.content

        autres: list[tuple[str, int]] = []
        with ThreadPoolExecutor(max_workers=10) as groupe:
            demandes = [groupe.submit(pdf, i) for i in range(10)]
            time.sleep(1)
            while not all(d.done() for d in demandes):
                # Generous limits (the attack saw a minute): a time-out here is the service starved.
                autres.append(("/sante", requests.get(base + "/sante", timeout=10).status_code))
                autres.append(("/", admin.get(base + "/", timeout=10).status_code))
                autres.append(("/donnees", admin.get(base + "/donnees", timeout=10).status_code))
                time.sleep(0.5)
            resultats = [d.result() for d in demandes]
    finally:
        serveur.terminate()
        journal = serveur.communicate(timeout=30)[1]
    assert "Traceback" not in journal, journal[-3000:]
    assert len(autres) >= 3 and all(statut == 200 for _, statut in autres), autres
    statuts = [statut for statut, _h, _c in resultats]
    assert set(statuts) <= {200, 429, 503}, statuts
    assert statuts.count(429) >= 2, statuts  # 10 asked, 8 per minute for one link
    assert 200 in statuts, statuts  # printing still works, within the bounds
    for statut, entetes, contenu in resultats:
        if statut == 200:
            assert contenu[:5] == b"%PDF-"
        else:
            texte = contenu.decode()
            assert int(entetes["Retry-After"]) >= 1
            assert "réessayez dans" in texte and '<html lang="fr">' in texte
            assert f'http-equiv="refresh" content="{entetes["Retry-After"]}"' in texte


# --- Sign-in: per account and address, growing delays ---------------------------------------------------


def _echecs(engine, identifiant: str, adresse: str, moments: list[datetime]) -> None:
    from sqlalchemy import insert

    from dashboard.store.schema import TentativeConnexion

    with engine.begin() as connection:
        for moment in moments:
            connection.execute(
                insert(TentativeConnexion).values(
                    moment=moment, identifiant=identifiant, adresse=adresse, reussie=False
                )
            )


def test_lim008_blocage_par_compte_et_adresse_delais_croissants(moteur_vierge):
    from dashboard.store.schema import TentativeConnexion, Utilisateur

    Utilisateur.metadata.create_all(
        moteur_vierge, tables=[Utilisateur.__table__, TentativeConnexion.__table__]
    )
    engine, elu = moteur_vierge, "elu@exemple.fr"
    t0 = datetime.now(UTC) - timedelta(hours=2)

    def attente(adresse: str, apres: timedelta) -> int:
        return comptes.attente_avant_essai(engine, elu, adresse, t0 + apres)

    _echecs(engine, elu, "203.0.113.66", [t0 + timedelta(seconds=i) for i in range(4)])
    assert attente("203.0.113.66", timedelta(seconds=5)) == 0  # four failures: no wait yet
    _echecs(engine, elu, "203.0.113.66", [t0 + timedelta(seconds=5)])
    assert 50 <= attente("203.0.113.66", timedelta(seconds=10)) <= 61  # fifth: one minute
    assert attente("198.51.100.1", timedelta(seconds=10)) == 0  # the owner, elsewhere: never locked out
    assert attente("203.0.113.66", timedelta(seconds=66)) == 0  # the minute is over
    _echecs(engine, elu, "203.0.113.66", [t0 + timedelta(seconds=70)])
    assert 110 <= attente("203.0.113.66", timedelta(seconds=71)) <= 121  # sixth: doubled
    _echecs(engine, elu, "203.0.113.66", [t0 + timedelta(seconds=200 + i) for i in range(20)])
    assert 3500 <= attente("203.0.113.66", timedelta(seconds=220)) <= 3601  # capped at an hour
    assert attente("203.0.113.66", timedelta(seconds=220 + 3601)) == 0
    assert attente("198.51.100.1", timedelta(seconds=220)) == 0
    # A success from the owner's address clears the owner's failures there, not the attacker's.
    _echecs(engine, elu, "198.51.100.1", [t0 + timedelta(seconds=i) for i in range(5)])
    comptes.noter_tentative(engine, elu, "198.51.100.1", reussie=True)
    assert comptes.attente_avant_essai(engine, elu, "198.51.100.1") == 0
    recentes = datetime.now(UTC)
    _echecs(engine, elu, "203.0.113.66", [recentes] * 5)
    assert comptes.attente_avant_essai(engine, elu, "203.0.113.66") > 0


def test_lim009_cinq_mauvais_mots_de_passe_ne_bloquent_pas_le_titulaire(app, settings):
    """The attack: five wrong passwords from anywhere locked a named official's account for 15 minutes."""
    from tests.integration.test_acces import _poster_connexion

    comptes.ajouter_compte(
        make_engine(settings.resolved_database_url),
        "elue@exemple.fr",
        "Élue",
        "lecteur",
        hacher(MDP),
        None,
        "test",
    )
    attaquant = app.server.test_client()
    attaquant.environ_base["REMOTE_ADDR"] = "203.0.113.66"
    for _ in range(comptes.ECHECS_MAX_COMPTE):
        assert _poster_connexion(attaquant, "elue@exemple.fr", "mauvais-mot-de-passe").status_code == 401
    titulaire = app.server.test_client()
    titulaire.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert _poster_connexion(titulaire, "elue@exemple.fr", MDP).status_code == 303  # was 429 for 15 min
    bloque = _poster_connexion(attaquant, "elue@exemple.fr", MDP)  # the attacker's address waits
    assert bloque.status_code == 429 and "réessayez dans 1 minute." in bloque.get_data(as_text=True)


# --- Links built from PASSNUM_URL, never from the Host header ------------------------------------------


def test_lim010_liens_depuis_passnum_url_jamais_depuis_l_hote(settings):
    """The attack: share links were built from the client's Host header (a forged Host sent the holder of a
    signed link, and its token, to another site)."""
    from dataclasses import replace

    from tests.integration.test_acces import _routage

    piege = {"Host": "piege.example.com"}  # the Host the request names
    for publique, attendue in (
        (None, "http://127.0.0.1:8050/"),  # without PASSNUM_URL: where the server listens
        ("https://pilotage.example.gouv.fr", "https://pilotage.example.gouv.fr/"),
    ):
        app = create_app(settings if publique is None else replace(settings, url=publique))
        app.server.test_client().get("/sante")
        client = _connecter(app, COMPTES["admin"][0])
        session = client.get_cookie("passnum_session").value
        client.set_cookie("passnum_session", session, domain="piege.example.com")
        rappels = _rappels(app)
        cle = next(k for k in rappels if k.startswith("presentation-partage-lien"))
        corps = corps_de(cle, rappels[cle], 1)
        corps["state"] = [
            {"id": "presentation-partage-duree", "property": "value", "value": "7"},
            {
                "id": "presentation-partage-deck",
                "property": "data",
                "value": "/presentation?diapos=resume&diapo=1",
            },
        ]
        comparer = _routage(app, "/comparer", "?ids=departement:29,departement:44")
        adresses = []
        for corps_ in (corps, comparer):
            reponse = client.post("/_dash-update-component", json=corps_, headers=piege)
            assert reponse.status_code == 200
            texte = json.dumps(reponse.get_json(), ensure_ascii=False).replace("\\u002f", "/")
            assert "piege.example.com" not in texte
            adresses += re.findall(r'"(https?://[^"]+)"', texte)
        assert adresses and all(a.startswith(attendue) for a in adresses), adresses
        assert any(a.startswith(attendue + "presentation?") and "jeton=" in a for a in adresses), adresses
        assert attendue + "comparer?ids=departement:29,departement:44" in adresses, adresses


def test_lim013_cadence_sans_redis_compte_dans_le_processus(caplog):
    """Redis down: exports are still counted (in the process), with one warning, never an error."""
    import logging

    cadence = Cadence(2, "redis://127.0.0.1:1/0", "essai")
    with caplog.at_level(logging.WARNING, logger="passnum.exports"):
        cadence.prendre("compte:9")
        cadence.prendre("compte:9")
        with pytest.raises(ExportRefuse) as refus:
            cadence.prendre("compte:9")
    assert refus.value.statut == 429
    assert caplog.text.count("Redis injoignable") == 1


def test_lim011_reglages_passnum_url_et_exports():
    from dashboard.settings import Settings

    reglages = Settings.from_env(
        {
            "PASSNUM_URL": " https://pilotage.example.gouv.fr/ ",
            "PASSNUM_EXPORTS_PAR_MINUTE": "4",
            "PASSNUM_EXPORTS_SIMULTANES": "2",
            "PASSNUM_EXPORTS_EN_ATTENTE": "0",
        }
    )
    assert reglages.url == "https://pilotage.example.gouv.fr"
    assert (reglages.exports_par_minute, reglages.exports_simultanes, reglages.exports_en_attente) == (
        4,
        2,
        0,
    )
    defaut = Settings.from_env({})
    assert defaut.url is None and (defaut.exports_par_minute, defaut.exports_simultanes) == (10, 1)
    for mauvaise in ("pilotage.example.gouv.fr", "ftp://x.fr", "https://x.fr/chemin", "https://x.fr/?a=1"):
        with pytest.raises(ValueError, match="PASSNUM_URL"):
            Settings.from_env({"PASSNUM_URL": mauvaise})
    with pytest.raises(ValueError, match="PASSNUM_EXPORTS_PAR_MINUTE"):
        Settings.from_env({"PASSNUM_EXPORTS_PAR_MINUTE": "beaucoup"})


def test_lim012_export_png_refuse_aussitot_quand_les_rendus_sont_pris(settings):
    """Every render slot taken (a PDF printing): a PNG click is answered at once, in French on the page,
    without waiting in a request thread."""
    from dataclasses import replace

    from dashboard.exports.limites import guichet

    app = create_app(replace(settings, exports_simultanes=1, exports_en_attente=0))
    client = _connecter(app, COMPTES["lecteur"][0])
    rappels = _rappels(app)
    cle = next(k for k in rappels if "fiche-telechargement" in k)
    bouton = {"type": "export", "page": "fiche", "format": "png", "nom": "entonnoir"}
    corps = corps_de(
        cle, rappels[cle], composants=[(bouton, "n_clicks", 1)], declencheur=(bouton, "n_clicks")
    )
    pris, liberer = threading.Event(), threading.Event()

    def imprimer():
        with guichet().rendu():
            pris.set()
            liberer.wait(30)

    fil = threading.Thread(target=imprimer)
    fil.start()
    try:
        assert pris.wait(10)
        reponse = client.post("/_dash-update-component", json=corps)
    finally:
        liberer.set()
        fil.join(10)
    assert "réessayez dans quelques secondes" in _refus_sur_la_page(reponse, "fiche-telechargement")
