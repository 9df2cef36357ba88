"""Checks every page must pass in a real browser: no console error, nothing fetched from another host,
no serious or critical accessibility violation (axe-core)."""

from __future__ import annotations

import time
from functools import cache
from importlib.resources import files
from urllib.parse import urlsplit

IMPACTS_BLOQUANTS = {"serious", "critical"}


def requetes_externes(driver, origine: str) -> list[str]:
    """URLs the page fetched from anywhere but the app's own origin."""
    urls = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    attendu = urlsplit(origine).netloc
    return [u for u in urls if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != attendu]


@cache
def _script_axe() -> str:
    # axe-core as shipped on PyPI by axe-playwright-python; injected into the Selenium session.
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def attendre_grilles(driver, delai: float = 30) -> None:
    """Wait until every table of the page is the real AG Grid (assets/grille-differee.js loads it after
    the map, then the grid's height follows its rows: the page below it moves) with its header cells."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, delai).until(
        lambda drv: drv.execute_script(
            "return !document.querySelector('.ag-grid-en-attente') && [...document.querySelectorAll("
            "'.ag-header-container .ag-header-row')].every(r => r.children.length > 0);"
        )
    )


# A grid axe-core can read: header cells shown, and rows that are not blocks still loading (a grid
# without any row has nothing to scroll).
GRILLE_PRETE = """
const g = document.querySelectorAll('.ag-root-wrapper')[arguments[0]];
if (!g) { return true; }
const cellules = [...g.querySelectorAll('.ag-header-container .ag-header-cell')];
const entetes = cellules.length > 0 && cellules.every(c => getComputedStyle(c).visibility !== 'hidden');
const lignes = [...g.querySelectorAll('.ag-center-cols-container .ag-row')];
return entetes && (lignes.length === 0 || lignes.some(l => !l.classList.contains('ag-row-loading')));
"""


def violations_axe(driver, impacts: frozenset | set = IMPACTS_BLOQUANTS) -> list[str]:
    from selenium.webdriver.support.ui import WebDriverWait

    # The grids are loaded after the map: axe-core must not read one while it is being drawn.
    attendre_grilles(driver)
    # ag-grid leaves its header cells hidden (visibility) until its grid has been on screen once, and its
    # rows come from the server a block at a time: axe-core would read header rows without cells and a
    # scrolling box without anything to focus. Each grid is brought into view until it has both, then
    # the page goes back to where it was.
    y = driver.execute_script("return window.scrollY;")
    grilles = "document.querySelectorAll('.ag-root-wrapper')"
    driver.execute_script(_script_axe())
    # A grid redrawn meanwhile (its header measured again) hides its header cells for a while: a
    # violation that lies only in ag-grid's header rows is read again once, the grids shown again; one
    # that stays is reported.
    for essai in range(2):
        for i in range(driver.execute_script(f"return {grilles}.length;")):
            driver.execute_script(f"{grilles}[arguments[0]].scrollIntoView();", i)
            WebDriverWait(driver, 30).until(lambda drv, i=i: drv.execute_script(GRILLE_PRETE, i))
        resultats = driver.execute_async_script(
            "const fini = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(fini, e => fini({erreur: String(e)}));"
        )
        assert "erreur" not in resultats, resultats
        graves = [v for v in resultats["violations"] if v["impact"] in impacts]
        passageres = all(
            v["id"] == "aria-required-children" and all("ag-header-row" in n["html"] for n in v["nodes"])
            for v in graves
        )
        if not graves or not passageres or essai:
            break
        time.sleep(1)
    driver.execute_async_script(
        "const fini = arguments[arguments.length - 1]; window.scrollTo(0, arguments[0]);"
        "requestAnimationFrame(() => fini());",
        y,
    )
    return [
        f"{v['id']} ({v['impact']}) : {v['help']} — "
        f"{[(n['target'], n['html'][:200]) for n in v['nodes']][:5]}"
        for v in graves
    ]


def verifier_page_saine(dash_duo, page_404: bool = False) -> None:
    """No console error, no request to another host, no serious axe-core violation. page_404: the page
    was answered with the status 404 on purpose, which the console reports once for the document."""
    erreurs = dash_duo.get_logs()
    if page_404:
        document = dash_duo.driver.current_url
        erreurs = [
            e
            for e in erreurs
            if not (
                e["source"] == "network" and e["message"].startswith(f"{document} ") and "404" in e["message"]
            )
        ]
    assert erreurs == [], f"erreurs dans la console du navigateur : {erreurs}"
    externes = requetes_externes(dash_duo.driver, dash_duo.server_url)
    assert externes == [], f"requêtes vers d'autres hôtes : {externes}"
    violations = violations_axe(dash_duo.driver)
    assert violations == [], "violations axe-core graves ou critiques :\n" + "\n".join(violations)


def agir_sur_un_chemin(driver, script_chemin: str, action: str = "survoler", delai: float = 10):
    """Hover or click a map shape found by `script_chemin` (JS returning a path element). The map may be
    redrawn meanwhile (a patch replaces its paths): the shape is looked up again on each attempt.
    Returns the hover label after a hover, True after a click."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.support.ui import WebDriverWait

    def essayer(drv):
        try:
            chemin = drv.execute_script(script_chemin)
            if chemin is None:
                return None
            geste = ActionChains(drv).move_to_element(chemin)
            if action == "cliquer":
                geste.click().perform()
                return True
            geste.perform()
            return drv.execute_script("return document.querySelector('#carte .hoverlayer').textContent")
        except StaleElementReferenceException:
            return None

    return WebDriverWait(driver, delai).until(essayer)


def script_territoire(code: str) -> str:
    """JS returning the map shape of the territory `code` (null when not drawn)."""
    return (
        "return [...document.querySelectorAll('#carte path.choroplethlocation')]"
        f".find(p => p.__data__.loc === '{code}') || null"
    )


SCRIPT_DERNIER_CHEMIN = (
    "const ps = [...document.querySelectorAll('#carte path.choroplethlocation')];"
    "return ps[ps.length - 1] || null;"
)
