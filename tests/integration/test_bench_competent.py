"""The competent baseline of bench/ (bench/competent.py) and the floor (bench/plancher.py): what they
send; that the competent build counts what the dashboard counts is checked beside the naive one
(tests/integration/test_bench_naif.py)."""

from __future__ import annotations

import sys

from dashboard.settings import ROOT
from dashboard.store.db import make_engine

sys.path.insert(0, str(ROOT / "bench"))
import competent
import mesurer
import naif
import plancher


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
