"""The font is the app's own: served from assets/ with a one-year cache, and no stylesheet fetches
anything from outside the app (the closed network would refuse it, and a State service must not leak its
visitors to a font CDN)."""

from __future__ import annotations

import re

from flask import Flask, Response

from dashboard.settings import ROOT
from dashboard.web.geometries import CACHE_LONG
from dashboard.web.polices import PREFIXE_POLICES, installer

ASSETS = ROOT / "assets"
DOSSIER_POLICE = ASSETS / "polices" / "source-sans-3-5.3.1"
URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")
IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'")\s;]+)""")


def _application() -> Flask:
    serveur = Flask(__name__)
    serveur.add_url_rule("/assets/<path:chemin>", "assets", lambda chemin: Response(b"x"))
    installer(serveur)
    return serveur


def test_dsf201_les_polices_se_gardent_un_an_le_reste_des_assets_non():
    client = _application().test_client()
    assert client.get(PREFIXE_POLICES + "source-sans-3-5.3.1/a.woff2").headers["Cache-Control"] == CACHE_LONG
    assert client.get("/assets/02-theme.css").headers.get("Cache-Control") != CACHE_LONG


def test_dsf202_aucune_feuille_de_style_ne_reference_une_adresse_exterieure():
    feuilles = sorted(ASSETS.rglob("*.css"))
    assert any(f.name == "02-theme.css" for f in feuilles)
    for feuille in feuilles:
        texte = re.sub(r"/\*.*?\*/", "", feuille.read_text(encoding="utf-8"), flags=re.S)  # not comments
        for adresse in URL.findall(texte) + IMPORT.findall(texte):
            if adresse.startswith("data:"):
                continue  # inline (Bootstrap's SVG icons: their xmlns is a name, not a request)
            assert not re.match(r"^(https?:)?//", adresse, re.I), f"{feuille.name} : {adresse}"


def test_dsf203_chaque_police_declaree_est_livree_avec_sa_licence():
    theme = (ASSETS / "02-theme.css").read_text(encoding="utf-8")
    declarees = re.findall(r'url\("(polices/[^"]+\.woff2)"\)', theme)
    assert len(declarees) == 6  # latin + latin-ext, 400/600/700
    for chemin in declarees:
        assert (ASSETS / chemin).stat().st_size > 10_000, chemin
    assert theme.count("font-display: swap") == len(declarees)
    assert sum(f.stat().st_size for f in DOSSIER_POLICE.glob("*.woff2")) < 200_000
    assert "SIL Open Font License" in (DOSSIER_POLICE / "OFL.txt").read_text(encoding="utf-8")
