"""The second accessibility engine: pa11y with HTML_CodeSniffer (WCAG2AA), from the npm registry
(tests/a11y/package-lock.json), on Debian's Chromium, on every page the statement audits. Any error fails
the test, but those the statement declares (dashboard.domain.accessibilite.ERREURS_PA11Y_DECLAREES)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import replace

import pytest

from dashboard import create_app
from dashboard.domain.accessibilite import ERREURS_PA11Y_DECLAREES as DECLAREES
from dashboard.domain.accessibilite import PAGES_AUDITEES
from dashboard.settings import ROOT

pytestmark = pytest.mark.browser
DOSSIER = ROOT / "tests" / "a11y"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SANS_COMPTE = {"/connexion"}
# What pa11y waits for before reading the page: its content drawn by Dash.
ATTENDRE = {"/presentation": "#presentation-diapos", "/connexion": "main form"}


@pytest.fixture(scope="session")
def pa11y() -> list[str]:
    """`npm ci` once on a clean clone (no browser downloaded: Debian's Chromium runs the pages)."""
    if not (DOSSIER / "node_modules" / "pa11y").is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"],
            cwd=DOSSIER,
            env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"},
            check=True,
            capture_output=True,
            timeout=600,
        )
    return ["node", str(DOSSIER / "auditer.mjs")]


@pytest.fixture(scope="module")
def serveurs(base_demo):
    from dash.testing.application_runners import ThreadedRunner

    with ThreadedRunner() as local, ThreadedRunner() as anonyme:
        local.start(create_app(base_demo), start_timeout=30)
        anonyme.start(create_app(replace(base_demo, compte_local=False)), start_timeout=30)
        yield {False: local.url.rstrip("/"), True: anonyme.url.rstrip("/")}


def test_rga010_pa11y_htmlcs_wcag2aa_chaque_page(pa11y, serveurs, tmp_path):
    pages = [
        {
            "url": serveurs[chemin in SANS_COMPTE] + chemin,
            "attendre": ATTENDRE.get(chemin.split("?")[0], "#_pages_content h1"),
        }
        for _, chemin in PAGES_AUDITEES
    ]
    config = tmp_path / "pa11y.json"
    config.write_text(json.dumps({"chromium": CHROMIUM, "pages": pages}), encoding="utf-8")
    sortie = subprocess.run([*pa11y, str(config)], capture_output=True, text=True, timeout=900, cwd=DOSSIER)
    assert sortie.returncode == 0, sortie.stderr[-3000:]
    resultats = json.loads(sortie.stdout)
    assert len(resultats) == len(pages)
    trouvees = {
        (url.removeprefix(serveurs[chemin in SANS_COMPTE]), e["code"], e["selector"]): e["message"]
        for (_, chemin), (url, es) in zip(PAGES_AUDITEES, resultats.items(), strict=True)
        for e in es
    }
    nouvelles = [f"{p} — {c} — {s} — {m}" for (p, c, s), m in trouvees.items() if (p, c, s) not in DECLAREES]
    assert nouvelles == [], "erreurs pa11y (HTML_CodeSniffer, WCAG2AA) :\n" + "\n".join(nouvelles)
    assert set(trouvees) == DECLAREES, "une erreur déclarée a disparu : mettre la déclaration à jour"
