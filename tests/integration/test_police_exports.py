"""The PNG exports are drawn in the UI's font (rendered for real by kaleido in Debian's chromium): the same
figure in "Source Sans 3" and in a family Chromium does not know differ, and the former matches a figure
drawn with that font loaded. Before the font travelled inside the SVG, both fell back to the same one."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from dashboard.exports.estampille import EnteteExport
from dashboard.exports.png import png_figure

pytestmark = pytest.mark.browser

ENTETE = EnteteExport(
    titre="Pass numérique — police",
    filtres=(),
    date_donnees=date(2023, 12, 23),
    source="Essai",
    genere_le=datetime(2026, 11, 26, 9, 42, tzinfo=UTC),
)


def _figure(famille: str) -> dict:
    return {
        "data": [{"type": "bar", "x": ["Commandés", "Distribués", "Utilisés"], "y": [3, 5, 2]}],
        "layout": {"font": {"family": famille, "size": 28}},
    }


def test_dsf501_l_export_png_est_dessine_dans_la_police_de_l_interface():
    avec = png_figure(_figure("'Source Sans 3', Arial, sans-serif"), ENTETE, 600, 400)
    sans = png_figure(_figure("'Police Inconnue', Arial, sans-serif"), ENTETE, 600, 400)
    assert avec[:8] == b"\x89PNG\r\n\x1a\n" and sans[:8] == b"\x89PNG\r\n\x1a\n"
    assert avec != sans
    assert png_figure(_figure("'Source Sans 3', Arial, sans-serif"), ENTETE, 600, 400) == avec  # stable
