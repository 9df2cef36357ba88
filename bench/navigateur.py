"""Browser timings of the national view on loopback (ARCHITECTURE.md budget: navigation → map painted
≤ 2.5 s; filter change → repaint ≤ 0.5 s), with Debian's chromium and chromium-driver (selenium).

    python bench/navigateur.py --base sqlite:////tmp/passnum-national.sqlite [--tours 10]

Starts the app (`create_app`, Flask's threaded server) on a free local port. "Painted" means: the
map's shapes are in the DOM, the KPIs show figures and the table shows rows. Each navigation uses a new
browser page (geometry then comes from the browser cache, as for a returning user; the first, cold
one is printed apart). A filter change ticks a wave box; it is timed inside the page, from the click to
the frame after the KPIs and the map changed. Medians and p95 are printed, never asserted.
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

PEINTE = """
return document.querySelectorAll('#carte path.choroplethlocation').length > 0
    && /\\d/.test((document.querySelector('#kpis') || {}).textContent || '')
    && document.querySelectorAll('#tableau .ag-center-cols-container [role=row]').length > 0;
"""
REPEINTE = """
// Inside the page, from the click to the frame after the KPIs or the map changed (they change in the
// same render): WebDriver's round trips (≈ 0.1 s, polling included) are not the user's wait.
const fini = arguments[arguments.length - 1];
const empreinte = () => document.querySelector('#kpis').textContent
    + [...document.querySelectorAll('#carte path.choroplethlocation')].map(p => p.style.fill).join('');
const avant = empreinte();
const t0 = performance.now();
const verifier = () => {
    if (empreinte() !== avant) {
        requestAnimationFrame(() => fini(performance.now() - t0));
    } else if (performance.now() - t0 > 30000) {
        fini(null);
    } else {
        requestAnimationFrame(verifier);
    }
};
document.querySelector('#_dbcprivate_checklist_filtre-vague_input_2019').click();
requestAnimationFrame(verifier);
"""


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
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


PAGES = [
    "/?vue=territoires&niveau=epci",
    "/?vue=territoires&niveau=departement",
    "/",
    "/?vue=territoires&niveau=region&indicateur=pass_distribues",
]


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


def mesurer(base: str, pages: list[str], tours: int, connecter: bool = True) -> dict[str, list[float]]:
    """{"premiere": [s], "navigations": [s…], "changements": [s…]}: `tours` navigations after the first,
    cold one, each followed by a wave box ticked."""
    navigateur = _navigateur()
    navigateur.set_script_timeout(60)
    if connecter:
        connecter_navigateur(navigateur, base)
    navigations, changements, premiere = [], [], []
    try:
        for tour in range(tours + 1):
            page = pages[tour % len(pages)]
            navigateur.get("about:blank")
            debut = time.perf_counter()
            navigateur.get(base + page)
            WebDriverWait(navigateur, 60, poll_frequency=0.02).until(lambda d: d.execute_script(PEINTE))
            (premiere if tour == 0 else navigations).append(time.perf_counter() - debut)
            duree_ms = navigateur.execute_async_script(REPEINTE)
            if duree_ms is None:
                raise RuntimeError(f"{page} : la carte et les KPI n'ont pas changé en 30 s")
            changements.append(duree_ms / 1000)
    finally:
        navigateur.quit()
    return {"premiere": premiere, "navigations": navigations, "changements": changements}


def main() -> None:
    args = arguments(__doc__.splitlines()[0], tours=10)
    app = application(args.base)
    with servir(app.server) as base:
        mesures = mesurer(base, PAGES, args.tours)
    print(f"première navigation (cache du navigateur vide, serveur froid) : {mesures['premiere'][0]:.2f} s")
    for nom, cle in (
        ("navigation → carte peinte", "navigations"),
        ("filtre → carte repeinte", "changements"),
    ):
        durees = mesures[cle]
        print(
            f"{nom} : médiane {statistics.median(durees):.2f} s, p95 {centile(durees, 95):.2f} s, "
            f"max {max(durees):.2f} s ({len(durees)} mesures)"
        )


if __name__ == "__main__":
    main()
