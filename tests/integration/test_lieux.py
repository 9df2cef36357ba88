"""The lieux de médiation numérique on SQLite and PostgreSQL, for real: the three formats imported, places
accepting the Pass counted per territory (by hand below), their density from territoires.csv, the CLI and
the territory page saying the same, redemption places matched to the list, the demo loading its list."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from alembic import command
from sqlalchemy import insert, inspect, select, text

from dashboard.components.fiche import page
from dashboard.domain.filtres import Filtres, Periode
from dashboard.domain.indicateurs import totaliser
from dashboard.ingest.chargement import importer
from dashboard.settings import ROOT
from dashboard.store import entites, migration
from dashboard.store.indicateurs import table_indicateurs
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import ImportLot, Lieu
from dashboard.vues.fiche import calculer_fiche, phrase_communes_sans_lieu, phrases_lieux
from tests.conftest import GEO_DIR, lancer_passnum

IMPORTS = Path(__file__).parents[1] / "fixtures" / "imports"
REELS = IMPORTS / "reels"
FICHIERS = ("lieux_v01.csv", "lieux_v02.csv", "lieux_data_inclusion.json")
POPULATION = (
    pd.read_csv(ROOT / "data" / "geo" / "territoires.csv", dtype={"code": str})
    .query("niveau == 'departement'")
    .set_index("code")["population"]
)
# Places accepting the Pass once the three files are in (see the files):
#   44: hubik-001 Nantes (conditions d'accès, then « Pass numérique »), hubik-002 Saint-Herblain (APTIC),
#       hubik-004 Rezé (conditions d'accès), carto-102 Rezé (« Pass numérique »), carto-103 Bouguenais
#       (APTIC), dora:s-17 Nantes (pass-numerique), soliguide:x9 Couëron (pass-numerique) → 7
#   35: carto-105 Rennes (« Pass numérique ») → 1 (carto-106 Bruz says nothing of the Pass)
A_LA_MAIN = {"44": 7, "35": 1}


@pytest.fixture(scope="module")
def base(moteur_module):
    """The programme's valid example files, then the three lists of places."""
    initialiser(moteur_module, GEO_DIR)
    for kind in ("syndicats", "laureats", "commandes", "distributions", "utilisations"):
        assert importer(moteur_module, kind, IMPORTS / "valides" / f"{kind}.csv").accepte
    rapports = [importer(moteur_module, "lieux", REELS / f) for f in FICHIERS]
    for rapport in rapports:
        assert rapport.accepte and rapport.ecrit, rapport.texte()
    return moteur_module, rapports


def _lieux(engine) -> pd.DataFrame:
    with engine.connect() as connection:
        return pd.read_sql(select(Lieu).order_by(Lieu.identifiant), connection).set_index("identifiant")


def test_lie030_trois_formats_importes_commune_motif_et_mise_a_jour(base):
    engine, (v01, v02, di) = base
    assert "Standard des lieux de médiation numérique v0.1" in v01.texte()
    assert (
        "(CSV UTF-8, séparateur point-virgule ; Standard des lieux de médiation numérique v0.2)"
        in v02.texte()
    )
    assert (
        "data·inclusion, schéma des services" in di.texte()
        and "4 services regroupés en 3 lieux" in di.texte()
    )
    assert "5 lieux ajoutés, 1 lieu mis à jour (même identifiant), 1 lieu gardé tel quel" in v02.texte()
    lieux = _lieux(engine)
    assert len(lieux) == 13 and lieux["accepte_pass"].sum() == 8
    assert lieux.loc["carto-102", "motif_pass"] == "dispositif Pass numérique"  # not « pass numériques… »
    assert lieux.loc["hubik-002", "motif_pass"] == "label APTIC"
    assert lieux.loc["dora:s-17", "motif_pass"] == "frais « pass-numerique »"
    assert not lieux.loc["carto-104", "accepte_pass"] and pd.isna(lieux.loc["carto-104", "motif_pass"])
    # Communes by postcode and name, a commune déléguée converted (raw code kept).
    communes = lieux["code_commune"].to_dict()
    assert {k: communes[k] for k in ("hubik-002", "hubik-004", "carto-103", "dora:s-18", "soliguide:x9")} == {
        "hubik-002": "44162",
        "hubik-004": "44143",
        "carto-103": "44020",
        "dora:s-18": "44035",
        "soliguide:x9": "44047",
    }
    assert (lieux.loc["hubik-003", "code_commune"], lieux.loc["hubik-003", "code_commune_brut"]) == (
        "44180",
        "44225",
    )
    assert lieux.loc["hubik-003", "pivot"] == "W442000123" and pd.isna(lieux.loc["hubik-003", "siret"])
    # A newer description replaces the place; an older one leaves it as it is.
    assert lieux.loc["hubik-001", "nom"] == "Cyber-base de Nantes (mise à jour)"
    assert lieux.loc["hubik-001", "motif_pass"] == "dispositif Pass numérique"
    assert lieux.loc["hubik-001", "import_lot_id"] == v02.import_lot_id
    assert lieux.loc["hubik-002", "nom"] == "Médiathèque Saint-Herblain"
    assert lieux.loc["hubik-002", "import_lot_id"] == v01.import_lot_id
    assert pd.Timestamp(lieux.loc["hubik-002", "date_maj"]).date() == date(2022, 3, 15)
    with engine.connect() as connection:
        lots = connection.execute(
            select(ImportLot.kind, ImportLot.avertissements)
            .where(ImportLot.kind == "lieux")
            .order_by(ImportLot.id)
        )
        journaux = [json.loads(a) for _, a in lots]
    assert len(journaux) == 3 and any("1 lieu gardé tel quel" in p for p in journaux[1])


def test_lie031_par_departement_egal_au_compte_a_la_main_densite_et_niveaux(base):
    engine, _ = base
    table = table_indicateurs(engine, "departement", "territoires", Filtres()).set_index("code")
    for code, n in A_LA_MAIN.items():
        assert table.loc[code, "lieux_acceptant_pass"] == n
        assert table.loc[code, "population_territoire"] == POPULATION[code]
        assert table.loc[code, "lieux_pass_pour_10000_habitants"] == pytest.approx(
            n * 10_000 / POPULATION[code]
        )
    # Ille-et-Vilaine has no activity, only a place: it gets its row. Haute-Savoie, activity and no place: 0.
    assert table.loc["35", "pass_distribues"] == 0 and table.loc["74", "lieux_acceptant_pass"] == 0
    # A count adds up across levels; the density of a selection is recomputed from the sums.
    for niveau in ("region", "departement", "epci"):
        niveau_table = table_indicateurs(engine, niveau, "territoires", Filtres())
        totaux = totaliser(niveau_table)
        assert totaux["lieux_acceptant_pass"] == 8
        assert totaux["lieux_pass_pour_10000_habitants"] == pytest.approx(
            8 * 10_000 / niveau_table["population_territoire"].sum()
        )
    # Neither the wave nor the period changes the list; the région filter keeps its places.
    for filtres in (Filtres(vagues=(2020,)), Filtres(periode=Periode(date(2021, 1, 1), None))):
        autre = table_indicateurs(engine, "departement", "territoires", filtres).set_index("code")
        assert autre.loc["44", "lieux_acceptant_pass"] == 7 and autre.loc["35", "lieux_acceptant_pass"] == 1
    bretagne = table_indicateurs(engine, "departement", "territoires", Filtres(regions=("53",)))
    assert bretagne["code"].tolist() == ["35"] and totaliser(bretagne)["lieux_acceptant_pass"] == 1
    # The porteurs view does not offer them: a place serves every laureate.
    porteurs = table_indicateurs(engine, "porteur", "porteurs", Filtres())
    assert porteurs[["lieux_acceptant_pass", "lieux_pass_pour_10000_habitants"]].isna().all().all()


def test_lie032_fiche_du_territoire_egale_a_la_cli_et_rapprochement_des_lieux(base):
    engine, _ = base
    cli = lancer_passnum(
        "indicateurs", "--niveau", "departement", "--format", "json", url=engine.url.render_as_string(False)
    )
    assert cli.returncode == 0, cli.stderr
    par_cli = {ligne["code"]: ligne for ligne in json.loads(cli.stdout)}
    assert "population_territoire" not in par_cli["44"]  # a hidden base column
    sources = SimpleNamespace(engine=engine, geometries=None)
    fiche = calculer_fiche(sources, entites.entite(engine, "departement", "44"))
    lieux = fiche.lieux_pass
    assert (
        lieux.acceptant == par_cli["44"]["lieux_acceptant_pass"] == fiche.ligne["lieux_acceptant_pass"] == 7
    )
    densite = f"{par_cli['44']['lieux_pass_pour_10000_habitants']:.2f}".replace(".", ",")
    phrases = phrases_lieux(lieux)
    assert phrases[0] == (
        f"7 lieux acceptant le Pass numérique, soit {densite} pour 10 000 habitants, liste mise à jour au "
        "01/03/2024."
    )
    # Redemption places (utilisations.csv): the Cyber-base of Nantes (140 passes) accepts the Pass; the
    # @ssociation numérique of Saint-Nazaire (40) is listed without a word of it.
    assert (lieux.lieux_utilisation, lieux.pass_utilises) == (2, 180)
    assert (lieux.acceptant_utilisation, lieux.pass_chez_acceptant) == (1, 140)
    assert (lieux.liste_sans_pass, lieux.pass_liste_sans_pass, len(lieux.hors_liste)) == (1, 40, 0)
    assert "1 lieu, 140 pass (77,8 %)" in phrases[2]
    # Saint-Nazaire's EPCI has no accepting place: its 150 passes handed out are listed.
    assert lieux.communes_sans_lieu[["code", "pass_distribues"]].values.tolist() == [["44184", 150]]
    assert phrase_communes_sans_lieu(lieux) == (
        "1 commune où 150 pass ont été distribués n'a aucun lieu acceptant le Pass dans leur EPCI."
    )
    rendu = str(page(fiche))
    assert "fiche-lieux-pass" in rendu and "fiche-communes-sans-lieu" in rendu and "Saint-Nazaire" in rendu
    haute_savoie = calculer_fiche(sources, entites.entite(engine, "departement", "74")).lieux_pass
    assert haute_savoie.acceptant == 0 and len(haute_savoie.communes_sans_lieu) == 1
    assert haute_savoie.pass_sans_siret == 130  # redeemed on lines without SIRET: not matched


def test_lie033_remplacer_region_et_liste_absente(moteur_vierge):
    initialiser(moteur_vierge, GEO_DIR)
    table = table_indicateurs(moteur_vierge, "departement", "territoires", Filtres())
    assert table.empty  # no list, no programme: no row
    premier = importer(moteur_vierge, "lieux", REELS / "lieux_v01.csv", dry_run=True)
    assert premier.accepte and not premier.ecrit
    assert importer(moteur_vierge, "lieux", REELS / "lieux_v01.csv").ecrit
    encore = importer(moteur_vierge, "lieux", REELS / "lieux_v01.csv")
    assert not encore.accepte and "déjà importé" in encore.texte()
    remplace = importer(moteur_vierge, "lieux", REELS / "lieux_v01.csv", remplacer=True)
    assert "5 lieux mis à jour (même identifiant)" in remplace.texte()
    # A regional coordinator of Bretagne imports only places of Bretagne.
    refuse = importer(moteur_vierge, "lieux", REELS / "lieux_v02.csv", region_autorisee="53")
    assert not refuse.accepte and "lieu hors de votre région (Bretagne)" in refuse.texte()
    with moteur_vierge.connect() as connection:
        assert connection.scalar(select(Lieu.id).where(Lieu.identifiant == "carto-105")) is None


def test_lie034_migration_0007_avec_des_lots_existants(moteur_vierge):
    config = migration._config()
    with moteur_vierge.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0006")
    with moteur_vierge.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO import_lot (id, kind, fichier, checksum, lignes, importe_le) "
                "VALUES (1, 'laureats', 'l.csv', 'x', 1, '2024-01-01')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO porteur (siren, nom, type, code_territoire, import_lot_id) "
                "VALUES ('224400028', 'CD 44', 'CD', '44', 1)"
            )
        )
    migration.upgrade(moteur_vierge)
    assert migration.current_revision(moteur_vierge) == migration.head_revision()
    with moteur_vierge.begin() as connection:
        connection.execute(
            insert(ImportLot).values(
                id=2,
                kind="lieux",
                fichier="l.csv",
                checksum="y",
                lignes=1,
                importe_le=pd.Timestamp("2024-01-02"),
            )
        )
    with moteur_vierge.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
    with moteur_vierge.connect() as connection:
        assert connection.execute(text("SELECT id FROM import_lot")).scalars().all() == [1]
        assert connection.scalar(text("SELECT import_lot_id FROM porteur")) == 1
    migration.upgrade(moteur_vierge)
    assert "lieu" in inspect(moteur_vierge).get_table_names()


def test_lie035_demo_liste_chargee_et_comptee(base_demo):
    """The demo's list, counted again from its file: the same figures as the territories view."""
    from dashboard.demo.generateur import generer_jeu, lire_territoires
    from dashboard.store.db import make_engine

    engine = make_engine(base_demo.resolved_database_url)
    territoires = lire_territoires(GEO_DIR)
    liste = generer_jeu("small", 2019, territoires).liste_lieux
    accepte = liste["dispositif_programmes_nationaux"].str.contains("Pass numérique") | liste[
        "formations_labels"
    ].eq("APTIC")
    departement = territoires[territoires["niveau"] == "commune"].set_index("code")["code_departement"]
    attendus = liste.loc[accepte, "code_insee"].map(departement).value_counts()
    table = table_indicateurs(engine, "departement", "territoires", Filtres()).set_index("code")
    comptes = table["lieux_acceptant_pass"]
    assert comptes[comptes > 0].sort_index().to_dict() == attendus.sort_index().astype(float).to_dict()
    assert np.isfinite(table["lieux_pass_pour_10000_habitants"]).all()
    fiche = calculer_fiche(
        SimpleNamespace(engine=engine, geometries=None), entites.entite(engine, "departement", "29")
    )
    assert fiche.lieux_pass.liste and fiche.lieux_pass.lieux_utilisation > 0


def test_lie036_choisis_sur_la_carte_de_la_vue_territoires(base_demo):
    from dashboard import create_app
    from dashboard.domain.etat import lire_query
    from dashboard.vues import nationale

    contexte = create_app(base_demo).server.config["PASSNUM_CONTEXTE"]
    densite = nationale.calculer(
        contexte, lire_query("?vue=territoires&niveau=departement&indicateur=lieux_pass_pour_10000_habitants")
    )
    assert densite.avis is None and densite.etat.indicateur == "lieux_pass_pour_10000_habitants"
    assert densite.legende.titre == "Lieux acceptant le Pass pour 10 000 habitants"  # unit said once
    (trace,) = [t for t in densite.figure["data"] if t["type"] == "choropleth"]
    assert len(set(trace["z"])) > 2  # classed
    nombre = nationale.calculer(
        contexte, lire_query("?vue=territoires&niveau=region&indicateur=lieux_acceptant_pass")
    )
    assert any(t.get("name") == "cercles" for t in nombre.figure["data"])  # a count: circles
    porteurs = nationale.calculer(contexte, lire_query("?vue=porteurs&indicateur=lieux_acceptant_pass"))
    assert porteurs.etat.indicateur != "lieux_acceptant_pass" and "vue « territoires »" in porteurs.avis
