"""The schema and its migrations, on SQLite and on the PostgreSQL server, for real."""

from datetime import UTC, date, datetime

import pandas as pd
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, insert, inspect, select
from sqlalchemy.exc import IntegrityError

from dashboard.domain.vocabulaire import HORS_EPCI
from dashboard.store import donnees, migration, reference
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import (
    ActiviteMensuelle,
    ActiviteStructureMensuelle,
    Base,
    ImportLot,
    Porteur,
    Territoire,
    Vague,
)
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


# --- The monthly aggregates read at start-up ------------------------------------------------------------


COLONNES_PARENTS = ["code_region", "code_departement", "code_epci"]


def _agregats_par_read_sql(engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The aggregates as dashboard.store.donnees read them before its driver-level reading: pd.read_sql
    (SQLAlchemy's conversions), an inner join to the reference's parents, codes as categories."""
    communes, _ = donnees.reference(engine)
    parents = communes.rename(columns={"code": "code_commune"})[["code_commune", *COLONNES_PARENTS]]
    a, s = ActiviteMensuelle, ActiviteStructureMensuelle
    with engine.connect() as connection:
        activite = pd.read_sql(
            select(
                a.siren_porteur,
                a.code_commune,
                a.mois,
                a.pass_distribues,
                a.pass_utilises,
                a.pass_non_rembourses,
                a.pass_rembourses,
            ),
            connection,
        )
        structures = pd.read_sql(
            select(s.siren_porteur, s.siret, s.role, s.mois, s.code_commune, s.nb_pass).where(s.nb_pass > 0),
            connection,
        )
    resultat = []
    for table in (activite, structures):
        table = table.merge(parents, on="code_commune")
        table["code_epci"] = table["code_epci"].fillna(HORS_EPCI)
        table["mois"] = pd.to_datetime(table["mois"])
        table["mois_indice"] = (table["mois"].dt.year * 12 + table["mois"].dt.month - 1).astype("int64")
        codes = ["siren_porteur", "siret", "role", "code_commune", *COLONNES_PARENTS]
        resultat.append(table.astype({c: "category" for c in codes if c in table}))
    return resultat[0], resultat[1]


@pytest.fixture(scope="module")
def base_agregats(moteur_module):
    initialiser(moteur_module, GEO_DIR)
    with moteur_module.begin() as connection:
        connection.execute(
            insert(Porteur),
            [{"siren": s, "nom": f"Lauréat {s}", "type": "CD", "code_territoire": "44"} for s in SIRENS],
        )
    return moteur_module


SIRENS = ("224400028", "200000172", "213500002")
# Communes of the reference (29083: outside any EPCI), and one that is not in it (left out of the read).
COMMUNES = ("44109", "74042", "29083", "97411", "01001", "99999")
SIRETS = ("91000021500012", "93434855800016", "21440109300015")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    activite=st.lists(
        st.tuples(st.sampled_from(SIRENS), st.sampled_from(COMMUNES), st.integers(0, 71), st.integers(0, 5)),
        unique_by=lambda ligne: ligne[:3],
        max_size=25,
    ),
    structures=st.lists(
        st.tuples(
            st.sampled_from(SIRENS),
            st.sampled_from(SIRETS),
            st.sampled_from(("distributeur", "lieu")),
            st.integers(0, 71),
            st.sampled_from(COMMUNES),
            st.integers(0, 3),
        ),
        unique_by=lambda ligne: ligne[:4],
        max_size=25,
    ),
)
def test_sto006_agregats_lus_par_le_pilote_comme_par_read_sql(base_agregats, activite, structures):
    """The driver-level reading of the monthly aggregates (dates as text, each distinct code converted
    once) gives exactly the frames of pd.read_sql, joined and converted row by row: values, order, dtypes
    and categories; rows of a commune outside the reference and structures without passes left out."""
    engine = base_agregats
    mois = [date(2020 + i // 12, i % 12 + 1, 1) for i in range(72)]
    with engine.begin() as connection:
        connection.execute(delete(ActiviteMensuelle))
        connection.execute(delete(ActiviteStructureMensuelle))
        if activite:
            connection.execute(
                insert(ActiviteMensuelle),
                [
                    {
                        "siren_porteur": s,
                        "code_commune": c,
                        "mois": mois[m],
                        "pass_distribues": n,
                        "pass_utilises": 2 * n,
                        "pass_non_rembourses": n // 2,
                        "pass_rembourses": 0,
                    }
                    for s, c, m, n in activite
                ],
            )
        if structures:
            connection.execute(
                insert(ActiviteStructureMensuelle),
                [
                    {
                        "siren_porteur": s,
                        "siret": siret,
                        "role": r,
                        "mois": mois[m],
                        "code_commune": c,
                        "nb_pass": n,
                    }
                    for s, siret, r, m, c, n in structures
                ],
            )
    lus = donnees._lire_agregats(engine)
    attendus = _agregats_par_read_sql(engine)
    for lu, attendu in zip(lus, attendus, strict=True):
        if attendu.empty:  # read_sql leaves an empty result's columns untyped: compare the columns only
            assert lu.empty and list(lu.columns) == list(attendu.columns)
            continue
        pd.testing.assert_frame_equal(lu, attendu, check_exact=True)
