"""`importer` on SQLite and PostgreSQL, for real: the bad-file corpus, loading, aggregates, journal."""

from __future__ import annotations

import io
import json
import uuid
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import Engine, create_engine, func, insert, inspect, select, text

from dashboard.ingest import agregats
from dashboard.ingest.chargement import importer
from dashboard.store.db import make_engine
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import (
    ActiviteMensuelle,
    ActiviteSansSiretMensuelle,
    ActiviteStructureMensuelle,
    Commande,
    CommandeMensuelle,
    ImportLot,
    Metadonnee,
    Porteur,
    Structure,
    Syndicat,
    Utilisation,
)
from tests.conftest import GEO_DIR, POSTGRES_URL

IMPORTS = Path(__file__).parents[1] / "fixtures" / "imports"
VALIDES = IMPORTS / "valides"
MAUVAIS = sorted(p for p in (IMPORTS / "mauvais").iterdir() if p.suffix in (".csv", ".xlsx", ".json"))
ORDRE = ("syndicats", "laureats", "commandes", "distributions", "utilisations")


def compter(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.scalar(text(f"SELECT count(*) FROM {table}"))
            for table in sorted(inspect(connection).get_table_names())
        }


def importer_valides(engine: Engine, *kinds: str) -> dict:
    rapports = {}
    for kind in kinds:
        rapports[kind] = importer(engine, kind, VALIDES / f"{kind}.csv")
        assert rapports[kind].accepte, rapports[kind].texte()
    return rapports


@pytest.fixture
def base(moteur_vierge) -> Engine:
    initialiser(moteur_vierge, GEO_DIR)
    return moteur_vierge


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def base_corpus(request, tmp_path_factory):
    """One database per engine for the whole corpus (bad files write nothing, so it can be shared):
    reference geography, and porteurs/syndicat inserted directly so that import_lot stays empty."""
    admin, nom = None, None
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('corpus') / 'corpus.sqlite'}")
    else:
        nom = f"passnum_test_{uuid.uuid4().hex[:10]}"
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{nom}"'))
        engine = make_engine(admin.url.set(database=nom).render_as_string(hide_password=False))
    initialiser(engine, GEO_DIR)
    with engine.begin() as connection:
        connection.execute(insert(Syndicat).values(siren="254400013", nom="SM numérique"))
        connection.execute(
            insert(Porteur),
            [
                {"siren": "224400028", "nom": "Loire-Atlantique", "type": "CD", "code_territoire": "44"},
                {"siren": "234400034", "nom": "Pays de la Loire", "type": "CR", "code_territoire": "52"},
            ],
        )
    yield engine
    engine.dispose()
    if admin is not None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.parametrize("fichier", MAUVAIS, ids=[p.stem for p in MAUVAIS])
def test_imp001_corpus_de_fichiers_mauvais(base_corpus, fichier):
    avant = compter(base_corpus)
    kind = fichier.stem.split("__")[0]
    rapport = importer(base_corpus, kind, fichier)
    texte = rapport.texte()
    assert not rapport.accepte and not rapport.ecrit and rapport.import_lot_id is None
    assert "REFUSÉ" in texte and "Rien n'a été écrit dans la base." in texte
    for attendu in fichier.with_suffix(".attendu").read_text(encoding="utf-8").splitlines():
        assert attendu in texte, f"« {attendu} » absent du rapport :\n{texte}"
    apres = compter(base_corpus)
    # Nothing written but the audit log's record of the refusal (that record is the point of an audit log).
    assert apres.pop("journal_audit") == avant.pop("journal_audit") + 1
    assert apres == avant
    assert avant["import_lot"] == 0


def test_imp002_rapport_plafonne_par_motif(base_corpus):
    lignes = ["siren_porteur;date;code_commune;nb_pass"]
    lignes += [f"224400028;{1 + i % 28:02d}/02/2020;44109;{i + 1},5" for i in range(12_365)]
    rapport = importer(base_corpus, "utilisations", "\n".join(lignes).encode(), nom_fichier="gros.csv")
    texte = rapport.texte()
    assert rapport.comptes_erreurs == {"nombre entier attendu (pas de décimales)": 12_365}
    assert "nombre entier attendu (pas de décimales) (12\u202f365 occurrences)" in texte
    assert "ligne 21, colonne nb_pass, valeur « 20,5 »" in texte
    assert "ligne 22," not in texte
    assert "… et 12\u202f345 autres lignes" in texte
    assert compter(base_corpus)["utilisation"] == 0


def test_imp003_sequence_complete_agregats_exacts_et_journal(base):
    rapports = importer_valides(base, *ORDRE)
    with base.connect() as connection:
        porteurs = {p.siren: p for p in connection.execute(select(Porteur))}
        assert porteurs["200000172"].sous_type == "CC" and porteurs["200000172"].type == "EPCI"
        assert porteurs["224400028"].type == "CD" and porteurs["224400028"].sous_type is None
        assert porteurs["254400013"].type == "SM" and porteurs["254400013"].code_territoire == "254400013"
        conventions = connection.execute(
            text(
                "SELECT siren_porteur, vague, budget_total_eur, subvention_etat_eur, subvention_versee_eur, "
                "pass_prevus FROM convention ORDER BY siren_porteur"
            )
        ).all()
        assert [tuple(c) for c in conventions][:2] == [
            ("200000172", 2020, 80000.0, 40000.0, None, 800),
            ("224400028", 2019, 1200000.0, 600000.0, 300000.5, 12000),
        ]
        commandes = connection.execute(
            select(
                CommandeMensuelle.siren_porteur,
                CommandeMensuelle.mois,
                CommandeMensuelle.pass_commandes,
                CommandeMensuelle.montant_eur,
            ).order_by(CommandeMensuelle.siren_porteur, CommandeMensuelle.mois)
        ).all()
        assert [tuple(c) for c in commandes] == [
            ("200000172", date(2020, 9, 1), 200, 2000.0),
            ("224400028", date(2020, 1, 1), 1000, 10000.0),
            ("224400028", date(2020, 2, 1), 200, 2000.0),
        ]
        lots = connection.execute(select(ImportLot).order_by(ImportLot.id)).all()
        date_donnees = connection.scalar(select(Metadonnee.valeur).where(Metadonnee.cle == "date_donnees"))
        nom = connection.scalar(select(Structure.nom).where(Structure.siret == "22440002800011"))
    assert [lot.kind for lot in lots] == list(ORDRE)
    assert [lot.lignes for lot in lots] == [3, 4, 3, 4, 4]
    assert all(lot.utilisateur is None and lot.remplace_lot_id is None for lot in lots)
    assert date_donnees == "2020-10-20"
    assert nom == '=HYPERLINK("http://exemple.fr";"Médiathèque")'  # stored verbatim, never evaluated
    # The funnel of the EPCI is inconsistent (130 redeemed for 120 distributed): accepted, warned, journaled.
    entonnoir = "entonnoir incohérent : plus de pass utilisés que distribués"
    assert [a.valeur for a in rapports["utilisations"].avertissements if a.motif == entonnoir] == [
        "200000172"
    ]
    assert json.loads(lots[-1].avertissements) == [
        "colonne siren_porteur, valeur « 200000172 » : "
        + entonnoir
        + " (CC Faucigny - Glières : 130 utilisés pour "
        "120 distribués)"
    ]
    assert "Avertissements (1), acceptés" in rapports["utilisations"].texte()
    assert_agregats_exacts(base)


def assert_agregats_exacts(engine: Engine) -> None:
    """The incrementally maintained aggregates equal a full recomputation from the raw tables."""
    modeles = (CommandeMensuelle, ActiviteMensuelle, ActiviteStructureMensuelle, ActiviteSansSiretMensuelle)

    def lire() -> dict[str, list]:
        with engine.connect() as connection:
            return {
                m.__tablename__: sorted(
                    # Every column but a surrogate key (rows are rewritten); NULL names sort first.
                    tuple("" if v is None else v for v in ligne)
                    for ligne in connection.execute(select(*(c for c in m.__table__.c if c.name != "id")))
                )
                for m in modeles
            }

    maintenus = lire()
    with engine.begin() as connection:
        sirens = list(connection.scalars(select(Porteur.siren)))
        agregats.recalculer_commandes(connection, sirens)
        agregats.recalculer_activite(connection, sirens)
        for table, role in ((agregats.Distribution, "distributeur"), (Utilisation, "lieu")):
            agregats.recalculer_structures(connection, sirens, table, role)
    assert maintenus == lire()
    with engine.connect() as connection:
        for table, colonne in (("distribution", "pass_distribues"), ("utilisation", "pass_utilises")):
            brut = connection.scalar(text(f"SELECT coalesce(sum(nb_pass), 0) FROM {table}"))
            assert (
                connection.scalar(select(func.coalesce(func.sum(getattr(ActiviteMensuelle, colonne)), 0)))
                == brut
            )


def test_imp004_dry_run_n_ecrit_rien_et_remplacer_remplace(base):
    importer_valides(base, "syndicats", "laureats")
    avant = compter(base)
    essai = importer(base, "utilisations", VALIDES / "utilisations.csv", dry_run=True)
    assert essai.accepte and not essai.ecrit and essai.import_lot_id is None
    assert "Validation seule : rien n'a été écrit." in essai.texte()
    assert [a.valeur for a in essai.avertissements] == ["200000172", "224400028"]  # same verdict as for real
    assert compter(base) == avant

    premier = importer(base, "utilisations", VALIDES / "utilisations.csv")
    refus = importer(base, "utilisations", VALIDES / "utilisations.csv")
    assert not refus.accepte and "fichier déjà importé (même contenu)" in refus.texte()
    assert f"lot n° {premier.import_lot_id} du" in refus.texte()
    second = importer(base, "utilisations", VALIDES / "utilisations.csv", remplacer=True)
    assert second.accepte and second.import_lot_id != premier.import_lot_id
    with base.connect() as connection:
        assert (
            connection.scalar(select(ImportLot.remplace_lot_id).where(ImportLot.id == second.import_lot_id))
            == premier.import_lot_id
        )
        lots = connection.execute(
            select(Utilisation.import_lot_id, func.count()).group_by(Utilisation.import_lot_id)
        )
        assert dict(lots.all()) == {second.import_lot_id: 4}
    apres = compter(base)
    assert apres["import_lot"] == avant["import_lot"] + 2
    assert apres["utilisation"] == 4
    assert_agregats_exacts(base)


def test_imp005_tableur_enregistre_par_excel_francais(base):
    importer_valides(base, "syndicats", "laureats")
    # Windows-1252, semicolons, accents and capitals in headers, NBSP thousands, decimal commas.
    csv = (
        "Siren porteur;Date commande;Nb carnets;Pass par carnet;Valeur faciale EUR;Fin validité;Remarque\r\n"
        "224400028;15/01/2020;1\u00a0200;10;10,00;31/12/2030;Première commande\r\n"
        "200000172;03/2020;15;5;10,0;;\r\n"
        ";;;;;;\r\n"
    ).encode("cp1252")
    rapport_csv = importer(base, "commandes", csv, nom_fichier="Commandes 2020.csv")
    assert rapport_csv.accepte, rapport_csv.texte()
    assert rapport_csv.description == "CSV Windows-1252, séparateur point-virgule"
    assert [a.colonne for a in rapport_csv.avertissements] == ["Remarque"]

    classeur = openpyxl.Workbook()
    classeur.active.title = "Lisez-moi"
    feuille = classeur.create_sheet("Commandes")
    feuille.append(["SIREN-Porteur", "Date_Commande", "NB CARNETS", "Pass par carnet", "Fin validité"])
    feuille.append([224400028, datetime(2021, 3, 2), 50.0, 5, datetime(2031, 12, 31)])
    tampon = io.BytesIO()
    classeur.save(tampon)
    rapport_xlsx = importer(base, "commandes", tampon.getvalue(), nom_fichier="commandes.xlsx")
    assert rapport_xlsx.accepte, rapport_xlsx.texte()
    assert rapport_xlsx.description == "XLSX, feuille « Commandes »"
    with base.connect() as connection:
        lignes = connection.execute(
            select(
                Commande.siren_porteur,
                Commande.date_commande,
                Commande.nb_carnets,
                Commande.pass_par_carnet,
                Commande.valeur_faciale_eur,
                Commande.fin_validite,
            ).order_by(Commande.id)
        ).all()
    assert sorted(map(tuple, lignes)) == [
        ("200000172", date(2020, 3, 1), 15, 5, 10.0, None),
        ("224400028", date(2020, 1, 15), 1200, 10, 10.0, date(2030, 12, 31)),
        ("224400028", date(2021, 3, 2), 50, 5, 10.0, date(2031, 12, 31)),
    ]
    assert_agregats_exacts(base)


def test_imp006_progression_et_erreur_sans_ecriture(base):
    importer_valides(base, "syndicats", "laureats")
    etapes = []
    rapport = importer(
        base,
        "distributions",
        VALIDES / "distributions.csv",
        progression=lambda e, f, t: etapes.append((e, f, t)),
    )
    assert rapport.accepte
    assert etapes[0] == ("lecture", 0, 1)
    assert ("chargement", 4, 4) in etapes and etapes[-1] == ("agrégats", 1, 1)
    avant = compter(base)
    donnees = pd.read_csv(VALIDES / "distributions.csv", sep=";", dtype=str, keep_default_na=False)
    donnees.loc[3, "nb_pass"] = "-3"
    rapport = importer(
        base, "distributions", donnees.to_csv(sep=";", index=False).encode(), nom_fichier="d.csv"
    )
    assert rapport.erreurs[0].ligne == 5 and rapport.erreurs[0].valeur == "-3"
    apres = compter(base)
    assert apres.pop("journal_audit") == avant.pop("journal_audit") + 1  # the refusal, audited
    assert apres == avant
