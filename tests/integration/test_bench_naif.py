"""The naive baseline of bench/ (bench/naif.py) counts what the dashboard counts: its ratios compare two
implementations of the same numbers, not a fast wrong one with a slow right one.

Except the waves: the naive code keeps the events of the laureates having a convention of the ticked
waves (a laureate of both waves counted in each), where the dashboard attributes each pass to one wave,
first in, first out (dashboard.store.attribution) — more work than the naive code does, so the ratios
of the wave-filtered states understate the gap (bench/README.md)."""

from __future__ import annotations

import sys

import pytest

from dashboard.domain.etat import lire_query
from dashboard.domain.formatage import nombre
from dashboard.settings import ROOT
from dashboard.store.db import make_engine
from dashboard.store.indicateurs import table_indicateurs

sys.path.insert(0, str(ROOT / "bench"))
import competent
import naif

QUERIES = (
    "?vue=territoires&niveau=region",
    "?vue=territoires&niveau=departement&type=CD",
    "?vue=territoires&niveau=epci&type=CD,EPCI&periode=2021-01..2022-12",
)


@pytest.mark.parametrize("reference", ["naif", "competent"])
@pytest.mark.parametrize("query", QUERIES)
def test_bch001_les_references_comptent_comme_le_tableau_de_bord(base_demo, query, reference):
    """The naive build and the competent one (bench/competent.py) count what the dashboard counts."""
    url = base_demo.resolved_database_url
    engine = make_engine(url)
    etat = lire_query(query)
    vagues = list(etat.filtres.vagues)
    if reference == "naif":
        niveau, lignes, kpis = naif.calculer(engine, query, vagues)
    else:
        niveau, lignes, kpis = competent.calculer(url, query, vagues)
    attendu = table_indicateurs(engine, etat.niveau, "territoires", etat.filtres)
    assert niveau == etat.niveau
    for colonne in ("pass_distribues", "pass_utilises"):
        assert lignes[colonne].sum() == attendu[colonne].sum() > 0, colonne
    assert kpis["Pass distribués"] == nombre(attendu["pass_distribues"].sum())
    actifs = attendu[attendu["pass_distribues"] > 0]
    assert set(actifs["code"]) <= set(lignes["code"])


def test_bch002_le_naif_renvoie_la_geometrie_dans_chaque_reponse(base_demo):
    app = naif.creer_app(base_demo.resolved_database_url)
    client = app.server.test_client()
    reponse = client.post("/_dash-update-component", json=naif.requete(app, "?vue=territoires&niveau=region"))
    assert reponse.status_code == 200
    carte = reponse.get_json()["response"]["carte"]["figure"]
    assert carte["data"][0]["geojson"]["type"] == "FeatureCollection"
