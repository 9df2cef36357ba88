"""The competent baseline of bench/ (bench/competent.py) counts what the dashboard counts, like the naive
one (tests/integration/test_bench_naif.py): its ratios compare two implementations of the same numbers.
Same exception for the waves (bench/README.md)."""

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
import mesurer
import naif
import plancher


@pytest.mark.parametrize(
    "query",
    [
        "?vue=territoires&niveau=region",
        "?vue=territoires&niveau=departement&type=CD",
        "?vue=territoires&niveau=epci&type=CD,EPCI&periode=2021-01..2022-12",
    ],
)
def test_bnc001_le_competent_compte_comme_le_tableau_de_bord(base_demo, query):
    url = base_demo.resolved_database_url
    etat = lire_query(query)
    niveau, lignes, kpis = competent.calculer(url, query, list(etat.filtres.vagues))
    attendu = table_indicateurs(make_engine(url), etat.niveau, "territoires", etat.filtres)
    assert niveau == etat.niveau
    for colonne in ("pass_distribues", "pass_utilises"):
        assert lignes[colonne].sum() == attendu[colonne].sum() > 0, colonne
    assert kpis["Pass distribués"] == nombre(attendu["pass_distribues"].sum())
    actifs = attendu[attendu["pass_distribues"] > 0]
    assert set(actifs["code"]) <= set(lignes["code"])


def test_bnc002_le_competent_envoie_la_figure_entiere_sans_patch(base_demo):
    app = competent.creer_app(base_demo.resolved_database_url)
    client = app.server.test_client()
    query = "?vue=territoires&niveau=departement&vague=2019"
    reponse = client.post("/_dash-update-component", json=naif.requete(app, query))
    assert reponse.status_code == 200
    carte = reponse.get_json()["response"]["carte"]["figure"]
    assert carte["data"][0]["geojson"]["type"] == "FeatureCollection"
    assert "operations" not in carte  # a whole figure, not a Patch
    _, lignes, _ = naif.calculer(make_engine(base_demo.resolved_database_url), query, [2019])
    assert sorted(carte["data"][0]["locations"]) == sorted(lignes["code"])


def test_bnc003_le_plancher_renvoie_un_rappel_vide_et_compte_les_valeurs_seules():
    app = plancher.creer_app()
    reponse = app.server.test_client().post(
        "/_dash-update-component", json=plancher.requete_vide(app, [2019])
    )
    assert reponse.status_code == 200
    assert reponse.get_json()["response"]["kpis"]["children"] == "1 vague(s)"
    assert plancher.valeurs_seules([0.123456, None, float("nan"), 1.0]) == len("[0.1235,null,null,1.0]")


def test_bnc004_mesurer_garde_les_sections_des_autres_scripts(tmp_path):
    chemin = tmp_path / "BENCHMARKS.md"
    chemin.write_text(
        "# Mesures de performance\n\nancien tableau\n\n## Détails\n\n- ancien détail\n\n"
        "## Échelle ×10\n\n| x10 |\n\n## Prévisions : back-test\n\nMAE 12\n\n## Exports\n\nPNG 2 s\n",
        encoding="utf-8",
    )
    mesurer.ecrire(mesurer.Resultats(machine="banc"), chemin)
    texte = chemin.read_text(encoding="utf-8")
    assert [titre for titre, _ in mesurer.sections(texte)] == [
        "## Détails",
        "## Échelle ×10",
        "## Prévisions : back-test",
        "## Exports",
    ]
    assert "ancien tableau" not in texte and "ancien détail" not in texte
    assert "| x10 |" in texte and "MAE 12" in texte and "PNG 2 s" in texte
    assert "| ligne du budget | budget | SQLite | PostgreSQL | naïf | compétent | plancher |" in texte
