"""Browser timings of the national view on loopback (ARCHITECTURE.md budget), with Debian's chromium and
chromium-driver (selenium):

- fresh browser → map and KPIs painted at EPCI level (≤ 1.5 s), and the bytes of JavaScript decoded before
  that paint (≤ 2.5 MB): a new chromium (empty cache), signed in on a page that loads no script, then
  `/?vue=territoires&niveau=epci`;
- returning visitor → the same page painted again, scripts and geometry in the browser's cache (≤ 0.8 s);
- filter change → map repainted, EPCI level (≤ 150 ms) and département level (≤ 100 ms), in the page;
- navigation → map, KPIs and table painted, over four pages (≤ 2.5 s, WebDriver's wall clock).

"Painted" is read in the DOM only, whatever draws the map: every `#carte path.choroplethlocation` has a
fill and `#kpis` shows a figure, seen in a frame's `requestAnimationFrame` callbacks; the time is the end of
that frame (a message posted from there is delivered once it is painted), in the page's clock
(`performance.now()`, from the navigation's start): a watcher installed before any script of the page
(`Page.addScriptToEvaluateOnNewDocument`) checks at every frame. JavaScript bytes: the resources of the
page (`performance.getEntriesByType('resource')`) that are scripts, their `decodedBodySize`, for those
whose `responseEnd` precedes the paint. A repaint ticks or unticks the 2019 wave box and waits for the
fills of the map to change (every shape filled), until the end of the frame that shows them: on a page
at rest (opened POSEE_S before), and, apart, right after the map is painted.

The floor (bench/plancher.py) is timed by the same watchers: the empty callback's round trip (click →
`#kpis` changed → frame) and a bare `Plotly.restyle` of every fill of the level (call → fills changed →
frame).

    python bench/navigateur.py --base sqlite:////tmp/passnum-national.sqlite [--tours 6]

Medians and p95 are printed, never asserted.
"""

from __future__ import annotations

import logging
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from commun import application, arguments, centile, connecter_navigateur, port_libre
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

EPCI = "/?vue=territoires&niveau=epci"
DEPARTEMENT = "/?vue=territoires&niveau=departement"
PAGES = [EPCI, DEPARTEMENT, "/", "/?vue=territoires&niveau=region&indicateur=pass_distribues"]
# A page that loads no script, where the sign-in lands: the browser's cache stays empty of JavaScript.
SANS_SCRIPT = "/assets/02-theme.css"

# Map, KPIs and table in the DOM (the navigation line of the 2.5 s budget, polled by WebDriver).
PEINTE = """
return document.querySelectorAll('#carte path.choroplethlocation').length > 0
    && /\\d/.test((document.querySelector('#kpis') || {}).textContent || '')
    && document.querySelectorAll('#tableau .ag-center-cols-container [role=row]').length > 0;
"""

# Installed before any script of every page: at each frame, "map and KPIs painted?"; at the frame after
# the first yes, the time since the navigation's start and the JavaScript decoded until then.
GUET = r"""
(() => {
    try { performance.setResourceTimingBufferSize(5000); } catch (e) {}
    const banc = window.__banc = {peinte: null, js: null, scripts: null};
    const peinte = () => {
        const formes = document.querySelectorAll('#carte path.choroplethlocation');
        if (!formes.length) return false;
        for (const f of formes) if (!(f.style.fill || f.getAttribute('fill'))) return false;
        return /\d/.test((document.querySelector('#kpis') || {}).textContent || '');
    };
    // Checked in a frame's requestAnimationFrame callbacks: that frame paints what is seen; a message
    // posted from there is delivered once its painting is done (before any later frame, which a long
    // task queued after the change would hold back).
    const apresPeinture = (suite) => {
        const canal = new MessageChannel();
        canal.port1.onmessage = () => suite();
        canal.port2.postMessage(0);
    };
    const guetter = () => {
        if (!peinte()) { requestAnimationFrame(guetter); return; }
        apresPeinture(() => {
            const t = performance.now();
            const scripts = performance.getEntriesByType('resource').filter(
                e => (e.initiatorType === 'script' || /\.m?js([?#]|$)/.test(e.name)) && e.responseEnd <= t);
            banc.js = scripts.reduce((s, e) => s + (e.decodedBodySize || 0), 0);
            banc.scripts = scripts.length;
            banc.peinte = t;
        });
    };
    requestAnimationFrame(guetter);
})();
"""
LIRE_GUET = "return window.__banc && window.__banc.peinte !== null ? window.__banc : null;"

# In the page: an action (a click on the 2019 wave box, or a bare restyle of the fills), then each frame
# until the target changed (the map's fills, same number of shapes; or the KPI box), until the end of the
# frame that shows it.
CHANGEMENT = r"""
const [action, cible] = arguments;
const fini = arguments[arguments.length - 1];
const formes = () => document.querySelectorAll('#carte path.choroplethlocation');
const empreinte = cible === 'carte'
    ? () => [...formes()].map(p => p.style.fill || p.getAttribute('fill') || '').join('|')
    : () => (document.querySelector('#kpis') || {}).textContent;
// A map counts as repainted once every shape has a fill again (a build that redraws the whole figure
// may draw another number of shapes: the references draw only the territories with activity).
const remplie = () => cible !== 'carte' || (formes().length > 0 && !empreinte().split('|').includes(''));
const avant = empreinte();
const t0 = performance.now();
const verifier = () => {
    if (remplie() && empreinte() !== avant) {
        // This frame paints the change: its end (see GUET).
        const canal = new MessageChannel();
        canal.port1.onmessage = () => fini(performance.now() - t0);
        canal.port2.postMessage(0);
    } else if (performance.now() - t0 > 90000) {
        fini(null);
    } else {
        requestAnimationFrame(verifier);
    }
};
if (action === 'clic') {
    const boite = document.querySelector('#_dbcprivate_checklist_filtre-vague_input_2019')
        || [...document.querySelectorAll('#filtre-vague input[type=checkbox]')].find(
            i => (i.closest('label, .form-check') || {}).textContent.includes('2019'));
    boite.click();
} else {
    const gd = document.querySelector('#carte .js-plotly-plot');
    const k = (window.__restyle = (window.__restyle || 0) + 1);
    const z = Array.from(
        {length: gd.data[0].locations.length}, (_, i) => ((i * 7919 + k * 104729) % 1009) / 1009);
    Plotly.restyle(gd, {z: [z]}, [0]);
}
requestAnimationFrame(verifier);
"""


# A filter change is timed on a page at rest: opened this long ago (its table, charts and grid loaded;
# a person reads the map before changing a filter). A click right after the paint is timed apart.
POSEE_S = 1.5


def _navigateur() -> webdriver.Chrome:
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--window-size=1920,1080",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ):
        options.add_argument(argument)
    navigateur = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    navigateur.set_script_timeout(120)
    navigateur.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": GUET})
    return navigateur


@contextmanager
def servir(wsgi) -> Iterator[str]:
    """A WSGI application on a free loopback port (Werkzeug's threaded server), its base URL."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = port_libre()
    serveur = make_server("127.0.0.1", port, wsgi, threaded=True)
    threading.Thread(target=serveur.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        serveur.shutdown()


def ouvrir(navigateur, url: str) -> dict:
    """Opens `url` in a new document; the watcher's reading once map and KPIs are painted:
    {"peinte_ms", "js_octets", "scripts"}."""
    navigateur.get("about:blank")
    navigateur.get(url)
    banc = WebDriverWait(navigateur, 120, poll_frequency=0.05).until(lambda d: d.execute_script(LIRE_GUET))
    return {"peinte_ms": banc["peinte"], "js_octets": banc["js"], "scripts": banc["scripts"]}


def changer(navigateur, action: str, cible: str) -> float:
    """Milliseconds, in the page, from the action to the frame after the target changed."""
    duree = navigateur.execute_async_script(CHANGEMENT, action, cible)
    if duree is None:
        raise RuntimeError(f"{navigateur.current_url} : {cible} inchangé 90 s après « {action} »")
    return duree


def neuf(base: str, page: str, connecter: bool) -> dict:
    """A fresh browser (its own empty profile) opening `page`, signed in first on a page with no script."""
    navigateur = _navigateur()
    try:
        if connecter:
            connecter_navigateur(navigateur, base, SANS_SCRIPT)
        return ouvrir(navigateur, base + page)
    finally:
        navigateur.quit()


def mesurer(base: str, tours: int, neufs: int = 3, connecter: bool = True, tableau: bool = True) -> dict:
    """The dashboard, the naive or the competent build at `base`:
    {"neufs": [{peinte_ms, js_octets, scripts}…] (fresh browsers, EPCI level),
     "revient": [ms…] (the same page again, cache warm), "repeinte": {"epci": [ms…], "departement": [ms…]}
     (two filter changes on the page at rest, POSEE_S after each opening), "des_la_peinture": the same
     keys (one change as soon as the map is painted), "navigations": [s…] (map, KPIs and table, over
     PAGES)}."""
    res = {"neufs": [neuf(base, EPCI, connecter) for _ in range(neufs)], "revient": [], "navigations": []}
    res["repeinte"] = {"epci": [], "departement": []}
    res["des_la_peinture"] = {"epci": [], "departement": []}
    navigateur = _navigateur()
    try:
        if connecter:
            connecter_navigateur(navigateur, base, SANS_SCRIPT)
        ouvrir(navigateur, base + EPCI)  # the first visit: what follows is a returning visitor
        for _ in range(tours):
            for niveau, page in (("epci", EPCI), ("departement", DEPARTEMENT)):
                lecture = ouvrir(navigateur, base + page)
                if niveau == "epci":
                    res["revient"].append(lecture["peinte_ms"])
                # A click as soon as the map is painted waits for what the page still loads after it.
                res["des_la_peinture"][niveau].append(changer(navigateur, "clic", "carte"))
                time.sleep(POSEE_S)
                res["repeinte"][niveau] += [changer(navigateur, "clic", "carte") for _ in range(2)]
        for tour in range(tours if tableau else 0):
            navigateur.get("about:blank")
            debut = time.perf_counter()
            navigateur.get(base + PAGES[tour % len(PAGES)])
            WebDriverWait(navigateur, 60, poll_frequency=0.02).until(lambda d: d.execute_script(PEINTE))
            res["navigations"].append(time.perf_counter() - debut)
    finally:
        navigateur.quit()
    return res


def mesurer_plancher(base: str, tours: int, neufs: int = 3) -> dict:
    """The floor app (bench/plancher.py) at `base`: {"neufs", "revient" as `mesurer`, "aller_retour": [ms…]
    (click → empty callback → #kpis changed → frame), "restyle": {"epci": [ms…], "departement": [ms…]}}."""
    res = {"neufs": [neuf(base, EPCI, False) for _ in range(neufs)], "revient": [], "aller_retour": []}
    res["restyle"] = {"epci": [], "departement": []}
    navigateur = _navigateur()
    try:
        ouvrir(navigateur, base + EPCI)
        for _ in range(tours):
            for niveau, page in (("epci", EPCI), ("departement", DEPARTEMENT)):
                lecture = ouvrir(navigateur, base + page)
                if niveau == "epci":
                    res["revient"].append(lecture["peinte_ms"])
                    res["aller_retour"] += [changer(navigateur, "clic", "kpis") for _ in range(2)]
                res["restyle"][niveau] += [changer(navigateur, "restyle", "carte") for _ in range(2)]
    finally:
        navigateur.quit()
    return res


def _resume(nom: str, valeurs: list[float], unite: str = "ms") -> None:
    print(
        f"{nom} : médiane {statistics.median(valeurs):.0f} {unite}, p95 {centile(valeurs, 95):.0f} {unite} "
        f"({len(valeurs)} mesures)"
    )


def main() -> None:
    import plancher

    args = arguments(__doc__.splitlines()[0], tours=6)
    app = application(args.base)
    with servir(app.server) as base:
        mesures = mesurer(base, args.tours)
    with servir(plancher.creer_app().server) as base:
        sol = mesurer_plancher(base, args.tours)
    for nom, m in (("tableau de bord", mesures), ("plancher", sol)):
        print(f"— {nom}")
        _resume("navigateur neuf → carte et KPI peints (EPCI)", [n["peinte_ms"] for n in m["neufs"]])
        _resume("JavaScript décodé avant (Ko)", [n["js_octets"] / 1024 for n in m["neufs"]], "Ko")
        _resume("visiteur qui revient", m["revient"])
        for niveau, valeurs in (m.get("repeinte") or m["restyle"]).items():
            _resume(f"filtre → carte repeinte, {niveau}", valeurs)
        for niveau, valeurs in m.get("des_la_peinture", {}).items():
            _resume(f"filtre dès la carte peinte → carte repeinte, {niveau}", valeurs)
    _resume("aller-retour d'un rappel vide", sol["aller_retour"])


if __name__ == "__main__":
    main()
