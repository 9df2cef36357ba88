"""Reading a CSV or XLSX file as it arrives from a French office into a table of stripped strings.

One reader for every kind: the values stay text here (typed cells of XLSX are spelled the way the value
readers of valeurs.py accept), so that CSV and XLSX go through the same validation.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
import time as horloge
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from xml.parsers import expat

import numpy as np
import pandas as pd

from dashboard.domain.formatage import nombre
from dashboard.ingest.rapport import couper
from dashboard.ingest.schemas import ALIAS_ENTETES
from dashboard.ingest.valeurs import ESPACES

# The technical detail of a file the readers failed on, for the operators (never shown to the user, and
# at INFO: the command line's stderr stays free of tracebacks).
_journal = logging.getLogger("passnum.imports")

SIGNATURE_XLSX = b"PK\x03\x04"
SEPARATEURS = (";", "\t", ",")
NOMS_SEPARATEURS = {";": "point-virgule", "\t": "tabulation", ",": "virgule"}
# The encodings `decoder` names, as pandas reads them from the bytes (UTF-16 goes through the text).
CODECS = {"UTF-8 (BOM)": "utf-8-sig", "UTF-8": "utf-8", "Windows-1252": "cp1252"}
# C0 control characters other than tab/CR/LF never occur in a text export: their presence means the
# bytes are not text in the encoding we tried (a binary file, UTF-16 without BOM, a PDF…).
_CONTROLES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FichierIllisible(ValueError):
    """The file cannot be read as a table at all (encoding, format, empty, beyond the import bounds)."""


# Excel's own sheet size: an XLSX beyond it was not written by a spreadsheet.
LIGNES_XLSX = 1_048_576
COLONNES_XLSX = 16_384
# Above this declared size, a member of the archive may not inflate more than this ratio (a zip bomb:
# a few KB that grow to GB). Real sheets compress 5 to 30 times; Apache POI refuses beyond 100 too.
TAUX_COMPRESSION_MAX = 100
TAILLE_SANS_TAUX = 1024 * 1024
MEMBRES_MAX = 10_000


@dataclass(frozen=True)
class Limites:
    """How big a file may be read (PASSNUM_IMPORT_*, README): beyond any of them the file is refused with
    a French report before it can exhaust the machine. `debut`: when the import started (the wall time)."""

    colonnes: int = 200
    lignes: int = 5_000_000
    cellule: int = 10_000  # characters of one cell
    decompresse: int = 200 * 1024 * 1024  # bytes of an XLSX once uncompressed
    duree_s: float = 50.0  # reading and validation: with the start of a process, a refusal within 60 s
    # lines × columns read: each cell is a Python object (200 MB of « ;;;; » would be 200 million of
    # them, 5 GB); 8 million keep the reading and validation of a file within about 1.5 GB.
    cellules: int = 8_000_000
    # A large event CSV is read by blocks (dashboard.ingest.flux): `lignes` and `cellules` bound each
    # block, this bound the whole file (its memory is that of one block; this bounds its time).
    lignes_flux: int = 20_000_000
    debut: float = field(default_factory=horloge.monotonic)

    @classmethod
    def depuis(cls, settings) -> Limites:
        return cls(
            settings.import_colonnes_max,
            settings.import_lignes_max,
            settings.import_cellule_max,
            settings.import_decompresse_max_mo * 1024 * 1024,
            settings.import_duree_max_s,
            settings.import_cellules_max,
        )

    def verifier_duree(self, etape: str) -> None:
        if horloge.monotonic() - self.debut > self.duree_s:
            raise FichierIllisible(
                f"durée maximale dépassée pendant {etape} : plus de {nombre(self.duree_s)} s "
                "(PASSNUM_IMPORT_DUREE_MAX_S) ; découpez le fichier"
            )

    def verifier_colonnes(self, nombre_colonnes: int) -> None:
        if nombre_colonnes > self.colonnes:
            raise FichierIllisible(
                f"{nombre(nombre_colonnes)} colonnes : au plus {nombre(self.colonnes)} sont lues "
                "(PASSNUM_IMPORT_COLONNES_MAX) ; retirez les colonnes inutiles"
            )

    def verifier_cellules(self, lignes: int, colonnes: int) -> None:
        if lignes * colonnes > self.cellules:
            raise FichierIllisible(
                f"{nombre(lignes)} lignes × {nombre(colonnes)} colonnes : au plus {nombre(self.cellules)} "
                "cellules par fichier (PASSNUM_IMPORT_CELLULES_MAX) ; retirez les colonnes inutiles ou "
                "découpez le fichier"
            )

    def verifier_lignes(self, nombre_lignes: int, au_moins: bool = False) -> None:
        if nombre_lignes > self.lignes:
            plus = "plus de " if au_moins else ""
            raise FichierIllisible(
                f"{plus}{nombre(nombre_lignes)} lignes : au plus {nombre(self.lignes)} par fichier "
                "(PASSNUM_IMPORT_LIGNES_MAX) ; découpez le fichier"
            )


@dataclass
class Tableau:
    donnees: pd.DataFrame  # columns named by their normalised header; values are stripped strings
    lignes: np.ndarray  # for each row, the line number the user sees in a spreadsheet (header = 1)
    entetes: list[str]  # the headers as written in the file
    description: str  # "CSV Windows-1252, séparateur point-virgule", for the report
    ignorees: list[str] = field(default_factory=list)  # headers of the columns left unread (Selection)


@dataclass(frozen=True)
class Selection:
    """The columns worth reading in a wide export (by normalised header): the others are never held in
    memory, a national BANATIC file has a hundred columns of competences. `export`: written by a program,
    its text has no quoting (a `"` is a character like any other) and its cells no formula."""

    colonnes: frozenset[str]
    export: bool = False


Selectionner = Callable[[list[str]], Selection | None]
"""Given the normalised headers of a file: which columns to read (None: all of them)."""


def normaliser_entete(texte: object) -> str:
    """`Date de la Commande` → `date_de_la_commande`; `Siren-porteur` → `siren_porteur`."""
    sans_accents = unicodedata.normalize("NFKD", str(texte)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[\s\-_]+", "_", sans_accents.strip().strip('"').lower()).strip("_")


def nom_colonne(entete: object) -> str:
    """The column a header names: its normalised form, or the column it is another name for
    (« Numéro de chèque » → `numero_cheque`)."""
    nom = normaliser_entete(entete)
    return ALIAS_ENTETES.get(nom, nom)


def lire_fichier(
    contenu: bytes, kind: str, selectionner: Selectionner | None = None, limites: Limites | None = None
) -> Tableau:
    limites = limites or Limites()
    if not contenu.strip():
        raise FichierIllisible("fichier vide")
    if contenu.startswith(SIGNATURE_XLSX):
        return _lire_xlsx(contenu, kind, selectionner, limites)
    return _lire_csv(contenu, selectionner, limites)


def decoder(contenu: bytes) -> tuple[str, str]:
    """Text and encoding name. UTF-8 is tried strictly first: legacy 8-bit text with accents is almost
    never valid UTF-8, so success is a reliable verdict; otherwise French Windows offices write
    Windows-1252, whose printable characters include all of Latin-1's (a Latin-1 file reads the same).
    The bytes Windows-1252 leaves undefined are C1 controls in Latin-1: no text file contains them.
    A file that is neither (UTF-8 and Windows-1252 lines mixed, a UTF-8 BOM before Windows-1252 text, a
    truncated UTF-16) is refused: read either way, some of its accents would be garbled."""
    for bom, encodage, nom in (
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 (BOM)"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
    ):
        if contenu.startswith(bom):
            try:
                return _verifier_texte(contenu.decode(encodage, errors="strict"), nom), nom
            except UnicodeDecodeError as exc:
                raise FichierIllisible(_motif_decodage(exc, nom)) from None
    try:
        return _verifier_texte(contenu.decode("utf-8"), "UTF-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        melange = _UTF8_FRANCAIS.search(contenu)
        if melange is not None:
            raise FichierIllisible(_motif_melange(contenu, melange.start(), exc.start)) from None
    try:
        return _verifier_texte(contenu.decode("cp1252"), "Windows-1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise FichierIllisible(
            "encodage illisible : ni UTF-8, ni Windows-1252 / Latin-1 (fichier binaire ?)"
        ) from None


# A UTF-8 sequence of a French text's characters (à-ÿ, œ, «, », no-break space; ’, …, –): in a
# Windows-1252 file the same bytes would spell « Ã© », « Å“ », « â€™ », never written on purpose.
_UTF8_FRANCAIS = re.compile(rb"[\xc2-\xc5][\x80-\xbf]|\xe2[\x80-\x81][\x80-\xbf]")


def _ligne_octet(contenu: bytes, position: int) -> int:
    return contenu.count(b"\n", 0, position) + 1


def _motif_melange(contenu: bytes, utf8: int, autre: int) -> str:
    return (
        f"encodages mélangés : la ligne {nombre(_ligne_octet(contenu, utf8))} est en UTF-8, la ligne "
        f"{nombre(_ligne_octet(contenu, autre))} ne l'est pas (octet 0x{contenu[autre]:02X}, "
        "Windows-1252 ?) ; "
        "réenregistrez tout le fichier dans un seul encodage (UTF-8)"
    )


def _motif_decodage(exc: UnicodeDecodeError, nom: str) -> str:
    contenu = exc.object  # the bytes decoded, after the BOM: `exc.start` counts from there
    if nom == "UTF-16" and len(contenu) % 2:
        return (
            "encodage illisible : fichier UTF-16 d'un nombre impair d'octets (tronqué ?) ; "
            "réenregistrez-le en UTF-8"
        )
    if nom == "UTF-16":
        return (
            f"encodage illisible : octets qui ne sont pas de l'UTF-16 vers la position {nombre(exc.start)} "
            "; réenregistrez le fichier en UTF-8"
        )
    return (
        f"encodages mélangés : le fichier commence par la marque UTF-8 (BOM) mais la ligne "
        f"{nombre(_ligne_octet(contenu, exc.start))} n'est pas en UTF-8 (octet 0x{contenu[exc.start]:02X}, "
        "Windows-1252 ?) ; réenregistrez tout le fichier en UTF-8"
    )


def _verifier_texte(texte: str, encodage: str) -> str:
    trouve = _CONTROLES.search(texte)
    if trouve:
        ligne = texte.count("\n", 0, trouve.start()) + 1
        raise FichierIllisible(
            f"encodage illisible : caractère de contrôle {trouve.group()!r} à la ligne {ligne} "
            f"en lisant le fichier comme {encodage} (fichier binaire, ou enregistré dans un autre format ?)"
        )
    return texte


def detecter_separateur(texte: str) -> str:
    """The separator is the most frequent of `;`, tab and `,` on the header line: header names never
    contain decimal commas, unlike data lines, so the header is the reliable witness."""
    entete = premiere_ligne(texte)
    hors_guillemets = re.sub(r'"[^"]*"', "", entete)
    comptes = {sep: hors_guillemets.count(sep) for sep in SEPARATEURS}
    meilleur = max(SEPARATEURS, key=lambda sep: comptes[sep])
    return meilleur if comptes[meilleur] else ";"


def premiere_ligne(texte: str) -> str:
    """The first non-blank line, without copying the whole text (a national export weighs tens of MB)."""
    debut = 0
    while debut < len(texte):
        fin = texte.find("\n", debut)
        fin = len(texte) if fin < 0 else fin
        if texte[debut:fin].strip():
            return texte[debut:fin].rstrip("\r")
        debut = fin + 1
    return ""


def _lire_csv(contenu: bytes, selectionner: Selectionner | None, limites: Limites) -> Tableau:
    texte, encodage = decoder(contenu)
    separateur = detecter_separateur(texte)
    colonnes, ignorees, guillemets = None, [], csv.QUOTE_MINIMAL
    entete = premiere_ligne(texte)
    # The header's width is known before pandas builds anything (a header of a million names would make
    # a million columns); the count of separators bounds it from above, the CSV reading says it exactly.
    largeur = entete.count(separateur) + 1
    if largeur > limites.colonnes:
        largeur = len(next(csv.reader([entete], delimiter=separateur), []))
        limites.verifier_colonnes(largeur)
    if selectionner is not None:
        entetes = next(csv.reader([entete], delimiter=separateur), [])
        selection = selectionner([normaliser_entete(e) for e in entetes])
        if selection is not None:
            colonnes, ignorees = _garder(entetes, selection)
            guillemets = csv.QUOTE_NONE if selection.export else guillemets
    # The decoded text was needed to check the encoding; pandas reads the bytes again, by chunks: a
    # StringIO would hold a copy of the whole text at four bytes per character.
    codec = CODECS.get(encodage)
    source = io.BytesIO(contenu) if codec else io.StringIO(texte)
    del texte
    # Fewer line breaks than the bound: one reading. Else by chunks, stopped as soon as it is passed.
    sauts = contenu.count(b"\n")
    par_morceaux = sauts > limites.lignes
    if not par_morceaux:
        lignes_donnees = sauts - contenu.endswith(b"\n")  # at most: the header is a line
        limites.verifier_cellules(lignes_donnees, largeur if colonnes is None else len(colonnes))
    try:
        lecteur = pd.read_csv(
            source,
            encoding=codec,
            sep=separateur,
            dtype=str,
            header=None,
            usecols=colonnes,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            quoting=guillemets,
            engine="c",
            chunksize=500_000 if par_morceaux else None,
        )
        brut = _morceaux(lecteur, limites) if par_morceaux else lecteur
    except pd.errors.ParserError as exc:
        raise FichierIllisible(_motif_structure(str(exc), separateur)) from None
    except pd.errors.EmptyDataError:
        raise FichierIllisible("fichier vide") from None
    limites.verifier_duree("la lecture")
    limites.verifier_lignes(len(brut) - 1)
    description = f"CSV {encodage}, séparateur {NOMS_SEPARATEURS[separateur]}"
    lignes = np.arange(1, len(brut) + 1)
    if guillemets != csv.QUOTE_NONE and b'"' in contenu:
        lignes = _lignes_physiques(brut)
    return _tableau(brut, lignes, description, ignorees, limites)


def _morceaux(lecteur, limites: Limites) -> pd.DataFrame:
    morceaux, lus = [], 0
    with lecteur:
        for morceau in lecteur:
            lus += len(morceau)
            limites.verifier_lignes(lus - 1, au_moins=True)
            limites.verifier_cellules(lus - 1, morceau.shape[1])
            limites.verifier_duree("la lecture")
            morceaux.append(morceau)
    return pd.concat(morceaux, ignore_index=True) if morceaux else pd.DataFrame()


def _lignes_physiques(brut: pd.DataFrame) -> np.ndarray:
    """The line of the file where each record starts: a quoted value may span several lines, and the
    records after it start that much further down than their rank."""
    sauts = np.zeros(len(brut), dtype=np.int64)
    for colonne in brut.columns:
        sauts += brut[colonne].str.count("\n").to_numpy(dtype=np.int64, na_value=0)
    return np.arange(1, len(brut) + 1) + np.concatenate(([0], np.cumsum(sauts)[:-1]))


def _garder(entetes: list, selection: Selection) -> tuple[list[int], list[str]]:
    """Positions of the selected columns, and the headers of the others."""
    choisies = [normaliser_entete(e) in selection.colonnes for e in entetes]
    gardees = [i for i, choisie in enumerate(choisies) if choisie]
    return gardees, [str(e).strip() for e, choisie in zip(entetes, choisies, strict=True) if not choisie]


def _motif_structure(message: str, separateur: str) -> str:
    trouve = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if not trouve:
        return f"structure CSV illisible ({message})"
    attendus, ligne, vus = trouve.groups()
    return (
        f"ligne {ligne} : {vus} champs au lieu de {attendus} (séparateur « {NOMS_SEPARATEURS[separateur]} » "
        "dans une valeur qui n'est pas entre guillemets ?)"
    )


def _tableau(
    brut: pd.DataFrame,
    lignes: np.ndarray,
    description: str,
    ignorees: list[str] | None = None,
    limites: Limites | None = None,
) -> Tableau:
    brut = brut.fillna("")
    if brut.empty:
        raise FichierIllisible("fichier vide")
    if limites is not None:
        limites.verifier_colonnes(brut.shape[1])
        limites.verifier_cellules(len(brut) - 1, brut.shape[1])
        verifier_cellules(brut, lignes, limites)
    entetes = [str(v).strip(ESPACES + "\ufeff") for v in brut.iloc[0].tolist()]
    donnees = brut.iloc[1:]
    donnees = pd.DataFrame(
        {i: donnees[col].astype(str).str.strip(ESPACES + "\t") for i, col in enumerate(brut.columns)},
        index=donnees.index,
    )
    non_vides = (donnees != "").any(axis=1).to_numpy()
    donnees = donnees[non_vides]
    lignes = lignes[1:][non_vides]
    # Columns without a header and without values are spreadsheet leftovers (";;;" at line ends).
    garder = [i for i, nom in enumerate(entetes) if nom or (donnees[i] != "").any()]
    donnees = donnees[garder]
    donnees.columns = [nom_colonne(entetes[i]) or f"colonne_{i + 1}" for i in garder]
    entetes_gardes = [entetes[i] for i in garder]
    return Tableau(donnees.reset_index(drop=True), lignes, entetes_gardes, description, ignorees or [])


def verifier_cellules(brut: pd.DataFrame, lignes: np.ndarray, limites: Limites) -> None:
    """A cell longer than the bound (a 50 MB cell would become a 50 MB report): the file is refused,
    the first such cell named, its value cut."""
    trop, premiere = 0, None
    for position, colonne in enumerate(brut.columns):
        longueurs = brut[colonne].astype(str).str.len().to_numpy()
        longues = np.flatnonzero(longueurs > limites.cellule)
        trop += len(longues)
        if len(longues) and (premiere is None or longues[0] < premiere[0]):
            premiere = (longues[0], position, longueurs[longues[0]])
    if premiere is None:
        return
    rang, position, longueur = premiere
    autres = f" (et {nombre(trop - 1)} autre{'s' if trop > 2 else ''})" if trop > 1 else ""
    raise FichierIllisible(
        f"cellule de {nombre(int(longueur))} caractères ligne {int(lignes[rang])}, colonne {position + 1}"
        f"{autres} : au plus {nombre(limites.cellule)} (PASSNUM_IMPORT_CELLULE_MAX), "
        f"« {couper(brut.iat[rang, position])} »"
    )


def _lire_xlsx(contenu: bytes, kind: str, selectionner: Selectionner | None, limites: Limites) -> Tableau:
    """Streamed (read-only workbooks, row after row): only the selected columns are kept in memory. The
    archive's declared sizes and the sheet's extent are checked before openpyxl parses anything."""
    try:
        return _lire_classeur(contenu, kind, selectionner, limites)
    except FichierIllisible:
        raise
    except MemoryError:
        raise FichierIllisible("classeur XLSX trop grand pour la mémoire de la machine") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise FichierIllisible(
            "classeur XLSX illisible : l'archive est abîmée ou tronquée (réenregistrez-le depuis le tableur)"
        ) from None
    except Exception:  # openpyxl fails in many ways on a forged workbook: none may escape untold
        _journal.info("classeur XLSX illisible", exc_info=True)
        raise FichierIllisible(
            "classeur XLSX illisible : son contenu n'est pas celui d'un classeur Excel valide "
            "(fichier abîmé, ou enregistré par un autre logiciel ?)"
        ) from None


def _lire_classeur(contenu: bytes, kind: str, selectionner: Selectionner | None, limites: Limites) -> Tableau:
    archive = _verifier_archive(contenu, limites)
    valeurs = _classeur(contenu, donnees_seules=True)
    nom_feuille = next(
        (nom for nom in valeurs.feuilles if normaliser_entete(nom) == kind),
        next(iter(valeurs.feuilles), None),
    )
    if nom_feuille is None:
        raise FichierIllisible("classeur XLSX sans feuille")
    etendue = _mesurer_feuille(archive, valeurs.feuilles[nom_feuille], limites)
    if etendue.lignes == 0:
        raise FichierIllisible("fichier vide")
    if selectionner is None:
        limites.verifier_cellules(etendue.lignes - 1, etendue.colonnes)
    feuille = valeurs.feuille(nom_feuille)
    bornes = {"max_row": etendue.lignes, "max_col": etendue.colonnes, "values_only": True}
    colonnes, ignorees, export = None, [], False
    if selectionner is not None:
        entetes = next(feuille.iter_rows(**{**bornes, "max_row": 1}), ())
        selection = selectionner([normaliser_entete(_texte_cellule(e)) for e in entetes])
        if selection is not None:
            colonnes, ignorees = _garder([_texte_cellule(e) for e in entetes], selection)
            export = selection.export
    # The formulas' text is read from a second workbook only if the sheet has formulas (a program's
    # export has none).
    ecrites = None
    if etendue.formules and not export:
        ecrites = _classeur(contenu, donnees_seules=False).feuille(nom_feuille).iter_rows(**bornes)
    lignes, rangees = [], []
    for numero, rangee in _rangees(feuille.iter_rows(**bornes), ecrites, colonnes):
        if any(rangee) or not rangees:
            lignes.append(numero)
            rangees.append(rangee)
        if numero % 10_000 == 0:
            limites.verifier_duree("la lecture")
    limites.verifier_duree("la lecture")
    largeur = max((len(r) for r in rangees), default=0)
    brut = pd.DataFrame([r + [""] * (largeur - len(r)) for r in rangees], dtype=object)
    return _tableau(brut, np.array(lignes), f"XLSX, feuille « {nom_feuille} »", ignorees, limites)


@dataclass
class _Classeur:
    """A workbook opened by openpyxl's reader without its worksheets: opening them would parse each whole
    sheet to measure it when it does not declare its size (openpyxl's ReadOnlyWorksheet), before any
    bound could be checked. `feuilles`: name → path of the sheet's XML in the archive."""

    lecteur: object
    feuilles: dict[str, str]

    def feuille(self, nom: str):
        from openpyxl.worksheet._read_only import ReadOnlyWorksheet

        class _FeuilleMesuree(ReadOnlyWorksheet):
            def _get_size(self) -> None:  # measured by _mesurer_feuille; iter_rows gets the bounds
                self._max_row = self._max_column = None

        lecteur = self.lecteur
        return _FeuilleMesuree(lecteur.wb, nom, self.feuilles[nom], lecteur.shared_strings)


def _classeur(contenu: bytes, donnees_seules: bool) -> _Classeur:
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    lecteur = ExcelReader(io.BytesIO(contenu), read_only=True, data_only=donnees_seules)
    lecteur.read_manifest()
    lecteur.read_strings()
    lecteur.read_workbook()
    apply_stylesheet(lecteur.archive, lecteur.wb)
    feuilles = {
        feuille.name: rel.target
        for feuille, rel in lecteur.parser.find_sheets()
        if rel.target in lecteur.valid_files and "chartsheet" not in rel.Type
    }
    return _Classeur(lecteur, feuilles)


def _verifier_archive(contenu: bytes, limites: Limites) -> zipfile.ZipFile:
    """The sizes the archive declares bind its reading (zipfile stops at them, and checks the CRC): a
    workbook that would inflate beyond the bound, or at an abnormal ratio, is refused unread."""
    archive = zipfile.ZipFile(io.BytesIO(contenu))
    membres = archive.infolist()
    if len(membres) > MEMBRES_MAX:
        raise FichierIllisible(
            f"classeur XLSX de {nombre(len(membres))} fichiers internes : ce n'est pas un classeur"
        )
    total = sum(m.file_size for m in membres)
    if total > limites.decompresse:
        raise FichierIllisible(
            f"classeur XLSX de {nombre(total // (1024 * 1024))} Mo une fois décompressé : au plus "
            f"{nombre(limites.decompresse // (1024 * 1024))} Mo (PASSNUM_IMPORT_DECOMPRESSE_MAX_MO) ; "
            "découpez le fichier ou enregistrez-le en CSV"
        )
    for membre in membres:
        if membre.file_size > TAILLE_SANS_TAUX and membre.file_size > TAUX_COMPRESSION_MAX * max(
            membre.compress_size, 1
        ):
            raise FichierIllisible(
                f"classeur XLSX anormalement compressé ({membre.filename} : "
                f"{nombre(membre.file_size // max(membre.compress_size, 1))} fois, au plus "
                f"{TAUX_COMPRESSION_MAX}) : ce n'est pas un classeur enregistré par un tableur"
            )
    return archive


@dataclass
class _Etendue:
    """Where a sheet's values are: its last row and column holding a value, and whether it has formulas."""

    lignes: int = 0
    colonnes: int = 0
    formules: bool = False


def _mesurer_feuille(archive: zipfile.ZipFile, chemin: str, limites: Limites) -> _Etendue:
    """One pass of expat over the sheet's XML, holding nothing: openpyxl pads every row to the widest
    and fills the gaps between rows, so a single cell at XFD1048576 would make sixteen billion."""
    lignes_max = min(limites.lignes + 1, LIGNES_XLSX)  # + the header
    colonnes_max = min(limites.colonnes, COLONNES_XLSX)
    etendue = _Etendue()
    etat = {"ligne": 0, "colonne": 0, "elements": 0}

    def debut(nom: str, attributs: dict) -> None:
        nom = nom.rpartition(":")[2]
        etat["elements"] += 1
        if etat["elements"] % 50_000 == 0:
            limites.verifier_duree("la lecture")
        if nom == "c":
            reference = attributs.get("r")
            etat["colonne"] = _colonne(reference) if reference else etat["colonne"] + 1
        elif nom == "row":
            etat["ligne"] = int(attributs["r"]) if "r" in attributs else etat["ligne"] + 1
            etat["colonne"] = 0
        elif nom in ("v", "is", "f"):
            etendue.formules |= nom == "f"
            if etat["ligne"] > lignes_max:
                limites.verifier_lignes(etat["ligne"] - 1)
                raise FichierIllisible(
                    f"valeur à la ligne {nombre(etat['ligne'])} : une feuille XLSX a au plus "
                    f"{nombre(LIGNES_XLSX)} lignes"
                )
            if etat["colonne"] > colonnes_max:
                limites.verifier_colonnes(etat["colonne"])
                raise FichierIllisible(
                    f"valeur en colonne {nombre(etat['colonne'])} : au plus {nombre(COLONNES_XLSX)}"
                )
            etendue.lignes = max(etendue.lignes, etat["ligne"])
            etendue.colonnes = max(etendue.colonnes, etat["colonne"])

    def entite(*_args) -> None:
        raise FichierIllisible("classeur XLSX illisible : déclaration d'entité XML interdite")

    analyseur = expat.ParserCreate()
    analyseur.StartElementHandler = debut
    analyseur.EntityDeclHandler = entite
    with archive.open(chemin) as source:
        analyseur.ParseFile(source)
    return etendue


def _colonne(reference: str) -> int:
    """`AB12` → 28."""
    numero = 0
    for lettre in reference:
        if not "A" <= lettre <= "Z":
            break
        numero = numero * 26 + ord(lettre) - 64
    return numero


def _rangees(
    calculees: Iterator[tuple], ecrites: Iterator[tuple] | None, colonnes: list[int] | None
) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells as text) of each row. Cached values are what Excel displays; a formula never
    computed (no cached value) is kept as its text, verbatim and never evaluated."""
    for numero, valeurs in enumerate(calculees, start=1):
        formules = next(ecrites, ()) if ecrites is not None else ()
        if colonnes is not None:
            valeurs = tuple(valeurs[i] if i < len(valeurs) else None for i in colonnes)
            formules = tuple(formules[i] if i < len(formules) else None for i in colonnes)
        yield (
            numero,
            [
                _texte_cellule(v if v is not None or i >= len(formules) else formules[i])
                for i, v in enumerate(valeurs)
            ],
        )


def _texte_cellule(valeur: object) -> str:
    """A typed cell spelled as the value readers expect: dates ISO, numbers with a dot, no float noise."""
    if valeur is None:
        return ""
    if isinstance(valeur, datetime):
        return valeur.date().isoformat()
    if isinstance(valeur, date):
        return valeur.isoformat()
    if isinstance(valeur, time):
        return valeur.isoformat()
    if isinstance(valeur, bool):
        return str(valeur)
    if isinstance(valeur, float):
        return str(int(valeur)) if valeur.is_integer() and abs(valeur) < 1e15 else repr(valeur)
    return str(valeur)
