"""The page's JavaScript, for a first paint with less of it and a returning visit without a request:

- plotly.js reduced to the traces the dashboard draws (outils/plotly: `traces.json`, built with esbuild
  from the plotly.js version of the `plotly` package; 1,4 MB instead of 4,8 MB), served under its
  content-hashed name from dashboard/web/statique/, pre-compressed (brotli, gzip), cacheable for a year.
  The PNG/PDF exports keep the full plotly.js of the server (kaleido).
- AG Grid (1,3 MB, then 0,9 MB of its chunk) leaves the page's scripts: assets/grille-differee.js stands
  for `dash_ag_grid` and loads it once the map is painted (or the table comes near the screen).
- Dash's lazy chunks of the map (dcc's async-graph) are named with their version in the page, so the
  browser fetches them with the rest and keeps them; /assets scripts and styles, versioned by Dash
  (`?m=`), are kept a year too.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

from flask import Flask, Response, abort, current_app, request

from dashboard.web.geometries import CACHE_LONG

STATIQUE = Path(__file__).parent / "statique"
PREFIXE = "/statique/"
TYPES = {".js": "text/javascript"}


@cache
def plotly_reduit() -> str:
    """The file name of the reduced plotly.js (`plotly-<version>-<hash>.min.js`)."""
    noms = sorted(p.name for p in STATIQUE.glob("plotly-*.min.js"))
    if len(noms) != 1:
        raise FileNotFoundError(
            f"{STATIQUE} : un seul plotly-*.min.js attendu ({noms}) ; voir outils/plotly (npm run build)"
        )
    return noms[0]


def traces_du_paquet(nom: str | None = None) -> list[str]:
    """The trace types the reduced plotly.js registers, as its first line says (written by the build)."""
    with open(STATIQUE / (nom or plotly_reduit()), encoding="utf-8") as fichier:
        banniere = fichier.readline()
    return [t.strip() for t in banniere.split("réduit aux traces :", 1)[1].split("*/")[0].split(",")]


def url_composant(espace: str, chemin: str) -> str:
    """The versioned URL Dash gives a file of a component package (as Dash.
    _collect_and_register_resources: `<name>.v<version>m<mtime>.<ext>`), cached a year by Dash."""
    from dash.fingerprint import build_fingerprint

    module = sys.modules[espace]
    if chemin.startswith(("dcc/", "html/", "dash_table/")):
        version = sys.modules[f"{espace}.{chemin.split('/')[0]}"].__version__
    else:
        version = module.__version__
    modifie = int(os.stat(Path(module.__file__).parent / chemin).st_mtime)
    return f"/_dash-component-suites/{espace}/{build_fingerprint(chemin, version, modifie)}"


def differer_grille(app) -> None:
    """AG Grid's bundle is no longer a script of this app's page (Dash still serves it, now `dynamic`):
    assets/grille-differee.js loads it. Only this app's list changes: dash-ag-grid's own, shared by every
    Dash app of the process (bench/'s references), stays as shipped."""
    tous = app.scripts.get_all_scripts

    def grille_differee(dev_bundles=False):
        return [
            {**r, "dynamic": True} if r.get("relative_package_path") == "dash_ag_grid.min.js" else r
            for r in tous(dev_bundles)
        ]

    app.scripts.get_all_scripts = grille_differee


def entete() -> str:
    """What the page's <head> carries: the reduced plotly.js and dcc's map chunk (deferred: fetched
    with Dash's bundles, run before the layout arrives), and where the grid's bundle is."""
    import dash_ag_grid  # noqa: F401  (url_composant reads its version)

    plotly = PREFIXE + plotly_reduit()
    graphe = url_composant("dash", "dcc/async-graph.js")
    grille = url_composant("dash_ag_grid", "dash_ag_grid.min.js")
    return (
        f'<meta name="passnum-plotly" content="{plotly}">\n'
        f'        <meta name="passnum-grille" content="{grille}">\n'
        f'        <script defer src="{plotly}"></script>\n'
        f'        <script defer src="{graphe}"></script>'
    )


def reponse(nom: str) -> Response:
    chemin = STATIQUE / nom
    if "/" in nom or nom.startswith(".") or chemin.suffix not in TYPES or not chemin.is_file():
        abort(404)
    acceptes = request.headers.get("Accept-Encoding", "")
    for codage, extension in (("br", ".br"), ("gzip", ".gz")):
        compresse = chemin.with_name(nom + extension)
        if codage in acceptes and compresse.is_file():
            resultat = Response(compresse.read_bytes(), mimetype=TYPES[chemin.suffix])
            resultat.headers["Content-Encoding"] = codage
            break
    else:
        corps = chemin.read_bytes()
        resultat = Response(corps, mimetype=TYPES[chemin.suffix])
    resultat.headers["Cache-Control"] = CACHE_LONG
    resultat.headers["Vary"] = "Accept-Encoding"
    resultat.set_etag(nom)
    return resultat.make_conditional(request)


def cache_long(resultat: Response) -> Response:
    """/assets files are named by Dash with their date (`?m=`, read at start): a new file, a new address
    (not in debug mode, where Dash reloads a file edited in place)."""
    if (
        request.path.startswith("/assets/")
        and request.args.get("m")
        and not current_app.debug
        and resultat.status_code in (200, 304)
    ):
        resultat.headers["Cache-Control"] = CACHE_LONG
    return resultat


def installer(serveur: Flask) -> None:
    plotly_reduit()  # a missing build fails at start, not in the browser
    serveur.add_url_rule(PREFIXE + "<nom>", "statique", reponse)
    serveur.after_request(cache_long)
