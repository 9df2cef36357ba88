"""`passnum serve [--workers N]`: the production server (gunicorn), which refuses to start unsafely; with
PASSNUM_CACHE_URL it also runs `passnum worker`, the Celery worker of the background jobs, as a child it
restarts if it stops and stops with it. `passnum worker` alone serves more hosts' jobs."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading

from dashboard.settings import Settings

LONGUEUR_CLE_MIN = 32
RESERVE_THREADS = 8  # per process, beyond the doorman's places: static files, refusals


def ajouter(sous) -> None:
    serve = sous.add_parser("serve", help="serveur de production (gunicorn)")
    serve.add_argument("--workers", type=int, default=2, help="processus de service (défaut : 2)")
    serve.set_defaults(executer=executer)
    worker = sous.add_parser(
        "worker", help="exécuteur des tâches de fond (Celery, avec PASSNUM_CACHE_URL ; lancé par serve)"
    )
    worker.add_argument("--concurrence", type=int, default=2, help="tâches menées de front (défaut : 2)")
    worker.set_defaults(executer=executer_worker)


def executer(args: argparse.Namespace, settings: Settings) -> int:
    return servir(settings, args.workers)


def executer_worker(args: argparse.Namespace, settings: Settings) -> int:
    return travailler(settings, args.concurrence)


class ServiceRefuse(RuntimeError):
    """What is missing before the dashboard may be served, in French."""


def verifier_service(settings: Settings) -> None:
    """A secret key of its own (sessions and links signed with it) and at least one active admin."""
    from dashboard.store.comptes import nb_admins_actifs
    from dashboard.store.db import make_engine
    from dashboard.store.initialisation import exiger_schema

    if not settings.secret_key or len(settings.secret_key) < LONGUEUR_CLE_MIN:
        raise ServiceRefuse(
            f"PASSNUM_SECRET_KEY manquante ou trop courte ({LONGUEUR_CLE_MIN} caractères au moins) : "
            'générez-en une, par exemple avec python3 -c "import secrets; print(secrets.token_hex(32))".'
        )
    engine = make_engine(settings.resolved_database_url)
    try:
        exiger_schema(engine)
        if nb_admins_actifs(engine) == 0:
            raise ServiceRefuse(
                "Aucun administrateur actif : créez-en un avec "
                "`passnum users add IDENTIFIANT --role admin` avant de servir le tableau de bord."
            )
    finally:
        engine.dispose()


def servir(settings: Settings, workers: int) -> int:
    from gunicorn.app.base import BaseApplication
    from gunicorn.arbiter import Arbiter

    verifier_service(settings)
    contextes = []

    def apres_fork(_serveur, _worker) -> None:
        # The pool's connections were opened by the master (schema check, warm-up): a worker that used
        # them would share their sockets with its siblings. It opens its own; the master keeps its.
        for contexte in contextes:
            contexte.engine.dispose(close=False)

    def chauffer_exports(_worker) -> None:
        # Each worker warms its own export renderers in the background, once forked (never the master's).
        from dashboard.exports import chauffer

        chauffer(settings)

    class Application(BaseApplication):
        def load_config(self) -> None:
            reglages = {
                "bind": f"{settings.host}:{settings.port}",
                "workers": workers,
                # Threads: a PDF export waits for the server's own Chromium, which reads pages from this
                # same server; with one thread per worker two exports would leave nobody to answer it.
                # More threads than the doorman's slots and waiting places (dashboard.web.portier): past
                # saturation a thread is always free to refuse at once rather than let gunicorn queue.
                "worker_class": "gthread",
                "threads": settings.requetes_simultanees + settings.requetes_en_attente + RESERVE_THREADS,
                "preload_app": True,  # reference data read once, shared copy-on-write by the workers
                "timeout": 120,  # a PDF of a long deck takes a while
                # An idle connection kept 30 s, not gunicorn's 2: a request sent as it is closed is lost
                # ("connection reset"), and under load a person's next filter comes 1 to 5 s later.
                "keepalive": 30,
                "accesslog": "-",
                "errorlog": "-",
                "proc_name": "passnum",
                "post_fork": apres_fork,
                "post_worker_init": chauffer_exports,
            }
            for cle, valeur in reglages.items():
                self.cfg.set(cle, valeur)

        def load(self):
            from dashboard import create_app
            from dashboard.exports import precharger
            from dashboard.vues.nationale import prechauffer
            from dashboard.web.portier import Portier

            app = create_app(settings)
            app.server.wsgi_app = Portier(
                app.server.wsgi_app, settings.requetes_simultanees, settings.requetes_en_attente
            )
            contexte = app.server.config["PASSNUM_CONTEXTE"]
            print("Lecture des données (référence, lauréats, agrégats)…", file=sys.stderr)
            prechauffer(contexte)  # before the fork (preload): the workers inherit it
            precharger(settings)  # the export renderers' modules too (each worker starts its own Chromium)
            contextes.append(contexte)
            return app.server

    adresse = f"http://{settings.host}:{settings.port}/"
    print(f"Tableau de bord servi sur {adresse} ({workers} processus)", file=sys.stderr)
    taches = ExecuteurDeTaches(workers) if settings.cache_url else None

    class Arbitre(Arbiter):
        def halt(self, reason=None, exit_status=0):
            if taches is not None:  # both stop at once: the jobs finish while gunicorn's requests do
                taches.demander_arret()
            super().halt(reason, exit_status)

    try:
        Arbitre(Application()).run()
    except RuntimeError as exc:  # gunicorn's own refusals (address in use…), as BaseApplication.run says them
        raise ServiceRefuse(str(exc)) from exc
    finally:
        if taches is not None:
            taches.arreter()
    return 0


class ExecuteurDeTaches:
    """`passnum worker`, run beside gunicorn while it serves: started at once, started again if it stops
    (a thread of the master watches it), stopped (and waited for: a running import finishes) with it."""

    ATTENTE_ARRET_S = 60

    def __init__(self, concurrence: int) -> None:
        self.commande = [sys.executable, "-m", "dashboard.cli", "worker", "--concurrence", str(concurrence)]
        self.fin = threading.Event()
        self.verrou = threading.Lock()
        self.processus = self._lancer()
        threading.Thread(target=self._surveiller, name="passnum-worker", daemon=True).start()

    def _lancer(self) -> subprocess.Popen:
        # Its own process group: a Ctrl-C in the terminal reaches the server, which stops it in order.
        return subprocess.Popen(self.commande, env=os.environ.copy(), start_new_session=True)

    def _surveiller(self) -> None:
        while not self.fin.wait(2):
            with self.verrou:
                if self.fin.is_set() or self.processus.poll() is None:
                    continue
                print("L'exécuteur des tâches de fond s'est arrêté : relance.", file=sys.stderr)
                self.processus = self._lancer()

    def demander_arret(self) -> None:
        with self.verrou:
            if self.fin.is_set():  # asked once: a second signal would make Celery's shutdown a cold one
                return
            self.fin.set()
            if self.processus.poll() is None:
                self.processus.send_signal(signal.SIGTERM)  # Celery's warm shutdown: running jobs finish

    def arreter(self) -> None:
        self.demander_arret()
        processus = self.processus
        try:
            processus.wait(self.ATTENTE_ARRET_S)
        except subprocess.TimeoutExpired:
            processus.kill()
            processus.wait()


def travailler(settings: Settings, concurrence: int) -> int:
    """The Celery worker of the background callbacks (PASSNUM_CACHE_URL): the app is built first, so that
    its callbacks are the worker's tasks; each job opens its own database connections."""
    import socket

    from dashboard import create_app

    if not settings.cache_url:
        raise ServiceRefuse(
            "passnum worker exécute les tâches de fond partagées par Redis : définissez PASSNUM_CACHE_URL "
            "(par exemple redis://127.0.0.1:6379/0). Sans elle, passnum serve les exécute lui-même."
        )
    if concurrence < 1:
        raise ServiceRefuse("--concurrence vaut au moins 1.")
    app = create_app(settings)
    app.server.config["PASSNUM_CONTEXTE"].engine.dispose()  # the forked job processes open their own
    celery = app.server.config["PASSNUM_TACHES"].handle
    print(f"Exécuteur des tâches de fond ({concurrence} à la fois)", file=sys.stderr)
    celery.worker_main(
        [
            "worker",
            "--loglevel=WARNING",
            f"--concurrency={concurrence}",
            f"--hostname=passnum-{os.getpid()}@{socket.gethostname()}",
            "--without-gossip",
            "--without-mingle",
        ]
    )
    return 0
