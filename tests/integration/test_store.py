"""The schema and its migrations, on SQLite and on the PostgreSQL server, for real."""

from datetime import UTC, datetime

import pandas as pd
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, insert, inspect, select
from sqlalchemy.exc import IntegrityError

from dashboard.store import migration, reference
from dashboard.store.schema import Base, ImportLot, Porteur, Territoire, Vague
from tests.conftest import GEO_DIR

TABLES = {
    "territoire",
    "syndicat",
    "syndicat_membre",
    "vague",
    "porteur",
    "convention",
    "commande",
    "structure",
    "distribution",
    "utilisation",
    "import_lot",
    "activite_mensuelle",
    "commande_mensuelle",
    "metadonnee",
}


def test_sto001_migrations_donnent_exactement_le_modele(moteur_vierge):
    migration.upgrade(moteur_vierge)
    assert migration.current_revision(moteur_vierge) == migration.head_revision()
    assert set(inspect(moteur_vierge).get_table_names()) >= TABLES
    with moteur_vierge.connect() as connection:
        ecarts = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert ecarts == []


def test_sto002_vagues_du_programme(moteur_vierge):
    migration.upgrade(moteur_vierge)
    with moteur_vierge.connect() as connection:
        vagues = connection.execute(select(Vague.annee, Vague.taux_etat_min, Vague.taux_etat_max)).all()
    assert sorted(vagues) == [(2019, 0.20, 0.65), (2020, 0.50, 0.50)]


def test_sto003_reference_chargee_une_seule_fois(moteur_vierge):
    migration.upgrade(moteur_vierge)
    fichier = GEO_DIR / "territoires.csv"
    attendu = pd.read_csv(fichier, dtype=str)
    with moteur_vierge.begin() as connection:
        assert reference.charger_territoires(connection, fichier) == len(attendu)
    with moteur_vierge.begin() as connection:
        assert reference.charger_territoires(connection, fichier) == 0  # same file: nothing rewritten
        par_niveau = dict(
            connection.execute(select(Territoire.niveau, func.count()).group_by(Territoire.niveau)).all()
        )
        natures = dict(
            connection.execute(
                select(Territoire.nature, func.count())
                .where(Territoire.niveau == "epci")
                .group_by(Territoire.nature)
            ).all()
        )
        loire_atlantique = connection.execute(
            select(Territoire.nom, Territoire.code_region).where(
                Territoire.niveau == "departement", Territoire.code == "44"
            )
        ).one()
    assert par_niveau == attendu["niveau"].value_counts().to_dict()
    assert (par_niveau["region"], par_niveau["departement"]) == (18, 101)
    assert loire_atlantique == ("Loire-Atlantique", "52")
    assert set(natures) == {"CC", "CA", "CU", "ME"} and sum(natures.values()) == par_niveau["epci"]


def test_sto004_contraintes_appliquees_par_la_base(moteur_vierge):
    migration.upgrade(moteur_vierge)
    with pytest.raises(IntegrityError), moteur_vierge.begin() as connection:  # "CM" is no laureate type
        connection.execute(
            insert(Porteur).values(siren="123456789", nom="X", type="CM", code_territoire="44")
        )
    with pytest.raises(IntegrityError), moteur_vierge.begin() as connection:
        connection.execute(
            insert(ImportLot).values(
                kind="inconnu", fichier="f.csv", checksum="0" * 64, lignes=1, importe_le=datetime.now(UTC)
            )
        )


def test_sto005_montants_relus_en_euros(moteur_vierge):
    from dashboard.store.schema import Convention

    migration.upgrade(moteur_vierge)
    with moteur_vierge.begin() as connection:
        connection.execute(
            insert(Porteur).values(siren="224400028", nom="Loire-Atlantique", type="CD", code_territoire="44")
        )
        connection.execute(
            insert(Convention).values(
                siren_porteur="224400028", vague=2019, budget_total_eur=120000.5, subvention_etat_eur=68000
            )
        )
        with pytest.raises(IntegrityError), connection.begin_nested():  # subsidy above budget
            connection.execute(
                insert(Convention).values(
                    siren_porteur="224400028", vague=2019, budget_total_eur=100, subvention_etat_eur=200
                )
            )
        montants = connection.execute(
            select(Convention.budget_total_eur, Convention.subvention_etat_eur)
        ).one()
    assert montants == (120000.5, 68000.0)
