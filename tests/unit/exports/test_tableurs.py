import csv
import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain.texte import neutraliser_formule
from dashboard.exports.estampille import EnteteExport
from dashboard.exports.tableurs import export_csv, export_xlsx

COLONNES = [
    ("nom", "Nom"),
    ("pass_distribues", "Pass distribués"),
    ("taux_utilisation", "Taux d'utilisation"),
    ("subvention_etat_engagee_eur", "Subvention État engagée (€)"),
    ("euros_etat_par_habitant", "€ État par habitant"),
    ("derniere_activite", "Dernière activité"),
]
META = EnteteExport(
    titre="Pass numérique — départements",
    filtres=("Vague : 2019", "Région : Bretagne"),
    date_donnees=date(2023, 12, 31),
    source="Opérateur du Pass numérique ; ANCT",
    genere_le=datetime(2024, 1, 15, 9, 30),
)


def _table():
    return pd.DataFrame(
        {
            "code": ["29", "35", "56"],
            "nom": ["Finistère", '=HYPERLINK("http://x","y")', "Morbihan"],
            "pass_distribues": [1234567.0, 0.0, float("nan")],
            "taux_utilisation": [0.6172, -0.5, float("nan")],
            "subvention_etat_engagee_eur": [68000.0, 1234.5, 0.0],
            "euros_etat_par_habitant": [0.0655, 1.0, float("nan")],
            "derniere_activite": pd.to_datetime(["2023-12-01", "2023-11-01", None]),
        }
    )


def _lire_csv(contenu: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(contenu.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_exp001_csv_bom_crlf_point_virgule():
    contenu = export_csv(_table(), COLONNES, META)
    assert contenu.startswith(b"\xef\xbb\xbf")
    texte = contenu[3:].decode("utf-8")
    assert texte.count("\r\n") == len(texte.splitlines()) and "\n" not in texte.replace("\r\n", "")
    assert texte.splitlines()[0] == "Pass numérique — départements"


def test_exp002_csv_tampon_au_dessus_du_tableau():
    lignes = _lire_csv(export_csv(_table(), COLONNES, META))
    assert lignes[:7] == [
        ["Pass numérique — départements"],
        ["Filtres", "Vague : 2019"],
        ["", "Région : Bretagne"],
        ["Date des données", "31/12/2023"],
        ["Source", "Opérateur du Pass numérique ; ANCT"],
        ["Généré le", "15/01/2024 09:30"],
        [],
    ]
    assert lignes[7] == [entete for _, entete in COLONNES]


def test_exp003_csv_nombres_virgule_decimale_sans_separateur_de_milliers():
    lignes = _lire_csv(export_csv(_table(), COLONNES, META))[8:]
    # € per inhabitant to the cent, as shown (0,0655 → 0,07)
    assert lignes[0] == ["Finistère", "1234567", "0,617", "68000", "0,07", "01/12/2023"]
    assert lignes[1][1:] == ["0", "-0,5", "1234,5", "1", "01/11/2023"]  # a negative number stays a number
    assert lignes[2] == ["Morbihan", "", "", "0", "", ""]  # no data: empty, never 0


def test_exp004_csv_formules_neutralisees_partout():
    meta = EnteteExport(titre="=1+1", filtres=("@SUM(A1)",), source="-2+3", genere_le=datetime(2024, 1, 1))
    colonnes = [("nom", "+entête"), ("code", "Code")]
    lignes = _lire_csv(export_csv(_table(), colonnes, meta))
    assert (
        lignes[0] == ["'=1+1"] and lignes[1] == ["Filtres", "'@SUM(A1)"] and lignes[3] == ["Source", "'-2+3"]
    )
    assert lignes[2] == ["Date des données", "non renseignée"]
    assert lignes[6] == ["'+entête", "Code"]
    assert lignes[8] == ['\'=HYPERLINK("http://x","y")', "35"]


def test_exp005_csv_sans_filtre_et_colonne_absente():
    meta = EnteteExport(titre="T", genere_le=datetime(2024, 1, 1))
    assert _lire_csv(export_csv(_table(), COLONNES, meta))[1] == ["Filtres", "aucun"]
    with pytest.raises(ValueError, match="Colonnes absentes de la table à exporter : inconnue"):
        export_csv(_table(), [("inconnue", "X")], meta)


def _classeur() -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(io.BytesIO(export_xlsx(_table(), COLONNES, META))).active


def test_exp010_xlsx_tampon_et_entete_en_gras_fige():
    feuille = _classeur()
    assert [feuille.cell(r, 1).value for r in range(1, 7)] == [
        "Pass numérique — départements",
        "Filtres",
        None,
        "Date des données",
        "Source",
        "Généré le",
    ]
    assert [feuille.cell(r, 2).value for r in (2, 3)] == ["Vague : 2019", "Région : Bretagne"]
    assert feuille["B4"].value == datetime(2023, 12, 31) and feuille["B4"].number_format == "DD/MM/YYYY"
    assert feuille["B6"].value == datetime(2024, 1, 15, 9, 30)
    assert [c.value for c in feuille[8]] == [entete for _, entete in COLONNES]
    assert all(c.font.bold for c in feuille[8])
    assert feuille.freeze_panes == "A9"
    assert feuille.auto_filter.ref == "A8:F11"


def test_exp011_xlsx_vrais_nombres_dates_et_pourcentages():
    feuille = _classeur()
    finistere, neutralise, morbihan = feuille[9], feuille[10], feuille[11]
    assert [c.value for c in finistere] == [
        "Finistère",
        1234567,
        0.617,
        68000,
        0.07,
        datetime(2023, 12, 1),
    ]
    assert [c.number_format for c in finistere[1:]] == [
        "#,##0",
        "0.0%",
        '#,##0 "€"',
        '#,##0.00 "€"',
        "DD/MM/YYYY",
    ]
    assert neutralise[0].value == '\'=HYPERLINK("http://x","y")' and neutralise[0].data_type == "s"
    assert neutralise[2].value == -0.5
    assert [c.value for c in morbihan] == ["Morbihan", None, None, 0, None, None]


def test_exp012_xlsx_largeurs_de_colonnes():
    feuille = _classeur()
    largeurs = [feuille.column_dimensions[lettre].width for lettre in "ABCDEF"]
    assert largeurs[0] == 29  # the neutralised formula, 27 characters, + 2
    assert largeurs[3] == len("Subvention État engagée (€)") + 2
    assert all(10 <= largeur <= 60 for largeur in largeurs)


def test_exp013_xlsx_formules_neutralisees_dans_le_tampon():
    meta = EnteteExport(titre="=cmd|' /C calc'!A0", filtres=("=1",), genere_le=datetime(2024, 1, 1))
    feuille = openpyxl.load_workbook(io.BytesIO(export_xlsx(_table(), [("nom", "=Nom")], meta))).active
    assert feuille["A1"].value == "'=cmd|' /C calc'!A0" and feuille["B2"].value == "'=1"
    assert feuille["A7"].value == "'=Nom"
    assert not any(c.data_type == "f" for ligne in feuille.iter_rows() for c in ligne)


def test_exp014_heure_utc_ecrite_en_heure_de_paris():
    from datetime import UTC

    meta = EnteteExport(titre="T", genere_le=datetime(2024, 7, 1, 8, 5, tzinfo=UTC))  # summer: UTC+2
    assert _lire_csv(export_csv(_table(), COLONNES, meta))[4] == ["Généré le", "01/07/2024 10:05"]
    feuille = openpyxl.load_workbook(io.BytesIO(export_xlsx(_table(), COLONNES, meta))).active
    assert (
        feuille["B5"].value == datetime(2024, 7, 1, 10, 5)
        and feuille["B5"].number_format == "DD/MM/YYYY HH:MM"
    )


def test_exp015_nom_de_fichier_ascii_heure_de_paris():
    from datetime import UTC, datetime

    from dashboard.exports.estampille import nom_fichier

    moment = datetime(2026, 11, 26, 9, 42, tzinfo=UTC)
    assert (
        nom_fichier(["Finistère", "lieux"], "csv", moment)
        == "pass-numerique-finistere-lieux-20261126-1042.csv"
    )
    assert nom_fichier(["  Carte : Île-de-France !", ""], "png", moment).startswith(
        "pass-numerique-carte-ile-de-france-"
    )


DANGEREUX = ['=HYPERLINK("http://x","clic")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", " =1", "＝1"]
INOFFENSIFS = ["Conseil départemental de l'Ain", "Saint-Brieuc Armor Agglomération"]


def _table_injection():
    noms = DANGEREUX + INOFFENSIFS
    return pd.DataFrame(
        {
            "nom": noms,
            "solde": [-1234.5, -3.0, -0.25, 0.0, 12.0, -1.0, -7.5, -42.0, -0.5],
            "ecart": [-2, -1, 0, 1, -5, -6, -7, -8, -9],  # int64
            "exact": [Decimal("-1234.50"), Decimal("-3"), *[Decimal("-0.25")] * (len(noms) - 2)],
        }
    )


COLONNES_INJECTION = [("nom", "Nom"), ("solde", "Solde"), ("ecart", "Écart"), ("exact", "Exact")]


@pytest.mark.parametrize(
    "texte",
    [*DANGEREUX, "\r=1", "  \t@x", "\u00a0=1", "＋1", "－1", "＠x", "-", "@"],
)
def test_exp016_texte_qui_commence_comme_une_formule_prefixe_d_une_apostrophe(texte):
    assert neutraliser_formule(texte) == "'" + texte


@pytest.mark.parametrize("texte", [*INOFFENSIFS, "", "   ", "A=1", "Ain - Bresse", "L'@telier", "1-2"])
def test_exp017_texte_ordinaire_inchange(texte):
    assert neutraliser_formule(texte) == texte


def test_exp018_csv_noms_neutralises_nombres_negatifs_intacts():
    lignes = _lire_csv(export_csv(_table_injection(), COLONNES_INJECTION, META))[8:]
    assert [ligne[0] for ligne in lignes] == ["'" + nom for nom in DANGEREUX] + INOFFENSIFS
    assert [ligne[1:] for ligne in lignes[:3]] == [
        ["-1234,5", "-2", "-1234,50"],
        ["-3", "-1", "-3"],
        ["-0,25", "0", "-0,25"],
    ]
    assert not any(c.startswith("'") for ligne in lignes for c in ligne[1:])


def test_exp019_csv_tampon_neutralise_apres_espaces_et_en_pleine_chasse():
    meta = EnteteExport(
        titre=" =1+1", filtres=("＠SUM(A1)", "\tVague"), source="＋33", genere_le=META.genere_le
    )
    lignes = _lire_csv(export_csv(_table_injection(), COLONNES_INJECTION, meta))
    assert lignes[0] == ["' =1+1"]
    assert lignes[1:3] == [["Filtres", "'＠SUM(A1)"], ["", "'\tVague"]]
    assert lignes[4] == ["Source", "'＋33"]


def test_exp020_xlsx_noms_neutralises_en_texte_jamais_en_formule():
    contenu = export_xlsx(_table_injection(), COLONNES_INJECTION, META)
    feuille = openpyxl.load_workbook(io.BytesIO(contenu)).active
    noms = [feuille.cell(r, 1) for r in range(9, 9 + len(DANGEREUX) + len(INOFFENSIFS))]
    assert [c.value for c in noms] == ["'" + nom for nom in DANGEREUX] + INOFFENSIFS
    assert all(c.data_type == "s" for c in noms)
    assert noms[0].value.startswith("'=") and noms[0].data_type == "s"
    assert not any(c.data_type == "f" for ligne in feuille.iter_rows() for c in ligne)
    premiere = feuille[9]
    assert [c.value for c in premiere[1:]] == [-1234.5, -2, -1234.5]
    assert all(c.data_type == "n" for ligne in feuille.iter_rows(min_row=9, min_col=2) for c in ligne)


def test_exp021_xlsx_tampon_neutralise_apres_espaces_et_en_pleine_chasse():
    meta = EnteteExport(titre=" =1+1", filtres=("＝1",), source="-2+3", genere_le=META.genere_le)
    feuille = openpyxl.load_workbook(
        io.BytesIO(export_xlsx(_table_injection(), [("nom", "Nom")], meta))
    ).active
    assert [feuille["A1"].value, feuille["B2"].value, feuille["B4"].value] == ["' =1+1", "'＝1", "'-2+3"]
    assert all(feuille[ref].data_type == "s" for ref in ("A1", "B2", "B4"))


# --- Rounded as displayed, half up ------------------------------------------------------------------

BRUTS = pd.DataFrame(
    {
        "nom": ["Finistère", "Morbihan", "Ain"],
        "subvention_etat_engagee_eur": [39893.397663921234, 21.625, 0.004],
        "pass_distribues": [1234.5000000001, 2.5, 0.49],  # territories get fractional shares of passes
        "taux_utilisation": [0.45833333333333337, 0.12345, 1 / 3],
        "euros_etat_par_pass_utilise": [21.625, 2.675, 9.995],
        "delai_median_mois": [3.25, 0.05, 12.0],
        "pass_pour_1000_habitants": [12.35, 0.25, 7.0],  # 12.35 is 12.3499999… in binary
        "taux_utilisation__national": [0.61725, 0.5, 0.0],  # the comparison's medians
        "part": [0.123456, 0.5, 1.0],
        "autre": [0.30000000000000004, -0.00004, 2.0],
    }
)
COLONNES_BRUTES = [(c, c) for c in BRUTS.columns]


def test_arr005_csv_arrondi_comme_affiche():
    lignes = _lire_csv(export_csv(BRUTS, COLONNES_BRUTES, META))[8:]
    assert [ligne[1:] for ligne in lignes] == [
        ["39893,4", "1235", "0,458", "21,63", "3,3", "12,4", "0,617", "0,123", "0,3"],
        ["21,63", "3", "0,123", "2,68", "0,1", "0,3", "0,5", "0,5", "0"],
        ["0", "0", "0,333", "10", "12", "7", "0", "1", "2"],
    ]


def test_arr006_xlsx_arrondi_comme_affiche_en_vrais_nombres():
    feuille = openpyxl.load_workbook(io.BytesIO(export_xlsx(BRUTS, COLONNES_BRUTES, META))).active
    assert [c.value for c in feuille[9][1:]] == [39893.4, 1235, 0.458, 21.63, 3.3, 12.4, 0.617, 0.123, 0.3]
    assert [c.value for c in feuille[10][1:]] == [21.63, 3, 0.123, 2.68, 0.1, 0.3, 0.5, 0.5, 0]
    assert all(c.data_type == "n" for ligne in feuille.iter_rows(min_row=9, min_col=2) for c in ligne)
    assert isinstance(feuille["C9"].value, int)  # a whole number of passes, not 1235.0


@pytest.mark.parametrize(
    ("colonne", "places"),
    [
        ("taux_utilisation", 3),
        ("part_etat", 3),
        ("budget_total_eur", 2),
        ("euros_etat_par_habitant", 2),
        ("pass_commandes", 0),
        ("population_couverte", 0),
        ("delai_median_mois", 1),
        ("pass_pour_1000_habitants", 1),
        ("taux_distribution__regional", 3),
        ("subvention_versee_eur", 2),
        ("nb_pass", 0),
        ("pass_prevus", 0),
        ("population", 0),
        ("lieux_pour_100000_habitants", 1),
        ("valeur", 4),
    ],
)
def test_arr007_decimales_par_colonne(colonne, places):
    from dashboard.exports.tableurs import decimales

    assert decimales(colonne) == places


@given(
    st.sampled_from([c for c in BRUTS.columns if c != "nom"]),
    st.floats(-1e9, 1e9, allow_nan=False).filter(lambda v: abs(v) < 1e9),
)
def test_arr008_valeur_exportee_a_moins_d_une_demi_unite_de_la_brute(colonne, valeur):
    from dashboard.exports.tableurs import decimales

    table = pd.DataFrame({colonne: [valeur]})
    cellule = _lire_csv(export_csv(table, [(colonne, colonne)], META))[8][0]
    exporte = Decimal(cellule.replace(",", "."))
    assert abs(exporte - Decimal(repr(valeur))) <= Decimal(5).scaleb(-decimales(colonne) - 1)
    assert "e" not in cellule.lower()  # positional, never 1e-05
    assert not (exporte == 0 and cellule.startswith("-"))  # no "-0"
