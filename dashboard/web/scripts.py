"""The page's JavaScript, for a first paint with less of it and a returning visit without a request:

- plotly.js reduced to the traces the dashboard draws (outils/plotly: `traces.json`, built with esbuild
  from the plotly.js version of the `plotly` package, without the layout components and projections
  no figure of ours uses; 1,1 MB instead of 4,8 MB), served under its
  content-hashed name from dashboard/web/statique/, pre-compressed (brotli, gzip), cacheable for a year.
  The PNG/PDF exports keep the full plotly.js of the server (kaleido).
- regenerator-runtime alone (7 kB, built there too) in place of Dash's @babel/polyfill (99 kB), and no
  dash_table bundle (no DataTable here): `alleger_scripts`.
- AG Grid (1,3 MB, then 0,9 MB of its chunk) leaves the page's scripts: assets/grille-differee.js stands
  for `dash_ag_grid` and loads it once the map is painted (or the table comes near the screen).
- Dash's lazy chunks of the map (dcc's async-graph) are named with their version in the page, so the
  browser fetches them with the rest and keeps them; /assets scripts and styles, versioned by Dash
  (`?m=`), are kept a year too.
"""

from __future__ import annotations

import os
import re
import sys
from functools import cache
from pathlib import Path

from flask import Flask, Response, abort, current_app, request

from dashboard.web.geometries import CACHE_LONG

STATIQUE = Path(__file__).parent / "statique"
PREFIXE = "/statique/"
TYPES = {".js": "text/javascript"}


def _construit(prefixe: str) -> str:
    """The file name of a script built by outils/plotly (`<prefixe>-<version>-<hash>.min.js`)."""
    noms = sorted(p.name for p in STATIQUE.glob(f"{prefixe}-*.min.js"))
    if len(noms) != 1:
        raise FileNotFoundError(
            f"{STATIQUE} : un seul {prefixe}-*.min.js attendu ({noms}) ; voir outils/plotly (npm run build)"
        )
    return noms[0]


@cache
def plotly_reduit() -> str:
    """The file name of the reduced plotly.js (`plotly-<version>-<hash>.min.js`)."""
    return _construit("plotly")


@cache
def regenerateur() -> str:
    """The file name of regenerator-runtime alone (`regenerator-runtime-<version>-<hash>.min.js`)."""
    return _construit("regenerator-runtime")


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


# Dash's scripts the page goes without (dash.Dash._generate_scripts_html lists them unconditionally):
# @babel/polyfill 7 (99 kB: core-js 2, whose polyfills every supported browser has natively, and the
# `regeneratorRuntime` global Dash's bundles call, served alone in its place, 7 kB) and dash_table's
# bundle (34 kB: the dashboard has no DataTable, its grid is AG Grid).
POLYFILL = re.compile(r'<script src="[^"]*/_dash-component-suites/dash/deps/polyfill@[^"]*"></script>')
TABLE_DASH = re.compile(
    r'<script src="[^"]*/_dash-component-suites/dash/dash_table/bundle[^"]*"></script>\n?'
)


def alleger_scripts(app) -> None:
    """This app's page loads regenerator-runtime instead of @babel/polyfill, and not dash_table."""
    generer = app._generate_scripts_html

    def scripts_alleges() -> str:
        html = generer()
        if not POLYFILL.search(html) or not TABLE_DASH.search(html):
            raise RuntimeError("scripts de Dash inattendus : voir dashboard/web/scripts.py, alleger_scripts")
        html = POLYFILL.sub(lambda _m: f'<script src="{PREFIXE}{regenerateur()}"></script>', html, count=1)
        return TABLE_DASH.sub("", html, count=1)

    app._generate_scripts_html = scripts_alleges


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
    plotly_reduit(), regenerateur()  # a missing build fails at start, not in the browser
    serveur.add_url_rule(PREFIXE + "<nom>", "statique", reponse)
    serveur.after_request(cache_long)
