"""The page's scripts: plotly.js reduced to the traces the dashboard draws (every trace type written in
dashboard/ is in the bundle), served versioned, pre-compressed and cacheable; AG Grid out of the page's
scripts (loaded by assets/grille-differee.js)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import dash_ag_grid
import plotly.graph_objects as go
from dash import Dash
from flask import Flask
from plotly.basedatatypes import BaseTraceType
from plotly.offline import get_plotlyjs_version

from dashboard.settings import ROOT
from dashboard.web.geometries import CACHE_LONG
from dashboard.web.scripts import (
    PREFIXE,
    STATIQUE,
    alleger_scripts,
    cache_long,
    differer_grille,
    entete,
    plotly_reduit,
    regenerateur,
    reponse,
    traces_du_paquet,
)

OUTILS = ROOT / "outils" / "plotly"
TYPE = re.compile(r"""["']type["']\s*[:=]\s*["'](\w+)["']|\btype\s*=\s*["'](\w+)["']""")
TRACES_PLOTLY = {
    nom.lower()
    for nom in go.__all__
    if isinstance(getattr(go, nom), type) and issubclass(getattr(go, nom), BaseTraceType)
}


def traces_ecrites() -> set[str]:
    """Every plotly trace type named in the dashboard's code drawn in the browser (figures, components,
    views, pages; the exports' own figures are drawn by the server's full plotly.js)."""
    trouves = set()
    for dossier in ("figures", "components", "vues", "pages"):
        for fichier in (ROOT / "dashboard" / dossier).rglob("*.py"):
            for a, b in TYPE.findall(fichier.read_text(encoding="utf-8")):
                trouves.add(a or b)
    return trouves & TRACES_PLOTLY


def test_jsp001_chaque_trace_du_tableau_de_bord_est_dans_le_paquet():
    ecrites = traces_ecrites()
    assert {"choropleth", "scattergeo", "scatter", "bar", "funnel"} <= ecrites  # the scan finds them
    voulues = json.loads((OUTILS / "traces.json").read_text(encoding="utf-8"))["traces"]
    assert ecrites <= set(voulues), f"à ajouter à outils/plotly/traces.json : {ecrites - set(voulues)}"
    # the built file is the one of traces.json (rebuilt after a change: npm run build)
    assert traces_du_paquet() == voulues


def test_jsp002_le_paquet_a_la_version_de_plotly_js_du_paquet_python():
    nom = plotly_reduit()
    version = get_plotlyjs_version()
    assert nom.startswith(f"plotly-{version}-")
    paquet = json.loads((OUTILS / "package.json").read_text(encoding="utf-8"))
    assert paquet["devDependencies"]["plotly.js"] == version
    verrou = json.loads((OUTILS / "package-lock.json").read_text(encoding="utf-8"))
    assert verrou["packages"]["node_modules/plotly.js"]["version"] == version
    taille = (STATIQUE / nom).stat().st_size
    assert taille < 2_000_000  # the full plotly.js weighs 4,8 MB
    for extension in (".gz", ".br"):
        assert (STATIQUE / (nom + extension)).stat().st_size < taille / 2.5


def _application() -> Flask:
    serveur = Flask(__name__)
    serveur.add_url_rule(PREFIXE + "<nom>", "statique", reponse)
    serveur.add_url_rule("/assets/<path:chemin>", "assets", lambda chemin: "x")
    serveur.after_request(cache_long)
    return serveur


def test_jsp003_le_paquet_est_servi_compresse_et_garde_un_an():
    client = _application().test_client()
    url = PREFIXE + plotly_reduit()
    brut = (STATIQUE / plotly_reduit()).read_bytes()
    for codage, attendu in (("br", "br"), ("gzip", "gzip"), ("identity", None)):
        r = client.get(url, headers={"Accept-Encoding": codage})
        assert r.status_code == 200 and r.headers["Cache-Control"] == CACHE_LONG
        assert r.headers.get("Content-Encoding") == attendu
        assert r.headers["Content-Type"].startswith("text/javascript")
        if attendu is None:
            assert r.get_data() == brut
    assert client.get(url, headers={"If-None-Match": f'"{plotly_reduit()}"'}).status_code == 304
    for absent in ("plotly-0.min.js", "..%2Fscripts.py", plotly_reduit() + ".gz", "traces.json"):
        assert client.get(PREFIXE + absent).status_code == 404


def test_jsp004_les_assets_versionnes_se_gardent_un_an_les_autres_non():
    client = _application().test_client()
    assert client.get("/assets/a.js?m=1796423321.6").headers["Cache-Control"] == CACHE_LONG
    assert client.get("/assets/a.js").headers.get("Cache-Control") != CACHE_LONG


def test_jsp005_la_grille_sort_des_scripts_de_la_page_et_l_entete_dit_ou_la_trouver():
    NOM_GRILLE = "dash_ag_grid.min.js"
    app, autre = Dash(__name__), Dash(__name__)
    differer_grille(app)

    def grille(a):
        return [r for r in a.scripts.get_all_scripts() if r.get("relative_package_path") == NOM_GRILLE]

    assert grille(app) and all(r["dynamic"] for r in grille(app))
    # Another Dash app of the same process keeps the grid as a script of its page.
    assert grille(autre) and not any(r.get("dynamic") for r in grille(autre))
    propres = [r for r in dash_ag_grid._js_dist if r["relative_package_path"] == "dash_ag_grid.min.js"]
    assert not any(r.get("dynamic") for r in propres)
    html = entete()
    grille = re.search(r'name="passnum-grille" content="([^"]+)"', html).group(1)
    assert re.fullmatch(r"/_dash-component-suites/dash_ag_grid/dash_ag_grid\.v[\d_]+m\d+\.min\.js", grille)
    assert f'<script defer src="{PREFIXE}{plotly_reduit()}"></script>' in html
    graphe = r'<script defer src="/_dash-component-suites/dash/dcc/async-graph\.v[\d_]+m\d+\.js">'
    assert re.search(graphe, html)


def test_jsp006_le_remplacant_de_la_grille_et_plotly_local_sont_des_assets():
    for nom in ("grille-differee.js", "plotly-reduit.js"):
        assert Path(ROOT / "assets" / nom).is_file()


def test_jsp007_regenerator_runtime_remplace_le_polyfill_et_dash_table_sort_de_la_page():
    app, autre = Dash(__name__), Dash(__name__)
    alleger_scripts(app)
    html, reference = app._generate_scripts_html(), autre._generate_scripts_html()
    assert "polyfill@" in reference and "/dash_table/bundle" in reference  # what Dash lists by itself
    assert "polyfill@" not in html and "/dash_table/bundle" not in html
    # In the polyfill's place: before React and every Dash bundle.
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert sources[0] == PREFIXE + regenerateur()
    assert len(sources) == len(re.findall(r'<script src="', reference)) - 1
    code = (STATIQUE / regenerateur()).read_text(encoding="utf-8")
    assert "regeneratorRuntime=" in code.replace(" ", "") and len(code) < 20_000
    verrou = json.loads((OUTILS / "package-lock.json").read_text(encoding="utf-8"))
    assert regenerateur().startswith(
        "regenerator-runtime-" + verrou["packages"]["node_modules/regenerator-runtime"]["version"] + "-"
    )
    assert _application().test_client().get(PREFIXE + regenerateur()).status_code == 200


def test_jsp008_aucune_figure_ni_page_ne_se_sert_de_ce_que_le_paquet_laisse_de_cote():
    """The reduced plotly.js has no menus, sliders, range sliders or selectors (outils/plotly,
    composants-absents.json) and the page no dash_table: nothing in the code drawn in the browser asks
    for them."""
    absents = json.loads((OUTILS / "composants-absents.json").read_text(encoding="utf-8"))["composants"]
    assert {"updatemenus", "sliders", "rangeslider", "rangeselector"} <= set(absents)
    motif = re.compile(r"\b(" + "|".join(absents) + r")\b|dash_table|DataTable")
    for dossier in ("figures", "components", "vues", "pages"):
        for fichier in (ROOT / "dashboard" / dossier).rglob("*.py"):
            trouve = motif.search(fichier.read_text(encoding="utf-8"))
            assert trouve is None, f"{fichier.relative_to(ROOT)} : {trouve.group(0)} (hors du paquet réduit)"
    paquet = (STATIQUE / plotly_reduit()).read_text(encoding="utf-8")
    for nom in absents:
        assert f'"absent-{nom}"' in paquet
