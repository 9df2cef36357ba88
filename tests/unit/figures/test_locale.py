"""plotly's French locale: its keys must be plotly.js's own strings, or the toolbar stays in English."""

import re

from dashboard.exports.png import PLOTLY_JS
from dashboard.figures.locale import LOCALE_FR


def test_gra005_chaque_cle_du_dictionnaire_est_une_chaine_de_plotly():
    # plotly.js looks its strings up as written in its source: `_(gd, "Download plot as a PNG")`.
    source = PLOTLY_JS.read_text(encoding="utf-8")
    chaines = set(re.findall(r'\([\w.]+,\s*"([^"]+)"\)', source))
    dictionnaire = LOCALE_FR["dictionary"]
    assert set(dictionnaire) <= chaines, set(dictionnaire) - chaines
    for titre in ("Download plot as a PNG", "Zoom in", "Zoom out", "Pan", "Reset axes", "Reset view"):
        assert titre in chaines and titre in dictionnaire
    assert dictionnaire["Download plot as a PNG"] == "Télécharger l'image (PNG)"
