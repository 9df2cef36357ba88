"""`passnum serve [--workers N]`: the production server (gunicorn), which refuses to start unsafely."""

from __future__ import annotations

import argparse
import sys

from dashboard.settings import Settings

LONGUEUR_CLE_MIN = 32


def ajouter(sous) -> None:
    serve = sous.add_parser("serve", help="serveur de production (gunicorn)")
    serve.add_argument("--workers", type=int, default=2, help="processus de service (défaut : 2)")
    serve.set_defaults(executer=executer)


def executer(args: argparse.Namespace, settings: Settings) -> int:
    return servir(settings, args.workers)


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

    verifier_service(settings)
    contextes = []

    def apres_fork(_serveur, _worker) -> None:
        # The pool's connections were opened by the master (schema check, warm-up): a worker that used
        # them would share their sockets with its siblings. It opens its own; the master keeps its.
        for contexte in contextes:
            contexte.engine.dispose(close=False)

    class Application(BaseApplication):
        def load_config(self) -> None:
            reglages = {
                "bind": f"{settings.host}:{settings.port}",
                "workers": workers,
                # Threads: a PDF export waits for the server's own Chromium, which reads pages from this
                # same server; with one thread per worker two exports would leave nobody to answer it.
                "worker_class": "gthread",
                "threads": 4,
                "preload_app": True,  # reference data read once, shared copy-on-write by the workers
                "timeout": 120,  # a PDF of a long deck takes a while
                "accesslog": "-",
                "errorlog": "-",
                "proc_name": "passnum",
                "post_fork": apres_fork,
            }
            for cle, valeur in reglages.items():
                self.cfg.set(cle, valeur)

        def load(self):
            from dashboard import create_app
            from dashboard.vues.nationale import prechauffer

            app = create_app(settings)
            contexte = app.server.config["PASSNUM_CONTEXTE"]
            print("Lecture des données (référence, lauréats, agrégats)…", file=sys.stderr)
            prechauffer(contexte)  # before the fork (preload): the workers inherit it
            contextes.append(contexte)
            return app.server

    adresse = f"http://{settings.host}:{settings.port}/"
    print(f"Tableau de bord servi sur {adresse} ({workers} processus)", file=sys.stderr)
    Application().run()
    return 0
