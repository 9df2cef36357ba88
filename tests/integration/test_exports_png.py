"""PNG exports rendered for real by kaleido in Debian's chromium (no mocks): image size, stamp, offline
maps, one renderer per process, French errors."""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import pytest

from dashboard.exports import png as exports_png
from dashboard.exports.estampille import EnteteExport
from dashboard.exports.png import (
    figure_estampillee,
    figure_hors_ligne,
    page_rendu,
    png_figure,
    url_topojson,
)
from dashboard.settings import ROOT

pytestmark = pytest.mark.browser

GEO_DIR = ROOT / "data" / "geo"
ENTETE = EnteteExport(
    titre="Pass numérique — pass distribués",
    filtres=("Vague : 2019", "Région : Bretagne"),
    date_donnees=date(2023, 12, 23),
    source="Opérateur du Pass numérique ; ANCT",
    genere_le=datetime(2026, 11, 26, 9, 42, tzinfo=UTC),  # 10:42 in Paris
)
BARRES = {
    "data": [{"type": "bar", "x": ["Commandés", "Distribués"], "y": [120000, 90000]}],
    "layout": {"margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "paper_bgcolor": "rgba(0,0,0,0)"},
}


def taille_png(contenu: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, always the first one after the signature."""
    assert contenu[:8] == b"\x89PNG\r\n\x1a\n"
    _, type_bloc = struct.unpack(">I4s", contenu[8:16])
    assert type_bloc == b"IHDR"
    return struct.unpack(">II", contenu[16:24])


def url_departements() -> str:
    manifest = json.loads((GEO_DIR / "manifest.json").read_text(encoding="utf-8"))
    return "/geo/" + manifest["fichiers"]["departement"]


def choroplethe(geojson: str) -> dict:
    trace = {
        "type": "choropleth",
        "geojson": geojson,
        "featureidkey": "properties.code",
        "locations": ["29", "35"],
        "z": [1, 2],
    }
    return {"data": [trace], "layout": {"geo": {"visible": False, "fitbounds": "locations"}}}


def textes(figure: dict) -> str:
    layout = figure["layout"]
    return "\n".join([layout["title"]["text"], *(a["text"] for a in layout.get("annotations", []))])


# --- Rendering ------------------------------------------------------------------------------------


def test_png001_barres_en_png_de_la_taille_demandee():
    contenu = png_figure(BARRES, ENTETE, largeur=900, hauteur=500)
    assert contenu.startswith(b"\x89PNG")
    assert taille_png(contenu) == (900, 500)


def test_png002_estampille_rendue_dans_l_image():
    # Rendering is deterministic: the same figure gives the same bytes, and only the stamp differs here.
    premiere = png_figure(BARRES, ENTETE)
    assert png_figure(BARRES, ENTETE) == premiere
    assert png_figure(BARRES, replace(ENTETE, source="Autre source")) != premiere


def test_png003_un_seul_moteur_pour_des_exports_successifs():
    png_figure(BARRES, ENTETE)
    png_figure(BARRES, replace(ENTETE, titre="Deuxième export"))
    assert exports_png._demarrages == 1


def test_png004_exports_simultanes_sans_melange():
    # Dash serves callbacks from several threads: each caller must get its own image.
    entetes = [replace(ENTETE, source=f"Source {i}") for i in range(4)]
    attendues = [png_figure(BARRES, entete) for entete in entetes]
    with ThreadPoolExecutor(len(entetes)) as pool:
        obtenues = list(pool.map(lambda entete: png_figure(BARRES, entete), entetes))
    assert obtenues == attendues
    assert len(set(obtenues)) == len(entetes)


def test_png005_carte_choroplethe_rendue_hors_ligne():
    figure = choroplethe(url_departements())
    avant = json.dumps(figure, sort_keys=True)
    hors_ligne = figure_hors_ligne(figure, GEO_DIR)
    geojson = hors_ligne["data"][0]["geojson"]
    assert isinstance(geojson, dict) and geojson["type"] == "FeatureCollection"
    assert {"29", "35"} <= {f["properties"]["code"] for f in geojson["features"]}
    assert json.dumps(figure, sort_keys=True) == avant
    # plotly geo fetches the base topojson even with the base map hidden: a render that succeeds read
    # the local one (an unreachable topojsonURL makes kaleido fail with error 525).
    assert taille_png(png_figure(figure, ENTETE, geo_dir=GEO_DIR)) == (1200, 700)


def test_png006_chromium_introuvable_erreur_francaise():
    script = (
        "from dashboard.exports.estampille import EnteteExport\n"
        "from dashboard.exports.png import png_figure\n"
        "try:\n"
        "    png_figure({'data': []}, EnteteExport(titre='x'))\n"
        "except RuntimeError as exc:\n"
        "    print(exc)\n"
    )
    sortie = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "BROWSER_PATH": "/nulle/part/chromium"},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert sortie.stdout.startswith("Export PNG impossible : Chromium est introuvable"), sortie.stderr


# --- Offline --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/geo/xxx.geojson", "Géométrie introuvable"),
        ("/geo/../manifest.json", "Géométrie introuvable"),
        ("https://exemple.fr/departements.geojson", "refusée"),
    ],
)
def test_png007_geometrie_inconnue_ou_distante_refusee(url, message):
    with pytest.raises(ValueError, match=message):
        png_figure(choroplethe(url), ENTETE)


def test_png008_page_de_rendu_sans_reseau():
    page = page_rendu().generate_index()
    scripts = re.findall(r'src="([^"]+)"', page)
    assert scripts and all(s.startswith("file://") for s in scripts)
    assert "http" not in page and "mathjax" not in page.lower()
    assert "Plotly.register(" in page  # French month names on date axes
    dossier = Path(url2pathname(urlparse(url_topojson()).path))
    assert (dossier / "world_110m.json").is_file()


# --- Stamp ----------------------------------------------------------------------------------------


def test_png009_estampille_titre_filtres_date_source_heure_sans_modifier_l_entree():
    avant = json.dumps(BARRES, sort_keys=True)
    estampillee = figure_estampillee(BARRES, ENTETE)
    assert json.dumps(BARRES, sort_keys=True) == avant
    texte = textes(estampillee)
    for attendu in (
        ENTETE.titre,
        "Filtres : Vague : 2019 · Région : Bretagne",
        "Données au 23/12/2023",
        "Source : Opérateur du Pass numérique ; ANCT",
        "Généré le 26/11/2026 à 10:42",
    ):
        assert attendu in texte
    layout = estampillee["layout"]
    assert layout["separators"] == ",\u202f"
    assert layout["paper_bgcolor"] == "white"
    assert layout["margin"]["b"] > 0


def test_png010_estampille_sans_filtre_ni_date():
    texte = textes(figure_estampillee(BARRES, EnteteExport(titre="Entonnoir")))
    assert "Filtres : aucun" in texte
    assert "Date des données non renseignée" in texte


def test_png011_estampille_filtres_longs_coupes_aux_mots_et_echappes():
    filtres = tuple(f"EPCI : Communauté de communes n°{i} <Pays & Rivières>" for i in range(8))
    entete = replace(ENTETE, titre="Taux < 50 % & plus", filtres=filtres)
    estampillee = figure_estampillee(BARRES, entete)
    pied = estampillee["layout"]["annotations"][-1]["text"]
    lignes = pied.split("<br>")
    assert len(lignes) >= 4
    assert all(
        len(ligne.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")) <= 140 for ligne in lignes
    )
    assert "Communauté de communes n°7" in pied.replace("<br>", " ")  # no word cut in two
    assert "&lt;Pays &amp; Rivières&gt;" in pied
    assert "Taux &lt; 50 % &amp; plus" in estampillee["layout"]["title"]["text"]


def test_png012_titre_existant_garde_en_sous_titre():
    figure = {**BARRES, "layout": {**BARRES["layout"], "title": {"text": "Pass par mois"}}}
    titre = figure_estampillee(figure, ENTETE)["layout"]["title"]
    assert ENTETE.titre in titre["text"]
    assert titre["subtitle"]["text"] == "Pass par mois"


# --- Arguments and file name ----------------------------------------------------------------------


@pytest.mark.parametrize(("largeur", "hauteur"), [(0, 700), (1200, 50_000), (1200.5, 700)])
def test_png013_taille_invalide_refusee(largeur, hauteur):
    with pytest.raises(ValueError, match="pixels"):
        png_figure(BARRES, ENTETE, largeur=largeur, hauteur=hauteur)


def test_png014_figure_invalide_refusee():
    with pytest.raises(ValueError, match="Figure invalide"):
        png_figure({"data": "pas une liste"}, ENTETE)


# --- Every chart of every page: one stamped PNG path (issue 18) -------------------------------------


@pytest.fixture(scope="module")
def contexte_demo(base_demo):
    from dashboard import create_app

    return create_app(base_demo).server.config["PASSNUM_CONTEXTE"]


@pytest.fixture
def rendus(monkeypatch):
    """The figures the renderer received (spied on, rendered for real)."""
    recus: list[dict] = []
    rendre = exports_png._rendre

    def espion(figure, options):
        recus.append(figure)
        return rendre(figure, options)

    monkeypatch.setattr(exports_png, "_rendre", espion)
    return recus


def texte_svg(figure: dict) -> str:
    """The text drawn in the rendered image: the same figure rendered as SVG by the same renderer."""
    svg = exports_png._rendre(figure, {"format": "svg", "width": 1200, "height": 700, "scale": 1})
    return html_texte(svg.decode("utf-8") if isinstance(svg, bytes) else svg)


def html_texte(svg: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", " ", svg))


def verifier_png_estampille(fichier, figure_rendue: dict, nom: str, attendus: list[str]) -> None:
    assert fichier is not None, nom
    assert fichier.contenu[:8] == b"\x89PNG\r\n\x1a\n", nom
    assert taille_png(fichier.contenu) == (1200, 700), nom
    assert re.fullmatch(rf"pass-numerique-[a-z0-9-]*{nom}-\d{{8}}-\d{{4}}\.png", fichier.nom), fichier.nom
    dessine = " ".join(texte_svg(figure_rendue).split())
    assert re.search(r"Données au \d\d/\d\d/\d{4}", dessine), nom
    for attendu in ["Filtres :", "Source :", "DONNÉES DE DÉMONSTRATION FICTIVES", *attendus]:
        assert attendu in dessine, (nom, attendu)


@pytest.mark.parametrize("nom", ["carte", "entonnoir", "chronologie", "chronologie-cumul"])
def test_gra017_chaque_graphique_de_la_page_nationale_en_png_estampille(contexte_demo, rendus, nom):
    from dashboard.vues import nationale

    query = "?vue=territoires&niveau=departement"
    fichier = nationale.exporter(contexte_demo, query, "png", nom)
    titres = {
        "carte": "Carte",
        "entonnoir": "Du pass commandé au pass utilisé",
        "chronologie": "Activité mensuelle",
        "chronologie-cumul": "Activité mensuelle, en cumul",
    }
    attendus = [titres[nom], "Vue : territoires, niveau : departement"]
    if nom == "carte":
        attendus.append("sans donnée")  # the classes' legend, beside the map on the page, in the image
    verifier_png_estampille(fichier, rendus[-1], nom, attendus)


@pytest.mark.parametrize("nom", ["entonnoir", "chronologie", "cohortes", "distributeurs", "lieux"])
def test_gra018_chaque_graphique_d_une_page_territoire_en_png_estampille(contexte_demo, rendus, nom):
    from dashboard.vues import fiche

    fichier = fiche.exporter(contexte_demo, "departement:29", "png", nom)
    attendus = ["Finistère", "Département : Finistère (29)"]
    if nom == "cohortes":
        attendus.append("Mois après la distribution")
    verifier_png_estampille(fichier, rendus[-1], nom, attendus)


# --- Warm at start --------------------------------------------------------------------------------


@pytest.mark.parametrize("commande", ["serve", "app.py"])
def test_exr001_moteurs_chauds_au_demarrage_sans_aucun_export(tmp_path, commande):
    """`passnum serve` (in its worker, after the fork) and `python app.py` start their export renderers in
    the background: once the server answers, and without any export asked, the serving process says they
    are ready and runs them — kaleido's Chromium and the PDFs' one."""
    import time
    import urllib.request

    import psutil

    from dashboard.store.comptes import ajouter_compte
    from dashboard.store.db import make_engine
    from dashboard.store.initialisation import initialiser
    from dashboard.web.acces.mots_de_passe import hacher
    from tests.conftest import port_libre

    url = f"sqlite:///{tmp_path / 'chauffe.sqlite'}"
    engine = make_engine(url)
    initialiser(engine, GEO_DIR)
    ajouter_compte(engine, "admin@exemple.fr", "Admin", "admin", hacher("mot-de-passe-du-test"), None, "test")
    engine.dispose()
    port = port_libre()
    arguments = ["-m", "dashboard.cli", "serve", "--workers", "1"] if commande == "serve" else ["app.py"]
    env = {
        **os.environ,
        "PASSNUM_DATABASE_URL": url,
        "PASSNUM_PORT": str(port),
        "PASSNUM_SECRET_KEY": "k" * 64,
        "PASSNUM_EXPORTS_CHAUFFE": "1",
    }
    journal = tmp_path / "serveur.log"
    with journal.open("wb") as sortie:
        serveur = subprocess.Popen(
            [sys.executable, *arguments], cwd=ROOT, env=env, stdout=sortie, stderr=subprocess.STDOUT
        )
    try:
        fin = time.monotonic() + 240
        while "Moteur de rendu prêt" not in journal.read_text(errors="replace"):
            assert serveur.poll() is None and time.monotonic() < fin, journal.read_text(errors="replace")
            time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sante", timeout=30) as reponse:
            assert reponse.status == 200
        processus = psutil.Process(serveur.pid)
        servant = processus.children()[0] if commande == "serve" else processus  # gunicorn's worker
        # Two Chromiums: the PNG's and the PDF's. A start that hung under load is stopped and tried once
        # more (png._demarrer_avec_reprise): its Chromium may take a few seconds to be gone.
        fin = time.monotonic() + 30
        while len(chromiums := _navigateurs(servant)) > 2 and time.monotonic() < fin:
            time.sleep(0.5)
        assert len(chromiums) == 2, (chromiums, journal.read_text(errors="replace"))
        texte = journal.read_text(errors="replace")
        assert "_dash-update-component" not in texte and "presentation.pdf" not in texte
    finally:
        serveur.terminate()
        serveur.wait(timeout=60)
    _, restants = psutil.wait_procs(chromiums, timeout=30)  # stopped with the server, none left behind
    assert not restants


def _navigateurs(processus) -> list:
    """The main process of each Chromium under `processus` (choreographer starts it through a small
    wrapper; its helpers carry --type=…); short-lived processes gone meanwhile are skipped."""
    import psutil

    trouves = []
    for p in processus.children(recursive=True):
        try:
            if p.name() == "chromium" and not any(a.startswith("--type=") for a in p.cmdline()):
                trouves.append(p)
        except psutil.Error:
            continue
    return trouves
