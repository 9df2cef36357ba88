"""Event lines without SIRET (issue 15, item 6): kept with the name the file gives, aggregated exactly,
shown on the laureate's and the territory's pages; parts taken over all passes. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from alembic import command
from plotly.utils import PlotlyJSONEncoder
from sqlalchemy import Engine, inspect, select, text

from dashboard.components.fiche import page
from dashboard.domain.filtres import Filtres
from dashboard.ingest.chargement import importer
from dashboard.store import entites, migration
from dashboard.store.indicateurs import table_indicateurs
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import ActiviteSansSiretMensuelle, Distribution, Structure, Utilisation
from dashboard.vues.fiche import calculer_fiche, tables_export
from tests.conftest import GEO_DIR
from tests.integration.test_import_fichiers import assert_agregats_exacts, importer_valides

CD44, EPCI = "224400028", "200000172"
MEDIATHEQUE = "22440002800011"
EN_TETE_D = "siren_porteur;date;code_commune;siret_structure;nom_structure;nb_pass;public\n"
EN_TETE_U = "siren_porteur;date;code_commune;siret_lieu;nom_lieu;nb_pass\n"
# The demo's case: a structure hands out 4 000 of the département's 6 500 passes; the other lines have
# no SIRET, some with a name (on two communes), some with none (empty or blank cell).
DISTRIBUTIONS = EN_TETE_D + (
    f"{CD44};03/02/2020;44109;{MEDIATHEQUE};Médiathèque de Nantes;4000;\n"
    f"{CD44};10/02/2020;44109;;Mairie de Rezé;1000;\n"
    f"{CD44};12/03/2020;44184;;Mairie de Rezé;500;\n"
    f"{CD44};15/02/2020;44184;;;600;\n"
    f"{CD44};16/02/2020;44109;; ;400;\n"
    # The EPCI: 3 000 passes, not one line with a SIRET.
    f"{EPCI};05/10/2020;74042;;;2000;\n"
    f"{EPCI};06/10/2020;74042;;;1000;\n"
)
# Redemptions that name their place but give no SIRET.
UTILISATIONS = EN_TETE_U + (
    f"{CD44};10/02/2020;44109;44109000000015;Cyber-base Nantes;300\n"
    f"{CD44};11/02/2020;44184;;Espace numérique Saint-Nazaire;200\n"
    f"{EPCI};20/10/2020;74042;;Tiers-lieu de Bonneville;900\n"
)


# Orders covering what is distributed: the funnels are consistent.
COMMANDES = (
    "siren_porteur;date_commande;nb_carnets;pass_par_carnet\n"
    f"{CD44};15/01/2020;700;10\n"
    f"{EPCI};15/09/2020;300;10\n"
)


def _importer(engine: Engine, kind: str, contenu: str, nom: str, **options) -> None:
    rapport = importer(engine, kind, contenu.encode(), nom_fichier=nom, **options)
    assert rapport.accepte, rapport.texte()


@pytest.fixture(scope="module")
def base(moteur_module) -> Engine:
    initialiser(moteur_module, GEO_DIR)
    importer_valides(moteur_module, "syndicats", "laureats")
    _importer(moteur_module, "commandes", COMMANDES, "c.csv")
    _importer(moteur_module, "distributions", DISTRIBUTIONS, "d.csv")
    _importer(moteur_module, "utilisations", UTILISATIONS, "u.csv")
    return moteur_module


def _lignes(repartition) -> list[tuple]:
    return [(r.siret, r.nom, r.commune, r.nb_pass) for r in repartition.itertuples()]


def _texte(composant) -> str:
    return json.dumps(composant.to_plotly_json(), cls=PlotlyJSONEncoder, ensure_ascii=False)


def test_sns001_parts_sur_tous_les_pass_du_laureat(base):
    ent = entites.entite(base, "porteur", CD44)
    distributeurs = entites.repartition_structures(base, ent, "distributeur")
    assert _lignes(distributeurs) == [
        (MEDIATHEQUE, "Médiathèque de Nantes", "Nantes", 4000),
        (None, "Mairie de Rezé (nom seul, non identifié)", "2 communes", 1500),
        (None, "Non identifié (lignes sans SIRET)", "2 communes", 1000),
    ]
    assert distributeurs["part"].tolist() == pytest.approx([4000 / 6500, 1500 / 6500, 1000 / 6500])
    assert distributeurs["part"].sum() == pytest.approx(1)
    ligne = entites.indicateurs(base, ent)
    assert distributeurs["nb_pass"].sum() == ligne["pass_distribues"] == 6500
    # Only the structure with a SIRET is a structure for the indicators.
    assert ligne["structures_distributrices"] == 1


def test_sns002_laureat_sans_aucun_siret_a_ses_lignes(base):
    ent = entites.entite(base, "porteur", EPCI)
    fiche = calculer_fiche(SimpleNamespace(engine=base, geometries=None), ent)
    assert _lignes(fiche.distributeurs) == [(None, "Non identifié (lignes sans SIRET)", "Bonneville", 3000)]
    assert fiche.distributeurs["part"].tolist() == [1.0]
    assert _lignes(fiche.lieux) == [
        (None, "Tiers-lieu de Bonneville (nom seul, non identifié)", "Bonneville", 900)
    ]
    assert fiche.ligne["structures_distributrices"] == 0 and fiche.ligne["lieux_actifs"] == 0
    rendu = _texte(page(fiche))
    assert "Aucune activité enregistrée" not in rendu and "Aucun pass" not in rendu
    assert "Non identifié (lignes sans SIRET)" in rendu and "100,0" in rendu
    assert "Tiers-lieu de Bonneville (nom seul, non identifié)" in rendu
    assert "Les lignes sans SIRET sont regroupées" in rendu
    # The export is the same table.
    _, table, colonnes = tables_export(fiche)["lieux"]
    assert table["nom"].tolist() == ["Tiers-lieu de Bonneville (nom seul, non identifié)"]
    assert [c for c, _ in colonnes] == ["siret", "nom", "commune", "nb_pass", "part"]


def test_sns003_lieux_nommes_sans_siret_et_territoire(base):
    lieux = entites.repartition_structures(base, entites.entite(base, "porteur", CD44), "lieu")
    assert _lignes(lieux) == [
        ("44109000000015", "Cyber-base Nantes", "Nantes", 300),
        (None, "Espace numérique Saint-Nazaire (nom seul, non identifié)", "Saint-Nazaire", 200),
    ]
    assert lieux["part"].tolist() == pytest.approx([0.6, 0.4])
    # A territory: the lines without SIRET are counted where they happened.
    departement = entites.entite(base, "departement", "44")
    assert entites.repartition_structures(base, departement, "distributeur")["nb_pass"].tolist() == [
        4000,
        1500,
        1000,
    ]
    haute_savoie = entites.repartition_structures(base, entites.entite(base, "departement", "74"), "lieu")
    assert _lignes(haute_savoie) == [
        (None, "Tiers-lieu de Bonneville (nom seul, non identifié)", "Bonneville", 900)
    ]
    table = table_indicateurs(base, "departement", "territoires", Filtres()).set_index("code")
    assert table.loc["74", "lieux_actifs"] == 0 and table.loc["44", "lieux_actifs"] == 1


def test_sns004_lignes_brutes_et_agregats(base):
    with base.connect() as connection:
        noms = connection.execute(
            select(Distribution.siret_structure, Distribution.nom_structure, Distribution.nb_pass)
            .where(Distribution.siren_porteur == CD44)
            .order_by(Distribution.date)
        ).all()
        structure = connection.scalar(select(Structure.nom).where(Structure.siret == MEDIATHEQUE))
        lieux = connection.execute(
            select(Utilisation.nom_lieu).where(Utilisation.siret_lieu.is_(None)).order_by(Utilisation.date)
        ).scalars()
        a = ActiviteSansSiretMensuelle
        agregees = connection.execute(
            select(a.siren_porteur, a.role, a.mois, a.code_commune, a.nom, a.nb_pass).order_by(
                a.siren_porteur, a.role, a.mois, a.code_commune, a.nom
            )
        ).all()
        assert list(lieux) == ["Espace numérique Saint-Nazaire", "Tiers-lieu de Bonneville"]
    # The name of a line is kept only without SIRET (a SIRET's name is the structure's).
    assert [tuple(n) for n in noms] == [
        (MEDIATHEQUE, None, 4000),
        (None, "Mairie de Rezé", 1000),
        (None, None, 600),
        (None, None, 400),
        (None, "Mairie de Rezé", 500),
    ]
    assert structure == "Médiathèque de Nantes"
    assert sum(r.nb_pass for r in agregees if r.role == "distributeur") == 6500 - 4000 + 3000
    assert len({(r.siren_porteur, r.role, r.mois, r.code_commune, r.nom) for r in agregees}) == len(agregees)
    assert_agregats_exacts(base)


@pytest.fixture
def base_vierge(moteur_vierge) -> Engine:
    initialiser(moteur_vierge, GEO_DIR)
    importer_valides(moteur_vierge, "syndicats", "laureats")
    _importer(moteur_vierge, "commandes", COMMANDES, "c.csv")
    return moteur_vierge


def test_sns005_imports_successifs_et_remplacement_exacts(base_vierge):
    _importer(base_vierge, "distributions", DISTRIBUTIONS, "janvier.csv")
    # A second file adds to the same month, commune and name (and to the unnamed group).
    second = EN_TETE_D + f"{CD44};20/02/2020;44109;;Mairie de Rezé;7;\n{CD44};21/02/2020;44184;;;3;\n"
    _importer(base_vierge, "distributions", second, "fevrier.csv")
    assert_agregats_exacts(base_vierge)
    ent = entites.entite(base_vierge, "porteur", CD44)
    repartition = entites.repartition_structures(base_vierge, ent, "distributeur")
    assert repartition["nb_pass"].tolist() == [4000, 1507, 1003]
    # --remplacer (the same file again) rebuilds from the raw lines: the names are read back from them.
    _importer(base_vierge, "distributions", second, "fevrier.csv", remplacer=True)
    assert_agregats_exacts(base_vierge)
    apres = entites.repartition_structures(base_vierge, ent, "distributeur")
    assert apres[["siret", "nom", "nb_pass"]].equals(repartition[["siret", "nom", "nb_pass"]])


def _monter(config, engine: Engine, revision: str) -> None:
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_sns006_migration_0005_reporte_les_lignes_deja_chargees(moteur_vierge):
    """A database at 0004 with lines without SIRET: 0005 adds the columns and the table, and brings
    the lines already loaded into the new aggregate (without a name: none was kept)."""
    config = migration._config()
    with moteur_vierge.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
    with moteur_vierge.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO porteur (siren, nom, type, code_territoire) "
                "VALUES ('224400028', 'Loire-Atlantique', 'CD', '44')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO import_lot (id, kind, fichier, checksum, lignes, importe_le) "
                "VALUES (1, 'distributions', 'd.csv', 'x', 3, CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO distribution (siren_porteur, date, code_commune, nb_pass, import_lot_id, "
                "siret_structure) VALUES "
                "('224400028', '2020-02-03', '44109', 300, 1, '22440002800011'), "
                "('224400028', '2020-02-17', '44184', 150, 1, NULL), "
                "('224400028', '2020-02-28', '44184', 50, 1, NULL), "
                "('224400028', '2020-03-04', '44184', 20, 1, NULL)"
            )
        )
    assert "activite_sans_siret_mensuelle" not in inspect(moteur_vierge).get_table_names()
    _monter(config, moteur_vierge, "0005")
    assert migration.current_revision(moteur_vierge) == "0005"
    colonnes = {
        t: {c["name"] for c in inspect(moteur_vierge).get_columns(t)}
        for t in ("distribution", "utilisation", "commande")
    }
    assert "nom_structure" in colonnes["distribution"] and "nom_lieu" in colonnes["utilisation"]
    assert "vague" in colonnes["commande"]
    with moteur_vierge.connect() as connection:
        a = ActiviteSansSiretMensuelle
        lignes = connection.execute(
            select(a.siren_porteur, a.role, a.mois, a.code_commune, a.nom, a.nb_pass).order_by(a.mois)
        ).all()
    assert [(r.role, str(r.mois), r.code_commune, r.nom, r.nb_pass) for r in lignes] == [
        ("distributeur", "2020-02-01", "44184", None, 200),
        ("distributeur", "2020-03-01", "44184", None, 20),
    ]
    # And back: 0005 comes off cleanly, and on again.
    with moteur_vierge.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
    assert "activite_sans_siret_mensuelle" not in inspect(moteur_vierge).get_table_names()
    assert "vague" not in {c["name"] for c in inspect(moteur_vierge).get_columns("commande")}
    _monter(config, moteur_vierge, "0005")
    assert migration.current_revision(moteur_vierge) == "0005"
    migration.upgrade(moteur_vierge)  # and on to the latest revision
    assert migration.current_revision(moteur_vierge) == migration.head_revision()


def test_sns007_fichiers_valides_non_identifie_sur_la_fiche(base_vierge):
    """The committed example files: a distribution line with neither SIRET nor name, a redemption
    line with a blank name."""
    importer_valides(base_vierge, "distributions", "utilisations")
    cd = entites.repartition_structures(
        base_vierge, entites.entite(base_vierge, "porteur", CD44), "distributeur"
    )
    assert cd["nom"].tolist()[-1] == "Non identifié (lignes sans SIRET)" and cd["nb_pass"].tolist() == [
        500,
        150,
    ]
    epci = entites.repartition_structures(base_vierge, entites.entite(base_vierge, "porteur", EPCI), "lieu")
    assert _lignes(epci) == [(None, "Non identifié (lignes sans SIRET)", "Bonneville", 130)]
