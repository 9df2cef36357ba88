"""The demo dataset, loaded by `passnum init` through the importer: the totals of `passnum indicateurs`
equal sums computed independently from the demo files (SQLite and PostgreSQL)."""

import json

import pandas as pd
import pytest
from sqlalchemy import func, select

from dashboard.demo.chargement import DemoImpossible, charger_demo
from dashboard.domain.vocabulaire import CLE_DATE_DONNEES, CLE_DEMO
from dashboard.settings import ROOT
from dashboard.store import metadonnees
from dashboard.store.db import make_engine
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import ImportLot, Porteur
from tests.conftest import GEO_DIR, lancer_passnum


def _lire(dossier, kind) -> pd.DataFrame:
    return pd.read_csv(
        dossier / f"{kind}.csv", sep=";", decimal=",", encoding="utf-8-sig", dtype={"siren": str}
    )


@pytest.fixture(scope="module")
def fichiers_demo(tmp_path_factory):
    dossier = tmp_path_factory.mktemp("demo")
    resultat = lancer_passnum(
        "demo", "--scale", "small", "--out", str(dossier), "--silencieux", url="sqlite://"
    )
    assert resultat.returncode == 0, resultat.stderr
    assert "Jeu de démonstration « small »" in resultat.stdout
    return dossier


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def url_demo(request, tmp_path_factory):
    from tests.conftest import base_postgres_temporaire

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('demo-base') / 'demo.sqlite'}"
        return
    with base_postgres_temporaire() as url:
        yield url


def test_dmo001_init_charge_la_demo_et_les_totaux_egalent_les_fichiers(fichiers_demo, url_demo):
    init = lancer_passnum("init", "--demo", "small", url=url_demo)
    assert init.returncode == 0, init.stderr
    assert "Jeu de démonstration « small » (données fictives) : chargé." in init.stdout
    assert "Distributions de pass : chargement" in init.stderr  # progress of each import step, in French

    sortie = lancer_passnum("indicateurs", "--niveau", "porteur", "--format", "json", url=url_demo)
    assert sortie.returncode == 0, sortie.stderr
    porteurs = pd.DataFrame(json.loads(sortie.stdout))

    laureats, commandes = _lire(fichiers_demo, "laureats"), _lire(fichiers_demo, "commandes")
    distributions, utilisations = _lire(fichiers_demo, "distributions"), _lire(fichiers_demo, "utilisations")
    assert len(porteurs) == laureats["siren"].nunique()
    assert porteurs["budget_total_eur"].sum() == pytest.approx(laureats["budget_total_eur"].sum())
    assert porteurs["subvention_etat_engagee_eur"].sum() == pytest.approx(
        laureats["subvention_etat_eur"].sum()
    )
    assert porteurs["subvention_etat_versee_eur"].sum() == pytest.approx(
        laureats["subvention_versee_eur"].sum()
    )
    assert porteurs["pass_commandes"].sum() == (commandes["nb_carnets"] * commandes["pass_par_carnet"]).sum()
    assert porteurs["pass_distribues"].sum() == distributions["nb_pass"].sum()
    assert porteurs["pass_utilises"].sum() == utilisations["nb_pass"].sum()

    # The territorial view counts the same activity where it happened, and splits amounts without loss.
    sortie = lancer_passnum("indicateurs", "--niveau", "departement", "--format", "json", url=url_demo)
    departements = pd.DataFrame(json.loads(sortie.stdout))
    assert departements["pass_utilises"].sum() == utilisations["nb_pass"].sum()
    assert departements["budget_total_eur"].sum() == pytest.approx(laureats["budget_total_eur"].sum())

    second = lancer_passnum("init", "--demo", "small", "--silencieux", url=url_demo)
    assert "déjà chargé" in second.stdout


def test_dmo002_pas_de_demo_dans_une_base_de_donnees_reelles(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'reelle.sqlite'}")
    initialiser(engine, GEO_DIR)
    fichier = ROOT / "tests" / "fixtures" / "imports" / "valides" / "syndicats.csv"
    from dashboard.ingest.chargement import importer

    assert importer(engine, "syndicats", fichier).accepte
    with pytest.raises(DemoImpossible, match="données réelles"):
        charger_demo(engine, GEO_DIR, "small")
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ImportLot)) == 1
        assert metadonnees.lire(connection, CLE_DEMO) is None


def test_dmo003_changer_de_jeu_de_demo_remplace_le_precedent(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    initialiser(engine, GEO_DIR)
    assert charger_demo(engine, GEO_DIR, "small")
    with engine.connect() as connection:
        avant = connection.scalar(select(func.count()).select_from(Porteur))
    assert not charger_demo(engine, GEO_DIR, "small")  # already there: nothing done
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Porteur)) == avant
        assert metadonnees.lire(connection, CLE_DEMO) == "small"
        assert metadonnees.lire(connection, CLE_DATE_DONNEES) <= "2023-12-31"
