"""`passnum init`: idempotent, with progress; `create_app` initialises the embedded database by itself."""

import pytest
from sqlalchemy import func, select

from dashboard import create_app
from dashboard.store import migration
from dashboard.store.db import make_engine
from dashboard.store.initialisation import BaseNonInitialisee, est_pret, initialiser
from dashboard.store.metadonnees import etat_donnees
from dashboard.store.schema import Territoire
from tests.conftest import GEO_DIR, lancer_passnum, settings_pour


def test_ini001_cli_init_idempotent_avec_progression(tmp_path):
    url = f"sqlite:///{tmp_path / 'p.sqlite'}"
    premier = lancer_passnum("init", "--demo", "none", url=url)
    assert premier.returncode == 0, premier.stderr
    assert "Géographie de référence" in premier.stderr and "100%" in premier.stderr
    assert "chargés" in premier.stdout
    second = lancer_passnum("init", "--demo", "none", url=url)
    assert second.returncode == 0, second.stderr
    assert "déjà à jour" in second.stdout
    with make_engine(url).connect() as connection:
        assert (
            connection.scalar(
                select(func.count()).select_from(Territoire).where(Territoire.niveau == "departement")
            )
            == 101
        )


def test_ini002_init_sur_postgresql(url_postgres_vierge):
    resultat = lancer_passnum("init", "--demo", "none", "--silencieux", url=url_postgres_vierge)
    assert resultat.returncode == 0, resultat.stderr
    assert est_pret(make_engine(url_postgres_vierge), GEO_DIR)


def test_ini003_geographie_absente_message_clair(tmp_path):
    with pytest.raises(FileNotFoundError, match="passnum geo build"):
        initialiser(make_engine(f"sqlite:///{tmp_path / 'x.sqlite'}"), tmp_path / "nulle-part")


def test_ini004_premier_demarrage_sqlite_s_initialise_seul(tmp_path):
    settings = settings_pour(f"sqlite:///{tmp_path / 'neuve.sqlite'}", tmp_path)
    engine = make_engine(settings.resolved_database_url)
    assert not est_pret(engine, GEO_DIR)
    create_app(settings)
    assert est_pret(engine, GEO_DIR)
    etat = etat_donnees(engine)  # the small demo, flagged as such, with its data date
    assert etat.demo == "small" and etat.date_donnees is not None
    create_app(settings)  # a second start changes nothing
    assert etat_donnees(engine) == etat


def test_ini005_postgresql_non_initialise_demande_passnum_init(url_postgres_vierge, tmp_path):
    with pytest.raises(BaseNonInitialisee, match="passnum init"):
        create_app(settings_pour(url_postgres_vierge, tmp_path))


def test_ini006_reference_modifiee_rechargee(tmp_path):
    """After a geometry rebuild the embedded database reloads the new reference on start."""
    geo = tmp_path / "geo"
    geo.mkdir()
    contenu = (GEO_DIR / "territoires.csv").read_text(encoding="utf-8")
    (geo / "territoires.csv").write_text(contenu, encoding="utf-8")
    engine = make_engine(f"sqlite:///{tmp_path / 'r.sqlite'}")
    initialiser(engine, geo)
    assert est_pret(engine, geo)
    lignes = contenu.splitlines()
    (geo / "territoires.csv").write_text("\n".join(lignes[:-1]) + "\n", encoding="utf-8")
    assert not est_pret(engine, geo)
    rapport = initialiser(engine, geo)
    assert rapport.territoires_total == len(lignes) - 2
    assert migration.current_revision(engine) == migration.head_revision()
