"""The font files served by the app itself, cacheable for a year, to any visitor (the sign-in page uses
the theme too)."""

from __future__ import annotations

from dashboard import create_app
from dashboard.settings import ROOT
from dashboard.web.geometries import CACHE_LONG

FICHIER = "polices/source-sans-3-5.3.1/source-sans-3-latin-400-normal.woff2"


def test_dsf301_la_police_est_servie_par_l_application_avec_un_cache_long(base_sqlite_initialisee):
    client = create_app(base_sqlite_initialisee).server.test_client()
    reponse = client.get(f"/assets/{FICHIER}")
    assert reponse.status_code == 200
    assert reponse.headers["Cache-Control"] == CACHE_LONG
    assert reponse.data == (ROOT / "assets" / FICHIER).read_bytes()
    assert reponse.data[:4] == b"wOF2"
    theme = client.get("/assets/02-theme.css")
    assert theme.headers["Cache-Control"] == "no-cache"  # edited in place: always revalidated
    assert FICHIER in theme.get_data(as_text=True)
