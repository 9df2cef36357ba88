"""Hostile files (issue 17, points 3 and 4): every file, however forged, malformed or oversized, is refused
with a bounded French report and an audit entry — by the importer, `passnum import` (exit 2, no traceback)
and the web job alike — before it can exhaust the machine. Files are generated here, in memory or tmp_path.
"""

from __future__ import annotations

import base64
import io
import zipfile
from dataclasses import replace

import openpyxl
import pytest
from sqlalchemy import func, insert, select

from dashboard.components.donnees import rapport as vue_rapport
from dashboard.domain.droits import Principal
from dashboard.domain.vocabulaire import ADMIN
from dashboard.ingest.chargement import importer
from dashboard.ingest.lecture import Limites
from dashboard.ingest.rapport import Anomalie, RapportImport
from dashboard.settings import Settings
from dashboard.store.comptes import journal
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import ImportLot, Porteur, Utilisation
from dashboard.vues import donnees
from tests.conftest import GEO_DIR, lancer_passnum, moteur_temporaire, settings_pour

ENTETE = "siren_porteur;date;code_commune;nb_pass;nom_lieu"
LIGNE = "224400028;2021-03-01;44109;3;Médiathèque"
FEUILLE = "xl/worksheets/sheet1.xml"
ANGLAIS = ("Traceback", "Error", "codec", "There is no item", "File is not", "line 1, column")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def base(request, tmp_path_factory):
    """Reference geography and one porteur (inserted directly: import_lot stays empty)."""
    with moteur_temporaire(request.param, tmp_path_factory.mktemp("hostiles")) as engine:
        initialiser(engine, GEO_DIR)
        with engine.begin() as connection:
            connection.execute(
                insert(Porteur).values(
                    siren="224400028", nom="Loire-Atlantique", type="CD", code_territoire="44"
                )
            )
        yield engine


def refuse(engine, contenu: bytes, nom: str, kind: str = "utilisations", **options) -> str:
    """Import for real; the file must be refused, nothing written, the refusal audited: its French text."""
    with engine.connect() as connection:
        avant = connection.scalar(select(func.count()).select_from(Utilisation))
    rapport = importer(engine, kind, contenu, nom_fichier=nom, utilisateur="hos@test", **options)
    texte = rapport.texte()
    assert not rapport.accepte and not rapport.ecrit, texte
    assert "REFUSÉ" in texte and "Rien n'a été écrit dans la base." in texte
    assert not any(mot in texte for mot in ANGLAIS), texte
    assert len(texte) < 5_000  # whatever the file
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Utilisation)) == avant
        assert connection.scalar(select(func.count()).select_from(ImportLot)) == 0
    dernier = journal(engine, 1)[0]
    assert (dernier["action"], dernier["cible"], dernier["acteur"]) == ("import_refuse", nom, "hos@test")
    return texte


# --- Forged workbooks -----------------------------------------------------------------------------


def classeur(*lignes) -> bytes:
    feuille = openpyxl.Workbook()
    feuille.active.title = "utilisations"
    for ligne in lignes or (ENTETE.split(";"), LIGNE.split(";")):
        feuille.active.append(list(ligne))
    tampon = io.BytesIO()
    feuille.save(tampon)
    return tampon.getvalue()


def remplacer(contenu: bytes, membres: dict[str, bytes | None]) -> bytes:
    """The workbook with some of its members replaced (None: removed)."""
    sortie = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(contenu)) as source,
        zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as z,
    ):
        for membre in source.infolist():
            donnees = membres.get(membre.filename, source.read(membre.filename))
            if donnees is not None:
                z.writestr(membre.filename, donnees)
    return sortie.getvalue()


def feuille_xml(corps: str, dimension: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main">{dimension}<sheetData>{corps}</sheetData></worksheet>'
    ).encode()


def deflate_corrompu() -> bytes:
    """The sheet's compressed bytes scrambled, headers intact: zlib fails while inflating it."""
    contenu = bytearray(classeur())
    with zipfile.ZipFile(io.BytesIO(bytes(contenu))) as z:
        membre = z.getinfo(FEUILLE)
    debut = membre.header_offset + 30 + len(membre.filename.encode()) + len(membre.extra)
    for i in range(debut + 2, debut + membre.compress_size - 2):
        contenu[i] ^= 0x5A
    return bytes(contenu)


def zip_au_hasard() -> bytes:
    sortie = io.BytesIO()
    with zipfile.ZipFile(sortie, "w") as z:
        z.writestr("hasard.bin", bytes(range(256)) * 40)
    return sortie.getvalue()


MALFORMES = {
    "xml_malforme": lambda: remplacer(classeur(), {FEUILLE: b"<worksheet><sheetData><row><c>"}),
    "deflate_corrompu": deflate_corrompu,
    "zip_au_hasard": zip_au_hasard,
    "archive_tronquee": lambda: classeur()[:1500],
    "classeur_sans_feuille": lambda: remplacer(classeur(), {FEUILLE: None}),
    "workbook_forge": lambda: remplacer(
        classeur(), {"xl/workbook.xml": b"<workbook><sheets><sheet/></sheets>"}
    ),
    "entite_xml": lambda: remplacer(
        classeur(),
        {FEUILLE: b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]><worksheet>&a;</worksheet>'},
    ),
    "json_lieux_imbrique": lambda: b"[" * 100_000 + b"]" * 100_000,
}


@pytest.mark.parametrize("cas", list(MALFORMES))
def test_hos001_classeurs_forges_refuses_en_francais_et_audites(base, cas):
    kind = "lieux" if cas.startswith("json") else "utilisations"
    texte = refuse(base, MALFORMES[cas](), f"{cas}.xlsx", kind)
    assert "fichier illisible : " in texte


# --- Encodings, line numbers, digits --------------------------------------------------------------


@pytest.mark.parametrize(
    ("contenu", "attendu"),
    [
        (
            b"\xff\xfe" + f"{ENTETE}\n{LIGNE}\n".encode("utf-16-le") + b"x",
            "fichier UTF-16 d'un nombre impair d'octets (tronqué ?)",
        ),
        (
            b"\xef\xbb\xbf" + f"{ENTETE}\n{LIGNE}\n".encode("cp1252"),
            "encodages mélangés : le fichier commence par la marque UTF-8 (BOM) mais la ligne 2 n'est pas "
            "en UTF-8 (octet 0xE9, Windows-1252 ?)",
        ),
        (
            f"{ENTETE}\n{LIGNE}\n".encode() + "224400028;2021-03-02;44109;3;Café\n".encode("cp1252"),
            "encodages mélangés : la ligne 2 est en UTF-8, la ligne 3 ne l'est pas "
            "(octet 0xE9, Windows-1252 ?)",
        ),
    ],
    ids=["utf16_impair", "bom_utf8_puis_cp1252", "utf8_et_cp1252"],
)
def test_hos002_encodages_melanges_refuses_pas_deformes(base, contenu, attendu):
    assert attendu in refuse(base, contenu, "encodage.csv")


def test_hos003_numero_de_ligne_reel_apres_un_champ_sur_plusieurs_lignes(base):
    contenu = (
        f'{ENTETE}\n224400028;2021-03-01;44109;3;"Médiathèque\nsalle 2\nétage 1"\n'
        "224400028;2021-03-01;44109;0;Mairie\n"
    ).encode()
    texte = refuse(base, contenu, "multiligne.csv")
    # The bad record starts on the 5th line of the file (its rank would say 3).
    assert "ligne 5, colonne nb_pass, valeur « 0 »" in texte


def test_hos004_chiffres_ascii_seuls_dans_les_dates_comme_dans_les_nombres(base):
    arabes = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    contenu = (
        f"{ENTETE}\n224400028;{'2021-03-01'.translate(arabes)};44109;3;Mairie\n"
        f"224400028;2021-03-01;44109;{'12'.translate(arabes)};Mairie\n"
    ).encode()
    texte = refuse(base, contenu, "chiffres.csv")
    assert "ligne 2, colonne date, valeur « ٢٠٢١-٠٣-٠١ »" in texte
    assert "ligne 3, colonne nb_pass, valeur « ١٢ »" in texte


# --- Bounds ---------------------------------------------------------------------------------------


def test_hos005_un_million_de_colonnes_refuse_avant_lecture(base):
    entete = ";".join(f"c{i}" for i in range(1_000_000))
    texte = refuse(base, f"{entete}\n1\n".encode(), "colonnes.csv")
    assert "1\u202f000\u202f000 colonnes : au plus 200 sont lues (PASSNUM_IMPORT_COLONNES_MAX)" in texte
    # The same in a workbook: 63 KB that openpyxl would grow to gigabytes.
    ligne = '<row r="1">' + '<c t="inlineStr"><is><t>x</t></is></c>' * 1_000_000 + "</row>"
    texte = refuse(base, remplacer(classeur(), {FEUILLE: feuille_xml(ligne)}), "colonnes.xlsx")
    assert "classeur XLSX anormalement compressé (xl/worksheets/sheet1.xml" in texte


def test_hos006_xlsx_au_dela_de_la_feuille_excel_ou_des_bornes(base):
    # A value on row 1 048 577: beyond any spreadsheet, refused without building the rows before it.
    loin = '<row r="1"><c t="inlineStr"><is><t>siren_porteur</t></is></c></row>'
    loin += '<row r="1048577"><c><v>1</v></c></row>'
    texte = refuse(base, remplacer(classeur(), {FEUILLE: feuille_xml(loin)}), "loin.xlsx")
    assert (
        "valeur à la ligne 1\u202f048\u202f577 : une feuille XLSX a au plus 1\u202f048\u202f576 lignes"
        in texte
    )
    # A value in column 201 (GS), with a few cells: the bound of columns.
    large = '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c><c r="GS1"><v>1</v></c></row>'
    texte = refuse(base, remplacer(classeur(), {FEUILLE: feuille_xml(large)}), "large.xlsx")
    assert "201 colonnes : au plus 200" in texte
    # Rows beyond the bound (PASSNUM_IMPORT_LIGNES_MAX), in a workbook and in a CSV.
    lignes = [ENTETE.split(";")] + [LIGNE.split(";")] * 30
    texte = refuse(base, classeur(*lignes), "lignes.xlsx", limites=Limites(lignes=20))
    assert "lignes : au plus 20 par fichier (PASSNUM_IMPORT_LIGNES_MAX)" in texte
    csv = "\n".join([ENTETE] + [LIGNE] * 30).encode()
    texte = refuse(base, csv, "lignes.csv", limites=Limites(lignes=20))
    assert "lignes : au plus 20 par fichier (PASSNUM_IMPORT_LIGNES_MAX)" in texte
    # Uncompressed size: declared by the archive, checked before anything is inflated.
    texte = refuse(base, classeur(*lignes), "decompresse.xlsx", limites=Limites(decompresse=4096))
    assert "une fois décompressé : au plus 0 Mo (PASSNUM_IMPORT_DECOMPRESSE_MAX_MO)" in texte


def test_hos014_cellules_bornees_avant_lecture(base):
    """200 MB of « ;;; » are 200 million empty cells (5 GB once read): the lines × columns are bounded
    before pandas reads a line, in a CSV and in a workbook."""
    csv = ("\n".join([ENTETE] + [";;;;"] * 30) + "\n").encode()
    texte = refuse(base, csv, "vide.csv", limites=Limites(cellules=100))
    assert "30 lignes × 5 colonnes : au plus 100 cellules par fichier (PASSNUM_IMPORT_CELLULES_MAX)" in texte
    lignes = [ENTETE.split(";")] + [LIGNE.split(";")] * 30
    texte = refuse(base, classeur(*lignes), "cellules.xlsx", limites=Limites(cellules=100))
    assert "30 lignes × 5 colonnes : au plus 100 cellules" in texte


def test_hos007_cellule_vide_au_bout_de_la_feuille_ne_fabrique_rien(base):
    """Two rows of values, a sheet declaring A1:XFD1048576 and an empty styled cell there: openpyxl alone
    pads every row to 16 384 cells and fills the million rows between (sixteen billion cells); only the
    extent of the values is read, and the file is valid."""
    corps = "".join(
        f'<row r="{n}">'
        + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in ligne.split(";"))
        + "</row>"
        for n, ligne in enumerate([ENTETE, LIGNE], start=1)
    )
    corps += '<row r="1048576"><c r="XFD1048576" s="0"/></row>'
    contenu = remplacer(classeur(), {FEUILLE: feuille_xml(corps, '<dimension ref="A1:XFD1048576"/>')})
    rapport = importer(base, "utilisations", contenu, nom_fichier="dimension.xlsx", dry_run=True)
    assert rapport.accepte and rapport.lignes == 1, rapport.texte()


def test_hos008_cellule_geante_rapport_borne(base):
    contenu = f"{ENTETE}\n".encode() + b"A" * 20_000_000 + b";2021-03-01;44109;3;Mairie\n"
    texte = refuse(base, contenu, "cellule.csv")
    assert "cellule de 20\u202f000\u202f000 caractères ligne 2, colonne 1 : au plus 10\u202f000" in texte
    assert "« " + "A" * 100 + "… »" in texte


def test_hos009_duree_maximale(base):
    texte = refuse(base, f"{ENTETE}\n{LIGNE}\n".encode(), "lent.csv", limites=Limites(duree_s=0))
    assert "durée maximale dépassée pendant la lecture : plus de 0 s (PASSNUM_IMPORT_DUREE_MAX_S)" in texte


def test_hos010_rapport_borne_quels_que_les_motifs_et_les_valeurs():
    erreurs = [Anomalie(2, "x" * 50_000, "v" * 50_000, f"motif {i} " + "m" * 50_000) for i in range(1000)]
    rapport = RapportImport("utilisations", "f.csv", "x", 1, erreurs, [], False, None)
    texte = rapport.texte()
    assert len(texte) < 20_000
    assert "… et 980 autres motifs" in texte
    assert "valeur « " + "v" * 100 + "… »" in texte


# --- Command line and web ---------------------------------------------------------------------------


def test_hos011_cli_exit_2_rapport_francais_sans_trace_et_bornes_de_l_environnement(
    base, tmp_path, monkeypatch
):
    url = base.url.render_as_string(hide_password=False)
    forge = tmp_path / "forge.xlsx"
    forge.write_bytes(MALFORMES["xml_malforme"]())
    resultat = lancer_passnum("import", "utilisations", str(forge), "--silencieux", url=url, timeout=120)
    assert resultat.returncode == 2, resultat.stderr
    assert "fichier illisible : classeur XLSX illisible" in resultat.stdout
    assert resultat.stderr == ""
    assert journal(base, 1)[0]["action"] == "import_refuse"
    if base.dialect.name != "sqlite":
        return  # the bounds from the environment do not depend on the engine: one process is enough
    large = tmp_path / "large.csv"
    large.write_text(f"{ENTETE}\n{LIGNE}\n", encoding="utf-8")
    monkeypatch.setenv("PASSNUM_IMPORT_COLONNES_MAX", "3")
    resultat = lancer_passnum("import", "utilisations", str(large), "--silencieux", url=url, timeout=120)
    assert resultat.returncode == 2 and resultat.stderr == ""
    assert "5 colonnes : au plus 3 sont lues (PASSNUM_IMPORT_COLONNES_MAX)" in resultat.stdout


def test_hos012_web_le_rapport_du_fichier_forge_s_affiche(base, tmp_path):
    settings = replace(
        settings_pour(base.url.render_as_string(hide_password=False), tmp_path), import_colonnes_max=4
    )
    admin = Principal(ADMIN, "admin@hos", "Admin")
    etapes = []
    for contenu, nom, attendu in [
        (MALFORMES["deflate_corrompu"](), "forge.xlsx", "classeur XLSX illisible"),
        (f"{ENTETE}\n{LIGNE}\n".encode(), "large.csv", "5 colonnes : au plus 4"),
    ]:
        depot = "data:application/octet-stream;base64," + base64.b64encode(contenu).decode()
        fichier = donnees.mettre_en_attente(base, depot, nom, "utilisations", False, admin.identifiant)
        rapport = donnees.executer(settings, admin, fichier, True, lambda *a: etapes.append(a))
        assert not rapport.accepte and attendu in rapport.texte()
        rendu = str(vue_rapport(rapport, True))
        assert "Fichier refusé" in rendu and attendu in rendu
        audit = journal(base, 1)[0]
        assert (audit["action"], audit["acteur"], audit["cible"]) == ("import_refuse", "admin@hos", nom)
        assert audit["details"]["validation_seule"] is True


def test_hos013_bornes_lues_de_l_environnement():
    defaut = Limites.depuis(Settings.from_env({}))
    assert defaut == replace(Limites(), debut=defaut.debut)
    reglees = Settings.from_env(
        {
            "PASSNUM_IMPORT_COLONNES_MAX": "50",
            "PASSNUM_IMPORT_LIGNES_MAX": "1000",
            "PASSNUM_IMPORT_CELLULE_MAX": "500",
            "PASSNUM_IMPORT_DECOMPRESSE_MAX_MO": "10",
            "PASSNUM_IMPORT_DUREE_MAX_S": "30",
            "PASSNUM_IMPORT_CELLULES_MAX": "20000",
        }
    )
    limites = Limites.depuis(reglees)
    assert (
        limites.colonnes,
        limites.lignes,
        limites.cellule,
        limites.decompresse,
        limites.duree_s,
        limites.cellules,
    ) == (50, 1000, 500, 10 * 1024 * 1024, 30, 20_000)
    with pytest.raises(ValueError, match="PASSNUM_IMPORT_LIGNES_MAX doit être un nombre entier strictement"):
        Settings.from_env({"PASSNUM_IMPORT_LIGNES_MAX": "beaucoup"})
