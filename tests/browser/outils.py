"""Checks every page must pass in a real browser: no console error, nothing fetched from another host,
no serious or critical accessibility violation (axe-core)."""

from __future__ import annotations

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


def violations_axe(driver) -> list[str]:
    driver.execute_script(_script_axe())
    resultats = driver.execute_async_script(
        "const fini = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(fini, e => fini({erreur: String(e)}));"
    )
    assert "erreur" not in resultats, resultats
    return [
        f"{v['id']} ({v['impact']}) : {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in resultats["violations"]
        if v["impact"] in IMPACTS_BLOQUANTS
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
