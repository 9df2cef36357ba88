"""Static security scan (bandit) of the package, in the suite so that CI runs it: no high finding."""

import json
import subprocess
import sys

from dashboard.settings import ROOT


def test_sec001_bandit_aucun_probleme_grave():
    resultat = subprocess.run(
        [sys.executable, "-m", "bandit", "-r", "dashboard", "-f", "json", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    rapport = json.loads(resultat.stdout)
    assert rapport["metrics"]["_totals"]["loc"] > 5000  # the package was scanned, not an empty folder
    graves = [
        f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
        for r in rapport["results"]
        if r["issue_severity"] == "HIGH"
    ]
    assert graves == [], "\n".join(graves)
