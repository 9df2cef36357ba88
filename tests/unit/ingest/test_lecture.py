"""Reading files as they arrive: encodings, separators, headers, XLSX sheets and typed cells."""

from __future__ import annotations

import io
from datetime import datetime

import numpy as np
import openpyxl
import pytest

from dashboard.ingest.lecture import (
    FichierIllisible,
    Limites,
    Selection,
    decoder,
    detecter_separateur,
    lire_fichier,
    normaliser_entete,
)
from dashboard.ingest.rapport import Anomalie, Collecteur, RapportImport

TEXTE = "siren;nom\n224400028;Département de Loire-Atlantique — numérique\n"


@pytest.mark.parametrize(
    ("contenu", "encodage"),
    [
        (TEXTE.encode("utf-8"), "UTF-8"),
        (b"\xef\xbb\xbf" + TEXTE.encode("utf-8"), "UTF-8 (BOM)"),
        (TEXTE.encode("cp1252"), "Windows-1252"),
        (TEXTE.replace("—", "-").encode("latin-1"), "Windows-1252"),
        (TEXTE.encode("utf-16"), "UTF-16"),
    ],
)
def test_lec001_encodages_de_bureau(contenu, encodage):
    texte, trouve = decoder(contenu)
    assert trouve == encodage
    assert "Département" in texte and not texte.startswith("\ufeff")


def test_lec002_binaire_refuse():
    with pytest.raises(FichierIllisible, match="encodage illisible"):
        decoder(b"%PDF-1.4\x00\x01\x02 binaire")
    with pytest.raises(FichierIllisible, match="ni UTF-8, ni Windows-1252"):
        decoder("café".encode("cp1252") + b"\x81")
    with pytest.raises(FichierIllisible, match="fichier vide"):
        lire_fichier(b"  \r\n", "laureats")


@pytest.mark.parametrize(
    ("entete", "separateur"),
    [("a;b;c", ";"), ("a\tb\tc", "\t"), ("a,b,c", ","), ('"nom, prénom";b;c', ";"), ("seule", ";")],
)
def test_lec003_separateur_detecte_sur_l_entete(entete, separateur):
    assert detecter_separateur(f"\n{entete}\n1,5;2,5;3\n") == separateur


@pytest.mark.parametrize(
    ("entete", "normalise"),
    [
        ("Siren porteur", "siren_porteur"),
        ("SIREN-Porteur", "siren_porteur"),
        ("  Date  commande ", "date_commande"),
        ("Fin validité", "fin_validite"),
        ("code__Commune", "code_commune"),
    ],
)
def test_lec004_entetes_normalises(entete, normalise):
    assert normaliser_entete(entete) == normalise


def test_lec005_lignes_numerotees_comme_dans_le_tableur():
    contenu = "nb_pass;nom\n\n1;a\n;\n2;« b »\n;\n".encode("cp1252")
    tableau = lire_fichier(contenu, "utilisations")
    assert tableau.lignes.tolist() == [3, 5]  # blank lines are skipped but keep their number
    assert tableau.donnees.to_dict("list") == {"nb_pass": ["1", "2"], "nom": ["a", "« b »"]}


def test_lec006_xlsx_feuille_du_kind_cellules_typees_et_formules_verbatim():
    classeur = openpyxl.Workbook()
    classeur.active.append(["autre feuille"])
    feuille = classeur.create_sheet("Distributions")
    feuille.append(["Siren porteur", "Date", "Nb pass", "Nom structure", "Code commune"])
    feuille.append([224400028, datetime(2020, 2, 3), 12.0, '=HYPERLINK("http://x";"y")', 1001])
    feuille.append([None, None, None, None, None])
    feuille.append([224400028, "03/2020", 2.5, "@SOMME(A1)", "44109"])
    tampon = io.BytesIO()
    classeur.save(tampon)
    tableau = lire_fichier(tampon.getvalue(), "distributions")
    assert tableau.description == "XLSX, feuille « Distributions »"
    assert tableau.lignes.tolist() == [2, 4]
    assert tableau.donnees.to_dict("records") == [
        {
            "siren_porteur": "224400028",
            "date": "2020-02-03",
            "nb_pass": "12",
            "nom_structure": '=HYPERLINK("http://x";"y")',
            "code_commune": "1001",
        },
        {
            "siren_porteur": "224400028",
            "date": "03/2020",
            "nb_pass": "2.5",
            "nom_structure": "@SOMME(A1)",
            "code_commune": "44109",
        },
    ]


def _trois_colonnes(entetes: list[str]) -> Selection | None:
    """What a wide export's reader asks for: two columns of a file that has `siren` and `nom`."""
    if not {"siren", "nom"} <= set(entetes):
        return None
    return Selection(frozenset({"siren", "nom"}), export=True)


def test_ban009_selection_csv_colonnes_lues_seules_et_texte_sans_guillemets():
    entete = "Siren\tC1010 - Eau\tNom\tC4530 - Numérique\r\n"
    lignes = ['252600010\tOUI\t"Inclusion 26" association\tNON\r\n', "\r\n", "212601132\tNON\tDie\t\r\n"]
    contenu = (entete + "".join(lignes)).encode("cp1252")
    tableau = lire_fichier(contenu, "syndicats", _trois_colonnes)
    assert tableau.entetes == ["Siren", "Nom"]
    assert tableau.ignorees == ["C1010 - Eau", "C4530 - Numérique"]
    assert tableau.lignes.tolist() == [2, 4]
    # No quoting: the leading quote is part of the name, not the start of a quoted field.
    assert tableau.donnees.to_dict("list") == {
        "siren": ["252600010", "212601132"],
        "nom": ['"Inclusion 26" association', "Die"],
    }
    # Another file, or no selection: every column, quotes as CSV quotes.
    ordinaire = lire_fichier(b'code;nom;autre\n1;"a;b";x\n', "syndicats", _trois_colonnes)
    assert ordinaire.ignorees == []
    assert ordinaire.donnees.to_dict("list") == {"code": ["1"], "nom": ["a;b"], "autre": ["x"]}


def test_ban010_selection_xlsx_en_flux_sans_formules_pour_un_export():
    classeur = openpyxl.Workbook()
    feuille = classeur.active
    feuille.append(["Compétence", "Siren", "Nom", *(f"C{i}" for i in range(30))])
    feuille.append(["OUI", 252600010, '=CONCAT("S";"M")', *(["NON"] * 30)])
    feuille.append(["NON", 212601132, "Die", *(["OUI"] * 30)])
    tampon = io.BytesIO()
    classeur.save(tampon)
    tableau = lire_fichier(tampon.getvalue(), "syndicats", _trois_colonnes)
    assert tableau.entetes == ["Siren", "Nom"] and len(tableau.ignorees) == 31
    # An export has no formula: a formula never computed (no cached value) is not read back as text.
    assert tableau.donnees.to_dict("list") == {"siren": ["252600010", "212601132"], "nom": ["", "Die"]}
    tout = lire_fichier(tampon.getvalue(), "syndicats")
    assert tout.donnees.shape == (2, 33) and tout.donnees["nom"].tolist() == ['=CONCAT("S";"M")', "Die"]


def test_lec007_zip_qui_n_est_pas_un_classeur():
    with pytest.raises(FichierIllisible, match="classeur XLSX illisible"):
        lire_fichier(b"PK\x03\x04pas vraiment un zip", "laureats")


def test_lec008_rapport_groupe_par_motif_et_plafonne():
    erreurs = Collecteur()

    erreurs.ajouter_masque(
        np.ones(25, bool), np.arange(2, 27), "nb_pass", ["0"] * 25, "nombre entier supérieur à 0 attendu"
    )
    erreurs.ajouter(Anomalie(None, None, None, "fichier déjà importé", "lot n° 3"))
    rapport = RapportImport(
        "utilisations",
        "u.csv",
        "x",
        25,
        erreurs.anomalies,
        [],
        False,
        None,
        comptes_erreurs=dict(erreurs.comptes),
    )
    texte = rapport.texte(limite_par_motif=3)
    assert texte.splitlines() == [
        "Import « utilisations » du fichier u.csv : REFUSÉ, 26 erreurs. Rien n'a été écrit dans la base.",
        "",
        "• nombre entier supérieur à 0 attendu (25 occurrences)",
        "    ligne 2, colonne nb_pass, valeur « 0 »",
        "    ligne 3, colonne nb_pass, valeur « 0 »",
        "    ligne 4, colonne nb_pass, valeur « 0 »",
        "    … et 22 autres lignes",
        "",
        "• fichier déjà importé (1 occurrence)",
        "    lot n° 3",
    ]
    assert not rapport.accepte


# --- Defences against hostile files: what must still be accepted as it is ---


def test_hos015_windows_1252_francais_jamais_pris_pour_un_melange():
    """The mixed-encoding check looks for UTF-8 sequences of French characters; a genuine Windows-1252
    text (capitals with accents before punctuation, œ, guillemets, apostrophes) never spells one."""
    texte = "nom\nÉTÉ… « Noël » l’œuvre — ÀÇ§°\n"
    lu, encodage = decoder(texte.encode("cp1252"))
    assert (lu, encodage) == (texte, "Windows-1252")
    with pytest.raises(FichierIllisible, match="encodages mélangés : la ligne 2 est en UTF-8, la ligne 3"):
        decoder("nom\nNoël\n".encode() + "Noël\n".encode("cp1252"))


def test_hos016_lignes_physiques_crlf_lignes_vides_et_champs_sur_plusieurs_lignes():
    contenu = b'a;b\r\n1;"x\r\ny"\r\n\r\n2;z\r\n3;"p\nq\nr"\r\n4;w\r\n'
    tableau = lire_fichier(contenu, "laureats")
    assert tableau.donnees["a"].tolist() == ["1", "2", "3", "4"]
    assert tableau.lignes.tolist() == [2, 5, 6, 9]


def test_hos017_bornes_par_defaut():
    limites = Limites()
    assert (limites.colonnes, limites.lignes, limites.cellule, limites.cellules) == (
        200,
        5_000_000,
        10_000,
        8_000_000,
    )
    assert limites.decompresse == 200 * 1024 * 1024 and limites.duree_s == 50
