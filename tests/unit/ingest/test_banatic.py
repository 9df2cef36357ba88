"""The BANATIC export's form, without a database: headers, natures, member types, the file's date."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.ingest import banatic
from dashboard.ingest.lecture import lire_fichier, normaliser_entete
from dashboard.ingest.rapport import Collecteur
from dashboard.ingest.validation import Reference

ENTETE = (
    "N° SIREN\tNom du groupement\tNature juridique\tGroupement interdépartemental\tDépartement siège\t"
    "Type\tSiren membre\tNom membre\tC1010 - Eau\tC4530 - Aménagement numérique"
)


def _tableau(entete: str = ENTETE, nom: str = "x"):
    ligne = "\t".join(
        ["252600010", "SM", "SMO", "0", "26 - Drôme", "Commune", "212601132", "Die", "OUI", "NON"]
    )
    return lire_fichier(f"{entete}\r\n{ligne}\r\n".encode("cp1252"), "syndicats", banatic.selection)


def test_ban017_reconnu_par_ses_en_tetes_colonnes_utiles_seules():
    tableau = _tableau()
    assert banatic.reconnaitre(tableau)
    assert tableau.entetes == [
        "N° SIREN",
        "Nom du groupement",
        "Nature juridique",
        "Type",
        "Siren membre",
        "Nom membre",
    ]
    assert tableau.ignorees == [
        "Groupement interdépartemental",
        "Département siège",
        "C1010 - Eau",
        "C4530 - Aménagement numérique",
    ]
    assert banatic.colonnes(tableau, Collecteur())
    # Spelled otherwise, the same columns; our own format is not BANATIC's.
    assert banatic.canonique(normaliser_entete("N°SIREN")) == "n_siren"
    assert banatic.canonique(normaliser_entete("Siren du membre")) == "siren_membre"
    assert banatic.canonique(normaliser_entete("Date d'extraction")) == "date_d_extraction"
    assert banatic.selection(["siren_syndicat", "nom_syndicat", "niveau_membre", "code_membre"]) is None
    propre = lire_fichier(b"siren_syndicat;nom_syndicat;niveau_membre;code_membre\n1;a;epci;2\n", "syndicats")
    assert not banatic.reconnaitre(propre)


def test_ban018_colonne_obligatoire_absente():
    tableau = _tableau(ENTETE.replace("\tNom membre", "\tLibellé"))
    erreurs = Collecteur()
    assert not banatic.colonnes(tableau, erreurs)
    assert [a.motif for a in erreurs.anomalies] == [
        "colonne obligatoire absente du fichier BANATIC « périmètre des groupements » : Nom membre"
    ]


@pytest.mark.parametrize(
    ("nature", "syndicat_mixte"),
    [
        ("Syndicat mixte fermé", True),
        ("Syndicat mixte ouvert restreint", True),
        ("SYNDICAT MIXTE OUVERT ELARGI", True),
        ("SMF", True),
        ("SMO", True),
        ("smo élargi", True),
        ("SIVU", False),
        ("SIVOM", False),
        ("CC", False),
        ("Métropole", False),
        ("PETR", False),
        ("", False),
    ],
)
def test_ban019_syndicats_mixtes_reconnus_largement(nature, syndicat_mixte):
    assert banatic.est_syndicat_mixte(nature) is syndicat_mixte


def test_ban020_type_de_membre():
    assert [
        banatic.type_membre(t) for t in ("Commune", "GROUPEMENT", "Autre organisme", "autre", "?", "")
    ] == [
        "commune",
        "groupement",
        "autre",
        "autre",
        "",
        "",
    ]


@pytest.mark.parametrize(
    ("nom", "attendu"),
    [
        ("banatic_perimetre_2024-01-01.csv", date(2024, 1, 1)),
        ("Banatic_perimetre_20240701_national.xlsx", date(2024, 7, 1)),
        ("perimetre_groupements_01-10-2023.txt", date(2023, 10, 1)),
        ("perimetre_2024_04_01.tsv", date(2024, 4, 1)),
        ("perimetre_20241301.csv", None),  # no 13th month
        ("perimetre_2099-01-01.csv", None),  # not in the future
        ("perimetre_1234567890123.csv", None),  # digits of something else
        ("perimetre.csv", None),
    ],
)
def test_ban021_date_du_nom_du_fichier(nom, attendu):
    au, origine = banatic.date_du_fichier(nom, _tableau(), date(2026, 1, 1))
    assert au == attendu and origine == ("du nom du fichier" if attendu else "")


def test_ban022_date_d_une_colonne_avant_celle_du_nom():
    tableau = lire_fichier(
        f"{ENTETE}\tDate de référence\tDate de création\r\n"
        "252600010\tSM\tSMO\t0\t26\tCommune\t212601132\tDie\tOUI\tNON\t01/07/2024\t01/01/1990\r\n".encode(
            "cp1252"
        ),
        "syndicats",
        banatic.selection,
    )
    assert "Date de création" in tableau.ignorees  # a groupement's own date, not the file's
    au, origine = banatic.date_du_fichier("banatic_2024-01-01.csv", tableau, date(2026, 1, 1))
    assert (au, origine) == (date(2024, 7, 1), "de la colonne « Date de référence »")


def test_ban025_fichier_sans_syndicat_mixte_refuse():
    contenu = (
        f"{ENTETE}\r\n"
        "242600534\tCC du Diois\tCC\t0\t26\tCommune\t212601132\tDie\tOUI\tNON\r\n"
        "252600036\tSIVU\tSIVU\t0\t26\tCommune\t212601132\tDie\tOUI\tNON\r\n"
    )
    tableau = lire_fichier(contenu.encode("cp1252"), "syndicats", banatic.selection)
    reference = Reference(frozenset(), frozenset(), {}, frozenset(), frozenset(), frozenset())
    erreurs, infos = Collecteur(), []
    types = banatic.valider(tableau, reference, erreurs, date(2026, 1, 1), infos=infos, nom_fichier="b.tsv")
    assert types.empty
    assert [(a.motif, a.detail) for a in erreurs.anomalies] == [
        (
            "aucun syndicat mixte dans ce fichier BANATIC : rien à importer comme syndicat",
            "natures juridiques lues : CC, SIVU",
        )
    ]
