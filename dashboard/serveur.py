"""`passnum serve [--workers N]`: the production server (gunicorn), which refuses to start unsafely."""

from __future__ import annotations

import sys

from dashboard.settings import Settings

LONGUEUR_CLE_MIN = 32


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
            }
            for cle, valeur in reglages.items():
                self.cfg.set(cle, valeur)

        def load(self):
            from dashboard import create_app

            return create_app(settings).server

    adresse = f"http://{settings.host}:{settings.port}/"
    print(f"Tableau de bord servi sur {adresse} ({workers} processus)", file=sys.stderr)
    Application().run()
    return 0
