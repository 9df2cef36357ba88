"""The app through its WSGI server, without a browser: geometry serving, assets, the national page."""

import gzip
import json

import pytest

from dashboard import create_app
from dashboard.domain.vocabulaire import CLE_DATE_DONNEES, CLE_DEMO
from tests.conftest import GEO_DIR


@pytest.fixture(scope="module")
def app(base_sqlite_initialisee):
    return create_app(base_sqlite_initialisee)


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


@pytest.fixture(scope="module")
def manifest():
    return json.loads((GEO_DIR / "manifest.json").read_text(encoding="utf-8"))


def test_srv001_page_en_francais(client):
    reponse = client.get("/")
    assert reponse.status_code == 200
    assert '<html lang="fr">' in reponse.get_data(as_text=True)


@pytest.mark.parametrize("niveau", ["region", "departement", "epci"])
def test_srv002_geometrie_versionnee_compressee_cachee_un_an(client, manifest, niveau):
    nom = manifest["fichiers"][niveau]
    reponse = client.get(f"/geo/{nom}", headers={"Accept-Encoding": "gzip, deflate"})
    assert reponse.status_code == 200
    assert reponse.headers["Content-Encoding"] == "gzip"
    assert reponse.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    corps = gzip.decompress(reponse.get_data())
    assert corps == (GEO_DIR / nom).read_bytes()
    assert json.loads(corps)["type"] == "FeatureCollection"
    etag = reponse.headers["ETag"]
    assert client.get(f"/geo/{nom}", headers={"If-None-Match": etag}).status_code == 304


def test_srv003_geometrie_sans_gzip_pour_les_clients_qui_ne_le_demandent_pas(client, manifest):
    nom = manifest["fichiers"]["region"]
    reponse = client.get(f"/geo/{nom}", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in reponse.headers
    assert reponse.get_data() == (GEO_DIR / nom).read_bytes()


@pytest.mark.parametrize("chemin", ["/geo/inconnu.json", "/geo/manifest.json", "/geo/territoires.csv"])
def test_srv004_seuls_les_fichiers_du_manifeste_sont_servis(client, chemin):
    assert client.get(chemin).status_code == 404


@pytest.mark.parametrize("chemin", ["/geo/..%2Fterritoires.csv", "/geo/%2E%2E/geo/territoires.csv"])
def test_srv004b_pas_de_sortie_du_dossier_par_le_chemin(client, chemin):
    corps = client.get(chemin).get_data(as_text=True)
    assert "niveau,code,nom" not in corps


def test_srv005_fond_topojson_servi_localement(client):
    reponse = client.get("/assets/topojson/world_110m.json")
    assert reponse.status_code == 200
    assert json.loads(reponse.get_data())["type"] == "Topology"


def test_srv006_fond_topojson_versionne_garde_un_an(client):
    """The charts fetch plotly geo's world base under a versioned address, cached for a year."""
    from dashboard.components.graphique import config_graphique
    from dashboard.store.geometries import DOSSIER_TOPOJSON, URL_TOPOJSON

    assert config_graphique()["topojsonURL"] == URL_TOPOJSON
    reponse = client.get(URL_TOPOJSON + "world_110m.json", headers={"Accept-Encoding": "gzip"})
    assert reponse.status_code == 200
    assert reponse.headers["Content-Encoding"] == "gzip"
    assert reponse.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert gzip.decompress(reponse.get_data()) == (DOSSIER_TOPOJSON / "world_110m.json").read_bytes()
    etag = reponse.headers["ETag"]
    assert client.get(URL_TOPOJSON + "world_110m.json", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/topojson/00000000/world_110m.json").status_code == 404
    assert client.get(URL_TOPOJSON + "world_50m.json").status_code == 404


def _ids(composant) -> set[str]:
    """Every id in a Dash component tree."""
    trouves = set()
    pile = [composant]
    while pile:
        c = pile.pop()
        if isinstance(c, list | tuple):
            pile.extend(c)
        elif hasattr(c, "to_plotly_json"):
            if getattr(c, "id", None):
                trouves.add(c.id)
            pile.append(getattr(c, "children", None))
    return trouves


def test_srv008_badge_demo_seulement_avec_des_donnees_de_demo(tmp_path):
    from dashboard.store import metadonnees
    from dashboard.store.db import make_engine
    from dashboard.store.initialisation import initialiser
    from dashboard.web.coque import coque_de_la_visite as coque
    from tests.conftest import settings_pour

    settings = settings_pour(f"sqlite:///{tmp_path / 'b.sqlite'}", tmp_path)
    engine = make_engine(settings.resolved_database_url)
    initialiser(engine, settings.geo_dir)
    contexte = create_app(settings).server.config["PASSNUM_CONTEXTE"]
    assert "donnees-demo" not in _ids(coque(contexte))
    with engine.begin() as connection:
        metadonnees.ecrire(connection, CLE_DEMO, "small")
        metadonnees.ecrire(connection, CLE_DATE_DONNEES, "2023-12-31")
    page = coque(contexte)
    assert "donnees-demo" in _ids(page)
    assert "Données au 31/12/2023." in str(page.to_plotly_json())


def test_srv010_plotly_charge_avec_la_page_et_servi_localement(client):
    """plotly.js (reduced to our traces) comes with the page (deferred), from the app itself, under a
    versioned name cached a year, pre-compressed: dcc.Graph then finds window.Plotly."""
    from dashboard.web.scripts import PREFIXE, plotly_reduit

    url = PREFIXE + plotly_reduit()
    page = client.get("/").get_data(as_text=True)
    assert f'<script defer src="{url}"></script>' in page
    script = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert script.status_code == 200
    assert script.headers["Content-Encoding"] == "br"
    assert script.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    brut = client.get(url, headers={"Accept-Encoding": "identity"})
    assert b"plotly.js v" in brut.get_data()[:200] and "Content-Encoding" not in brut.headers
