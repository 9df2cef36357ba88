"""The UI's font for kaleido's page: inline, self-contained, and the script cannot break out of its tag."""

from __future__ import annotations

import base64
import re

from dashboard.exports.police import DOSSIER, FAMILLE, GRAISSES, css_police, script_page


def test_dsf401_la_police_est_embarquee_en_data_url_pour_chaque_graisse():
    css = css_police()
    regles = re.findall(r"@font-face\{(.*?)\}", css)
    assert [re.search(r"font-weight:(\d+)", r).group(1) for r in regles] == [str(g) for g in GRAISSES]
    for regle, graisse in zip(regles, GRAISSES, strict=True):
        assert f'font-family:"{FAMILLE}"' in regle
        donnees = re.search(r"base64,([A-Za-z0-9+/=]+)\)", regle).group(1)
        attendu = (DOSSIER / f"source-sans-3-latin-{graisse}-normal.woff2").read_bytes()
        assert base64.b64decode(donnees) == attendu
    assert "http" not in css and "url(polices" not in css  # nothing to fetch: an SVG image could not


def test_dsf402_le_script_ne_ferme_pas_sa_balise_avant_la_fin():
    script = script_page()
    assert script.startswith("<script>") and script.endswith("</script>")
    assert script.count("</") == 1
    assert "Plotly.toImage = function" in script and "svgToImg" in script
