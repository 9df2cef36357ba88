"""The optional `vague` column of the orders file, loaded for real on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import pytest
from sqlalchemy import Engine, func, select

from dashboard.ingest.chargement import importer
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import Commande, CommandeMensuelle
from tests.conftest import GEO_DIR
from tests.integration.test_import_fichiers import assert_agregats_exacts, compter, importer_valides

CD44, EPCI = "224400028", "200000172"  # conventions of the 2019 and of the 2020 wave


@pytest.fixture
def base(moteur_vierge) -> Engine:
    initialiser(moteur_vierge, GEO_DIR)
    importer_valides(moteur_vierge, "syndicats", "laureats")
    return moteur_vierge


def _commandes(engine: Engine) -> list[tuple]:
    with engine.connect() as connection:
        lignes = connection.execute(
            select(Commande.siren_porteur, Commande.date_commande, Commande.nb_carnets, Commande.vague)
        ).all()
    return sorted((s, str(d), n, v) for s, d, n, v in lignes)


def test_vgc003_import_sans_puis_avec_la_colonne_vague(base):
    importer_valides(base, "commandes")  # the committed example: no vague column
    assert {v for *_, v in _commandes(base)} == {None}
    fichier = (
        "siren_porteur;date_commande;nb_carnets;pass_par_carnet;vague\n"
        f"{CD44};15/03/2020;7;10;2019\n"
        f"{EPCI};2020-11;3;5;2020\n"
        f"{CD44};16/03/2020;2;10;\n"
    ).encode()
    rapport = importer(base, "commandes", fichier, nom_fichier="commandes-vague.csv")
    assert rapport.accepte and rapport.avertissements == [], rapport.texte()
    assert [c for c in _commandes(base) if c[1] >= "2020-03-01"] == [
        (EPCI, "2020-09-01", 20, None),
        (EPCI, "2020-11-01", 3, 2020),
        (CD44, "2020-03-15", 7, 2019),
        (CD44, "2020-03-16", 2, None),
    ]
    with base.connect() as connection:
        total = connection.scalar(select(func.sum(CommandeMensuelle.pass_commandes)))
    assert total == 1000 + 200 + 200 + 70 + 15 + 20
    assert_agregats_exacts(base)


def test_vgc004_vague_refusee_rien_n_est_ecrit(base):
    avant = compter(base)
    fichier = (
        "siren_porteur;date_commande;nb_carnets;pass_par_carnet;vague\n"
        f"{CD44};15/03/2020;7;10;2019\n"
        f"{CD44};16/03/2020;7;10;2018\n"
        f"{CD44};17/03/2020;7;10;2020\n"
    ).encode()
    rapport = importer(base, "commandes", fichier, nom_fichier="commandes.csv")
    texte = rapport.texte()
    assert not rapport.accepte and not rapport.ecrit
    assert (
        "vague inconnue (2019 ou 2020) (1 occurrence)\n    ligne 3, colonne vague, valeur « 2018 »" in texte
    )
    assert (
        "le porteur n'a pas de convention de cette vague : importez-la d'abord (KIND laureats) (1 occurrence)"
        "\n    ligne 4, colonne vague, valeur « 2020 »"
    ) in texte
    assert "ligne 2," not in texte
    apres = compter(base)
    assert apres.pop("journal_audit") == avant.pop("journal_audit") + 1  # the refusal, audited
    assert apres == avant


def test_vgc005_tableur_cellule_numerique(base):
    classeur = openpyxl.Workbook()
    feuille = classeur.active
    feuille.append(["SIREN porteur", "Date commande", "Nb carnets", "Pass par carnet", "Vague"])
    feuille.append([int(EPCI), datetime(2021, 3, 2), 4, 10, 2020])
    feuille.append([int(CD44), datetime(2021, 3, 3), 5, 5, 2019.0])
    tampon = io.BytesIO()
    classeur.save(tampon)
    rapport = importer(base, "commandes", tampon.getvalue(), nom_fichier="commandes.xlsx")
    assert rapport.accepte, rapport.texte()
    assert _commandes(base) == [(EPCI, "2021-03-02", 4, 2020), (CD44, "2021-03-03", 5, 2019)]
