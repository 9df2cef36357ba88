"""Load bench of the served dashboard (ARCHITECTURE.md budget: 200 concurrent users, `passnum serve
--workers 2` + PostgreSQL + Redis, 60 s: 0 errors, p95 ≤ 500 ms; past saturation fast 429/503, never
time-outs; a worker killed loses only its requests in flight; memory per worker at rest and under load).

    python bench/charge.py --base postgresql+psycopg://postgres@127.0.0.1:5432/passnum_exp \
        [--cache redis://127.0.0.1:6379/0] [--utilisateurs 200] [--duree 60] [--cible passnum|naif] \
        [--scenario charge|saturation|arret] [--ecrire]

Scenarios: `charge`, people pausing 1 to 5 s between filters; `saturation` (--saturation-utilisateurs,
600 by default, with their pauses; --sans-pause: nobody pauses, a closed loop where every answer takes
N ÷ throughput): the share of refusals (503 + Retry-After, after which the person waits as asked), how
long a refusal takes, and the time-outs (none expected); `arret`, the `charge` load with one worker
killed (SIGKILL) half-way: the requests lost against the connections that worker held then, and the
worker replaced.
`--ecrire` runs the three and replaces the section « Charge : saturation et arrêt brutal » of
BENCHMARKS.md.

Starts the real server on a free port of the loopback (`passnum serve --workers N`, or gunicorn serving
the naive baseline bench/naif.py), then locust headless (bench/locustfile.py) for a fixed duration:
people sign in, open the map page, change filters 1 to 5 s apart, as the browser posts them (bodies
precomputed here from the app's callback map, as bench/rappel_filtres.py builds them). Before the load,
one warm-up callback per worker (each worker recognised by the connection it holds), then the workers'
memory "at rest"; during the load, each worker's RSS and PSS sampled every second (psutil), the peak kept.
Latencies are locust's (its histogram rounds to 2 significant digits above 100 ms). Bounded and
loopback only; the server is stopped and the temporary files removed in every case.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import math
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from commun import HOTE, connecter_http, port_libre
from commun import http_ as _http

BANC = Path(__file__).resolve().parent
RAPPEL = "/_dash-update-component"
RAPPELS = ("rappel page", "rappel vue", "bloc tableau")  # the callback POSTs, as locustfile.py names them
ADMIN = "admin-banc@exemple.fr"
MO = 2**20

# locust 2.47 imports `urllib3.util.create_urllib3_context` (urllib3 2.x), while dash[testing] pins
# selenium 4.2 and hence urllib3 1.26 in this environment: the same function is re-exported under its
# 2.x name before locust is imported (gevent patches first, as locust itself does).
LANCEUR_LOCUST = """
from gevent import monkey; monkey.patch_all()
import sys, urllib3.util, urllib3.util.ssl_
if not hasattr(urllib3.util, "create_urllib3_context"):
    urllib3.util.create_urllib3_context = urllib3.util.ssl_.create_urllib3_context
from locust.main import main
sys.argv[0] = "locust"
sys.exit(main())
"""


def mesurer_charge(
    base: str,
    *,
    cache_url: str | None,
    utilisateurs: int = 200,
    duree_s: int = 60,
    workers: int = 2,
    cible: str = "passnum",
    sans_pause: bool = False,
    tuer_a_s: float | None = None,
    env_serveur: dict[str, str] | None = None,
) -> dict:
    """`utilisateurs` people for `duree_s` seconds (after they have all arrived) against `cible` served
    by `workers` processes on `base`: locust's figures (all requests, and per kind), each request's fate
    (answered, refused, timed out, connection lost), the workers' memory at rest and at peak. With
    `sans_pause` nobody pauses between filters; with `tuer_a_s` one worker is killed (SIGKILL) that many
    seconds after the load starts. `env_serveur` adds to the server's environment (PASSNUM_* limits)."""
    if cible not in ("passnum", "naif"):
        raise ValueError(f"cible inconnue : {cible} (passnum ou naif)")
    dossier = Path(tempfile.mkdtemp(prefix="passnum-charge-"))
    serveur = None
    try:
        scenario = _scenario(base, cible)
        (dossier / "scenario.json").write_text(json.dumps(scenario), encoding="utf-8")
        port = port_libre()
        serveur = _demarrer(base, cache_url, cible, workers, port, dossier / "serveur.log", env_serveur)
        maitre = psutil.Process(serveur.pid)
        _attendre(serveur, maitre, port, workers, cible, dossier / "serveur.log")
        entetes = connecter_http(port) if cible == "passnum" else {}
        echauffes = _echauffer(maitre, port, workers, entetes, scenario["etats"][0]["rappels"][0]["corps"])
        time.sleep(1)
        repos = _memoire(maitre)
        charge_avant = round(os.getloadavg()[0], 2)  # a shared machine: what else was running
        releve = _Releve(maitre)
        releve.start()
        bourreau = _Bourreau(maitre, port, tuer_a_s) if tuer_a_s is not None else None
        try:
            if bourreau is not None:
                bourreau.start()
            _locust(dossier, port, cible, utilisateurs, duree_s, sans_pause)
        finally:
            releve.fin.set()
            releve.join()
            if bourreau is not None:
                bourreau.fin.set()
                bourreau.join()
        resultat = _resultats(dossier)
        cinq_cents, refus_serveur, erreurs = _journal(dossier / "serveur.log")
        issues = _issues(dossier / "issues.json", bourreau.tue if bourreau is not None else None)
        return {
            "cible": cible,
            "utilisateurs": utilisateurs,
            "duree_s": duree_s,
            "workers": workers,
            "sans_pause": sans_pause,
            **resultat,
            "issues": issues,
            "arret": bourreau.tue if bourreau is not None else None,
            "serveur_503": refus_serveur,
            "memoire_repos": [_mo(*v) for v in repos["workers"].values()],
            "memoire_pic": [_mo(*v) for v in releve.pics.values()],
            "maitre_rss_mo": {"repos": round(repos["maitre"] / MO, 1), "pic": round(releve.maitre / MO, 1)},
            "workers_echauffes": echauffes,
            "workers_remplaces": len(set(releve.pics) - set(repos["workers"])),
            "serveur_5xx": cinq_cents,
            "serveur_erreurs": erreurs,
            "charge_systeme_avant": charge_avant,
        }
    finally:
        if serveur is not None:
            _arreter(serveur)
        shutil.rmtree(dossier, ignore_errors=True)


# --- Scenario ---------------------------------------------------------------------------------------


def _scenario(base: str, cible: str) -> dict:
    """The filter states and, for each, the bodies the browser posts; computed here, once, so that the
    load generator only fills in the client state carried from one answer to the next."""
    if str(BANC) not in sys.path:
        sys.path.insert(0, str(BANC))
    from rappel_filtres import etats

    from dashboard.settings import ROOT
    from dashboard.store.geometries import Geometries

    if cible == "naif":
        import naif

        app = naif.creer_app(base)
        app.server.test_client().get("/")  # Dash registers its callbacks at the first request
        return {
            "cible": cible,
            "connexion": None,
            "geometrie": None,  # the naive map carries its geometry in the figure
            "page": None,
            "porter": [],
            "etats": [
                {"query": q, "rappels": [{"nom": "rappel vue", "corps": naif.requete(app, q)}]}
                for q in etats()
                if "vue=territoires" in q
            ],
        }
    from commun import IDENTIFIANT, MOT_DE_PASSE, application, client_connecte
    from rappel_filtres import _cle, _requete, _valeurs

    app = application(base)  # creates the bench reader's account if needed
    contexte = app.server.config["PASSNUM_CONTEXTE"]
    try:
        _assurer_admin(contexte.engine)
        client_connecte(app).get("/")  # the first request registers the pages' callbacks
        cle_vue, cle_lignes = _cle(app, "carte.figure"), _cle(app, "tableau.getRowsResponse")
        cle_page = next((k for k in app.callback_map if "_pages_content" in k), None)
        demande = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}
        bloc = _requete(app, cle_lignes, {"tableau.getRowsRequest": demande}, "tableau.getRowsRequest")
        lieu = {"_pages_location.pathname": "/", "_pages_location.search": ""}
        changement = "filtre-vague.value"  # what the browser names as changed, as rappel_filtres.py does
        return {
            "cible": cible,
            "connexion": {"identifiant": IDENTIFIANT, "mot_de_passe": MOT_DE_PASSE},
            "geometrie": Geometries(ROOT / "data" / "geo").url("departement"),
            "page": _requete(app, cle_page, lieu, "_pages_location.pathname") if cle_page else None,
            "porter": [["carte-signature", "data"], ["national-query", "data"], ["national-bornes", "data"]],
            "etats": [
                {
                    "query": q,
                    "rappels": [
                        {"nom": "rappel vue", "corps": _requete(app, cle_vue, _valeurs(q), changement)},
                        {"nom": "bloc tableau", "corps": bloc},
                    ],
                }
                for q in etats()
            ],
        }
    finally:
        contexte.engine.dispose()
        shutil.rmtree(contexte.settings.data_dir, ignore_errors=True)  # commun.application's temporary folder


def _assurer_admin(engine) -> None:
    """`passnum serve` refuses to start without an active admin: one for the bench, nobody's password."""
    from dashboard.store.comptes import ajouter_compte, compte_par_identifiant, nb_admins_actifs
    from dashboard.web.acces.mots_de_passe import hacher

    if nb_admins_actifs(engine) == 0 and compte_par_identifiant(engine, ADMIN) is None:
        empreinte = hacher(secrets.token_urlsafe(24))
        ajouter_compte(engine, ADMIN, "Administrateur du banc", "admin", empreinte, None, "banc")


# --- Server -----------------------------------------------------------------------------------------


def _demarrer(
    base: str,
    cache_url: str | None,
    cible: str,
    workers: int,
    port: int,
    journal: Path,
    env_serveur: dict[str, str] | None = None,
):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PASSNUM_")}  # nothing inherited
    env |= {
        "PASSNUM_DATABASE_URL": base,
        "PASSNUM_SECRET_KEY": secrets.token_hex(32),
        "PASSNUM_HOST": HOTE,
        "PASSNUM_PORT": str(port),
        **(env_serveur or {}),
    }
    if cache_url:
        env["PASSNUM_CACHE_URL"] = cache_url
    if cible == "passnum":
        passnum = Path(sys.executable).with_name("passnum")
        commande = [str(passnum) if passnum.exists() else "passnum", "serve", "--workers", str(workers)]
    else:
        commande = [
            *(sys.executable, "-m", "gunicorn", "--workers", str(workers), "--worker-class", "gthread"),
            *("--threads", "4", "--preload", "--bind", f"{HOTE}:{port}", "--chdir", str(BANC)),
            *("--access-logfile", "-", "--error-logfile", "-", "naif:wsgi()"),
        ]
    with journal.open("wb") as sortie:  # the child keeps its own descriptor
        return subprocess.Popen(commande, stdout=sortie, stderr=subprocess.STDOUT, env=env)


def _attendre(serveur, maitre: psutil.Process, port: int, workers: int, cible: str, journal: Path) -> None:
    """Until the health page answers and every worker is forked (preload: the app is read first)."""
    chemin = "/sante" if cible == "passnum" else "/_dash-layout"
    limite = time.monotonic() + 300
    while time.monotonic() < limite:
        if serveur.poll() is not None:
            raise RuntimeError(f"le serveur s'est arrêté (code {serveur.returncode}) :\n{_fin(journal)}")
        try:
            statut, _ = _http(port, "GET", chemin, {})
        except OSError:
            statut = None
        if statut == 200 and len(maitre.children()) >= workers:
            return
        time.sleep(0.5)
    raise RuntimeError(f"le serveur ne répond pas après 300 s :\n{_fin(journal)}")


def _arreter(serveur) -> None:
    if serveur.poll() is None:
        serveur.send_signal(signal.SIGTERM)  # gunicorn: graceful stop of the workers
        try:
            serveur.wait(timeout=45)
        except subprocess.TimeoutExpired:
            serveur.kill()
            serveur.wait()


def _echauffer(maitre: psutil.Process, port: int, workers: int, entetes: dict, corps: dict) -> int:
    """One callback served by each worker before memory is read "at rest" (a process's first callback
    reads what start-up did not). The worker that served it is the one still holding the kept-alive
    connection; which one accepts is the kernel's choice, hence a few tries."""
    donnees = json.dumps(corps).encode()
    servis: set[int] = set()
    for _ in range(10 * workers):
        connexion = http.client.HTTPConnection(HOTE, port, timeout=120)
        try:
            connexion.request("POST", RAPPEL, donnees, {**entetes, "Content-Type": "application/json"})
            reponse = connexion.getresponse()
            texte = reponse.read()
            if reponse.status != 200:
                raise RuntimeError(f"échauffement : statut {reponse.status} : {texte[:300]!r}")
            locale = connexion.sock.getsockname()[:2]
            servis |= {w.pid for w in maitre.children() if _tient(w, locale)}
        finally:
            connexion.close()
        if len(servis) >= workers:
            break
    return len(servis)


def _tient(processus: psutil.Process, locale: tuple) -> bool:
    try:
        return any(c.raddr and tuple(c.raddr) == locale for c in processus.net_connections(kind="tcp4"))
    except psutil.Error:
        return False


# --- Memory -----------------------------------------------------------------------------------------


def _memoire(maitre: psutil.Process) -> dict:
    """RSS and PSS of each worker (PSS shares the preloaded pages among the processes using them)."""
    travailleurs = {}
    for w in maitre.children():
        try:
            info = w.memory_full_info()
        except psutil.Error:  # a worker replaced meanwhile
            continue
        travailleurs[w.pid] = (info.rss, info.pss)
    return {"maitre": maitre.memory_info().rss, "workers": travailleurs}


class _Releve(threading.Thread):
    """Every second during the load: each worker's RSS and PSS, their maxima kept per process."""

    def __init__(self, maitre: psutil.Process) -> None:
        super().__init__(daemon=True)
        self.maitre_processus, self.fin = maitre, threading.Event()
        self.pics: dict[int, tuple[int, int]] = {}
        self.maitre = 0

    def run(self) -> None:
        while not self.fin.wait(1.0):
            try:
                mesure = _memoire(self.maitre_processus)
            except psutil.Error:
                return
            self.maitre = max(self.maitre, mesure["maitre"])
            for pid, (rss, pss) in mesure["workers"].items():
                avant = self.pics.get(pid, (0, 0))
                self.pics[pid] = (max(avant[0], rss), max(avant[1], pss))


def _mo(rss: int, pss: int) -> dict:
    return {"rss_mo": round(rss / MO, 1), "pss_mo": round(pss / MO, 1)}


# --- A worker killed under load ---------------------------------------------------------------------


class _Bourreau(threading.Thread):
    """`a_s` seconds after it starts, kills (SIGKILL) the worker holding the most connections to the
    port — in flight, or queued in it, or kept alive — then waits for gunicorn to replace it."""

    def __init__(self, maitre: psutil.Process, port: int, a_s: float) -> None:
        super().__init__(daemon=True)
        self.maitre, self.port, self.a_s = maitre, port, a_s
        self.fin = threading.Event()
        self.tue: dict | None = None

    def _connexions(self, worker: psutil.Process) -> int:
        try:
            return sum(
                c.status == psutil.CONN_ESTABLISHED and c.laddr and c.laddr.port == self.port
                for c in worker.net_connections(kind="tcp4")
            )
        except psutil.Error:
            return -1

    def run(self) -> None:
        if self.fin.wait(self.a_s):
            return
        avant = {w.pid: w for w in self.maitre.children()}
        connexions = {pid: self._connexions(w) for pid, w in avant.items()}
        victime = max(connexions, key=connexions.get)
        instant = time.time()
        os.kill(victime, signal.SIGKILL)
        self.tue = {"pid": victime, "instant": instant, "connexions": connexions[victime]}
        self.tue["connexions_des_autres"] = [n for pid, n in connexions.items() if pid != victime]
        while not self.fin.wait(0.05):
            enfants = {w.pid for w in self.maitre.children()}
            if victime not in enfants and len(enfants - set(avant)) >= 1 and len(enfants) >= len(avant):
                self.tue["remplace_apres_s"] = round(time.time() - instant, 2)
                return


def _issues(chemin: Path, tue: dict | None) -> dict:
    """Each request's fate from the locust file's record: counts per kind (ok, refus, delai, connexion,
    erreur), the durations of the answers and of the refusals, and around a killed worker, the requests
    lost then (in flight at the kill) and after."""
    if not chemin.exists():
        return {}
    issues = json.loads(chemin.read_text(encoding="utf-8"))
    par_genre: dict[str, list[float]] = {}
    for genre, _debut, ms, _detail in issues:
        par_genre.setdefault(genre, []).append(ms)
    resume: dict = {"nombres": {g: len(v) for g, v in par_genre.items()}}
    for genre in ("ok", "refus"):
        if par_genre.get(genre):
            resume[genre] = _quantiles(par_genre[genre])
    autres = [i for i in issues if i[0] not in ("ok", "refus")]
    resume["autres"] = _frequents(d for _g, _t, _ms, d in autres)
    if tue is not None:
        instant = tue["instant"]
        pendant = [i for i in autres if i[1] <= instant + 0.5 and i[1] + i[2] / 1000 >= instant - 0.5]
        apres = [i for i in autres if i[1] > instant + 0.5]
        avant = [i for i in autres if i[1] + i[2] / 1000 < instant - 0.5]
        servies = [i for i in issues if i[0] == "ok" and instant < i[1] + i[2] / 1000 <= instant + 5]
        resume["arret"] = {
            "perdues_en_cours": len(pendant),
            "perdues_apres": len(apres),
            "erreurs_avant": len(avant),
            "servies_5_s_apres": len(servies),
            "refus_5_s_apres": sum(i[0] == "refus" and instant < i[1] <= instant + 5 for i in issues),
            "details": _frequents(d for _g, _t, _ms, d in pendant + apres),
        }
    return resume


def _quantiles(valeurs: list[float]) -> dict:
    rangees = sorted(valeurs)

    def q(p: float) -> int:
        return round(rangees[min(len(rangees) - 1, int(p * len(rangees)))])

    return {"n": len(rangees), "p50_ms": q(0.5), "p95_ms": q(0.95), "p99_ms": q(0.99), "max_ms": q(1.0)}


def _frequents(details) -> list[str]:
    from collections import Counter

    return [f"{d} (×{n})" for d, n in Counter(details).most_common(5)]


# --- Load and results -------------------------------------------------------------------------------


ARRIVEES_PAR_S = 10  # people arriving per second (each signs in: an argon2 hash to check)


def _locust(
    dossier: Path, port: int, cible: str, utilisateurs: int, duree_s: int, sans_pause: bool = False
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOCUST_")}
    env |= {
        "PASSNUM_CHARGE_SCENARIO": str(dossier / "scenario.json"),
        "PASSNUM_CHARGE_CIBLE": cible,
        "PASSNUM_CHARGE_SANS_PAUSE": "1" if sans_pause else "0",
        "PASSNUM_CHARGE_ISSUES": str(dossier / "issues.json"),
    }
    arrivees = min(ARRIVEES_PAR_S, utilisateurs)
    total_s = duree_s + math.ceil(utilisateurs / arrivees)  # everybody present for duree_s seconds
    commande = [
        *(sys.executable, "-c", LANCEUR_LOCUST, "-f", str(BANC / "locustfile.py"), "--headless"),
        *("-u", str(utilisateurs), "-r", str(arrivees), "-t", f"{total_s}s"),
        *("--host", f"http://{HOTE}:{port}", "--csv", str(dossier / "res"), "--only-summary"),
    ]
    journal = dossier / "locust.log"
    with journal.open("wb") as sortie:
        # locust exits 1 when any request failed: the figures say so, not the exit code.
        fini = subprocess.run(
            commande, stdout=sortie, stderr=subprocess.STDOUT, env=env, cwd=dossier, timeout=total_s + 180
        )
    if not (dossier / "res_stats.csv").exists():
        raise RuntimeError(f"locust n'a rien mesuré (code {fini.returncode}) :\n{_fin(journal)}")


def _lignes(chemin: Path) -> list[dict]:
    if not chemin.exists():
        return []
    with chemin.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _chiffres(ligne: dict) -> dict:
    def ms(colonne: str) -> float | None:
        return None if ligne[colonne] in ("", "N/A") else round(float(ligne[colonne]))

    return {
        "requests": int(ligne["Request Count"]),
        "failures": int(ligne["Failure Count"]),
        "rps": round(float(ligne["Requests/s"]), 1),
        "p50_ms": ms("50%"),
        "p95_ms": ms("95%"),
        "p99_ms": ms("99%"),
        "max_ms": ms("Max Response Time"),
        "ko_moyens": round(float(ligne["Average Content Size"]) / 1024, 1),  # decompressed
    }


def _resultats(dossier: Path) -> dict:
    lignes = _lignes(dossier / "res_stats.csv")
    total = next(ligne for ligne in lignes if ligne["Name"] == "Aggregated")
    par_nom = {ligne["Name"]: _chiffres(ligne) for ligne in lignes if ligne["Name"] != "Aggregated"}
    echecs = [
        f"{e['Method']} {e['Name']} : {e['Error']} (×{e['Occurrences']})"
        for e in _lignes(dossier / "res_failures.csv")
    ]
    exceptions = _lignes(dossier / "res_exceptions.csv")  # errors of the simulated person's own code
    return {
        **_chiffres(total),
        "p95_rappels_ms": {nom: par_nom[nom]["p95_ms"] for nom in RAPPELS if nom in par_nom},
        "par_nom": par_nom,
        "echecs": echecs,
        "exceptions": [f"{e['Message']} (×{e['Count']})" for e in exceptions],
    }


def _journal(chemin: Path) -> tuple[int, int, list[str]]:
    """The server's answers 500 and above other than its refusals (access log), its refusals (503), and
    its error lines (gunicorn, tracebacks; a worker killed on purpose is said there too)."""
    texte = chemin.read_text(encoding="utf-8", errors="replace") if chemin.exists() else ""
    statuts = [int(s) for s in re.findall(r'HTTP/1\.[01]" (\d{3}) ', texte)]
    motif = re.compile(r"\[(ERROR|CRITICAL)\]|Traceback|WORKER TIMEOUT|Erreur interne")
    erreurs = [ligne for ligne in texte.splitlines() if motif.search(ligne)][:20]
    return sum(s >= 500 and s != 503 for s in statuts), statuts.count(503), erreurs


def _fin(chemin: Path, n: int = 40) -> str:
    if not chemin.exists():
        return ""
    return "\n".join(chemin.read_text(encoding="utf-8", errors="replace").splitlines()[-n:])


# --- Command line and BENCHMARKS.md -----------------------------------------------------------------

SECTION = "## Charge : saturation et arrêt brutal"
CHEMIN = BANC / "BENCHMARKS.md"
SCENARIOS = ("charge", "saturation", "arret")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="URL SQLAlchemy d'une base avec la démo nationale")
    parser.add_argument(
        "--cache", default=None, help="PASSNUM_CACHE_URL, par exemple redis://127.0.0.1:6379/0"
    )
    parser.add_argument("--utilisateurs", type=int, default=200)
    parser.add_argument("--saturation-utilisateurs", type=int, default=600)
    parser.add_argument("--duree", type=int, default=60, help="secondes")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cible", choices=("passnum", "naif"), default="passnum")
    parser.add_argument("--scenario", choices=SCENARIOS, action="append", help="défaut : charge")
    parser.add_argument("--sans-pause", action="store_true", help="saturation : personne ne fait de pause")
    parser.add_argument(
        "--env", action="append", default=[], metavar="CLE=VALEUR", help="réglage du serveur (PASSNUM_…)"
    )
    parser.add_argument("--json", type=Path, default=None, help="écrire aussi les résultats bruts (JSON)")
    parser.add_argument("--ecrire", action="store_true", help="les trois scénarios, section de BENCHMARKS.md")
    args = parser.parse_args(argv)
    scenarios = SCENARIOS if args.ecrire else tuple(args.scenario or ("charge",))
    resultats = {}
    for scenario in scenarios:
        utilisateurs = args.saturation_utilisateurs if scenario == "saturation" else args.utilisateurs
        montee = math.ceil(utilisateurs / min(ARRIVEES_PAR_S, utilisateurs))
        r = mesurer_charge(
            args.base,
            cache_url=args.cache,
            utilisateurs=utilisateurs,
            duree_s=args.duree,
            workers=args.workers,
            cible=args.cible,
            sans_pause=scenario == "saturation" and args.sans_pause,
            tuer_a_s=montee + args.duree / 2 if scenario == "arret" else None,
            env_serveur=dict(e.split("=", 1) for e in args.env),
        )
        resultats[scenario] = r
        print(f"--- scénario {scenario} ---")
        afficher(r, args.base, args.cache)
    if args.json:
        args.json.write_text(json.dumps(resultats, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.ecrire:
        ecrire_section(resultats, args.base, args.cache)
    return 0


def afficher(r: dict, base: str, cache: str | None) -> None:
    print(
        f"cible {r['cible']}, {r['utilisateurs']} utilisateurs, {r['duree_s']} s, {r['workers']} processus, "
        f"base {base.split(':')[0]}, cache {cache or 'aucun'}"
        + (", sans pause" if r.get("sans_pause") else "")
    )
    print(f"requêtes : {r['requests']}, échecs : {r['failures']}, débit : {r['rps']} req/s")
    print(
        f"temps de réponse : médiane {r['p50_ms']} ms, p95 {r['p95_ms']} ms, p99 {r['p99_ms']} ms, "
        f"max {r['max_ms']} ms"
    )
    for nom, c in r["par_nom"].items():
        print(
            f"  {nom} : {c['requests']} requêtes, {c['failures']} échecs, médiane {c['p50_ms']} ms, "
            f"p95 {c['p95_ms']} ms, max {c['max_ms']} ms, {c['ko_moyens']} Ko en moyenne"
        )
    issues = r.get("issues") or {}
    if issues:
        print(f"issues : {issues['nombres']}")
        for genre in ("ok", "refus"):
            if genre in issues:
                q = issues[genre]
                print(f"  {genre} : médiane {q['p50_ms']} ms, p95 {q['p95_ms']} ms, max {q['max_ms']} ms")
        for ligne in issues.get("autres", []):
            print(f"  autre : {ligne}")
    if r.get("arret"):
        print(f"arrêt brutal : {r['arret']}")
        print(f"  {issues.get('arret')}")
    for quand, cle in (("au repos", "memoire_repos"), ("en charge (pic)", "memoire_pic")):
        par_processus = ", ".join(f"RSS {m['rss_mo']} Mo / PSS {m['pss_mo']} Mo" for m in r[cle])
        print(f"mémoire par processus {quand} : {par_processus}")
    maitre = r["maitre_rss_mo"]
    print(f"processus maître : RSS {maitre['repos']} Mo au repos, {maitre['pic']} Mo au pic")
    print(f"processus échauffés avant la charge : {r['workers_echauffes']} sur {r['workers']}")
    if r["workers_remplaces"]:
        print(f"processus remplacés pendant la charge : {r['workers_remplaces']}")
    print(f"réponses 5xx du serveur (hors refus 503) : {r['serveur_5xx']} ; refus 503 : {r['serveur_503']}")
    print(f"charge de la machine avant la mesure (moyenne sur 1 min) : {r['charge_systeme_avant']}")
    for ligne in (*r["echecs"][:8], *r["exceptions"], *r["serveur_erreurs"][:8]):
        print(f"  {ligne}")


def _ms(valeur) -> str:
    from dashboard.domain.formatage import nombre

    return "—" if valeur is None else f"{nombre(valeur)} ms"


def lignes_section(resultats: dict, base: str, cache: str | None) -> list[str]:
    """The section's lines, French numbers: one paragraph per scenario measured."""
    from dashboard.domain.formatage import nombre, pourcentage

    lignes = []
    c = resultats.get("charge")
    if c:
        n = c["issues"].get("nombres", {})
        erreurs = sum(n.values()) - n.get("ok", 0)
        autres = erreurs - n.get("refus", 0) - n.get("delai", 0)
        lignes.append(
            f"- **{nombre(c['utilisateurs'])} utilisateurs**, pause de 1 à 5 s, {c['duree_s']} s une fois "
            f"tous arrivés : {nombre(sum(n.values()))} requêtes ({nombre(c['rps'], 1)} par seconde), "
            f"{nombre(erreurs)} erreurs ({nombre(n.get('refus', 0))} refus, "
            f"{nombre(n.get('delai', 0))} délais dépassés, {nombre(autres)} "
            f"autres), médiane {_ms(c['p50_ms'])}, "
            f"p95 {_ms(c['p95_ms'])}, p99 {_ms(c['p99_ms'])}, max {_ms(c['max_ms'])} — objectif 0 erreur, "
            f"p95 ≤ 500 ms : {'tenu' if erreurs == 0 and (c['p95_ms'] or 0) <= 500 else 'non tenu'}."
        )
    s = resultats.get("saturation")
    if s:
        n, total = s["issues"].get("nombres", {}), max(1, sum(s["issues"].get("nombres", {}).values()))
        refus, ok = s["issues"].get("refus", {}), s["issues"].get("ok", {})
        autres = total - n.get("ok", 0) - n.get("refus", 0)
        lignes.append(
            f"- **Saturation, {nombre(s['utilisateurs'])} utilisateurs "
            f"{'sans pause' if s.get('sans_pause') else 'avec leurs pauses'}**, {s['duree_s']} s : "
            f"{nombre(total)} requêtes ({nombre(s['rps'], 1)} par seconde), "
            f"{nombre(n.get('ok', 0))} servies (médiane {_ms(ok.get('p50_ms'))}, "
            f"p95 {_ms(ok.get('p95_ms'))}), "
            f"{nombre(n.get('refus', 0))} refusées ({pourcentage(n.get('refus', 0) / total)} ; 503 en "
            f"français avec Retry-After : médiane {_ms(refus.get('p50_ms'))}, "
            f"p95 {_ms(refus.get('p95_ms'))}, "
            f"max {_ms(refus.get('max_ms'))}), {nombre(n.get('delai', 0))} délais dépassés, "
            f"{nombre(autres)} autres erreurs ; réponses 5xx hors refus côté serveur : "
            f"{nombre(s['serveur_5xx'])}."
        )
    a = resultats.get("arret")
    if a and a.get("arret"):
        t, i = a["arret"], a["issues"].get("arret", {})
        lignes.append(
            f"- **Arrêt brutal** (`kill -9` d'un des {a['workers']} processus au milieu de la charge de "
            f"{nombre(a['utilisateurs'])} utilisateurs) : il tenait {nombre(t['connexions'])} connexions "
            f"(requêtes en cours, en file ou gardées ouvertes) ; requêtes perdues à cet instant "
            f"{nombre(i.get('perdues_en_cours', 0))}, après {nombre(i.get('perdues_apres', 0))} ; "
            f"{nombre(i.get('servies_5_s_apres', 0))} requêtes servies dans les 5 s qui suivent ; "
            f"processus remplacé par gunicorn en {nombre(t.get('remplace_apres_s', float('nan')), 2)} s ; "
            f"en tout {nombre(a['failures'])} erreurs sur {nombre(a['requests'])} requêtes, "
            f"p95 {_ms(a['p95_ms'])}."
        )
    return lignes


def ecrire_section(resultats: dict, base: str, cache: str | None, chemin: Path = CHEMIN) -> None:
    """Replace (or add at the end) this script's section of BENCHMARKS.md, leaving the others as they are."""
    from dashboard.domain.formatage import nombre

    texte = chemin.read_text(encoding="utf-8") if chemin.exists() else ""
    suite = ""
    if SECTION in texte:
        debut = texte.index(SECTION)
        fin = texte.find("\n## ", debut + len(SECTION))
        suite = texte[fin + 1 :] if fin != -1 else ""
        texte = texte[:debut].rstrip("\n") + "\n"
    c = next(iter(resultats.values()))
    section = [
        "",
        SECTION,
        "",
        f"`python bench/charge.py --ecrire` : `passnum serve --workers {c['workers']}` sur "
        f"{'PostgreSQL' if base.startswith('postgresql') else 'SQLite'}"
        f"{' + Redis' if cache else ''}, démonstration nationale, locust sur la boucle locale (les "
        "personnes se connectent, ouvrent la carte, changent de filtre). Par processus, "
        "PASSNUM_REQUETES_SIMULTANEES requêtes servies à la fois et PASSNUM_REQUETES_EN_ATTENTE en "
        "attente (0,5 s au plus) ; au-delà, refus immédiat (503, Retry-After, message français). "
        "Machine partagée : charge moyenne (1 min) avant chaque scénario "
        + ", ".join(nombre(r["charge_systeme_avant"], 1) for r in resultats.values())
        + " pour 2 cœurs.",
        "",
        *lignes_section(resultats, base, cache),
        "",
    ]
    chemin.write_text(texte + "\n".join(section) + ("\n" + suite if suite else ""), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
