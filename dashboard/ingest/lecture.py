"""Reading a CSV or XLSX file as it arrives from a French office into a table of stripped strings.

One reader for every kind: the values stay text here (typed cells of XLSX are spelled the way the value
readers of valeurs.py accept), so that CSV and XLSX go through the same validation.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

import numpy as np
import pandas as pd

from dashboard.ingest.schemas import ALIAS_ENTETES
from dashboard.ingest.valeurs import ESPACES

SIGNATURE_XLSX = b"PK\x03\x04"
SEPARATEURS = (";", "\t", ",")
NOMS_SEPARATEURS = {";": "point-virgule", "\t": "tabulation", ",": "virgule"}
# The encodings `decoder` names, as pandas reads them from the bytes (UTF-16 goes through the text).
CODECS = {"UTF-8 (BOM)": "utf-8-sig", "UTF-8": "utf-8", "Windows-1252": "cp1252"}
# C0 control characters other than tab/CR/LF never occur in a text export: their presence means the
# bytes are not text in the encoding we tried (a binary file, UTF-16 without BOM, a PDF…).
_CONTROLES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FichierIllisible(ValueError):
    """The file cannot be read as a table at all (encoding, format, empty)."""


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


def lire_fichier(contenu: bytes, kind: str, selectionner: Selectionner | None = None) -> Tableau:
    if not contenu.strip():
        raise FichierIllisible("fichier vide")
    if contenu.startswith(SIGNATURE_XLSX):
        return _lire_xlsx(contenu, kind, selectionner)
    return _lire_csv(contenu, selectionner)


def decoder(contenu: bytes) -> tuple[str, str]:
    """Text and encoding name. UTF-8 is tried strictly first: legacy 8-bit text with accents is almost
    never valid UTF-8, so success is a reliable verdict; otherwise French Windows offices write
    Windows-1252, whose printable characters include all of Latin-1's (a Latin-1 file reads the same).
    The bytes Windows-1252 leaves undefined are C1 controls in Latin-1: no text file contains them."""
    for bom, encodage, nom in (
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 (BOM)"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
    ):
        if contenu.startswith(bom):
            return _verifier_texte(contenu.decode(encodage, errors="strict"), nom), nom
    try:
        return _verifier_texte(contenu.decode("utf-8"), "UTF-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return _verifier_texte(contenu.decode("cp1252"), "Windows-1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise FichierIllisible(
            "encodage illisible : ni UTF-8, ni Windows-1252 / Latin-1 (fichier binaire ?)"
        ) from None


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


def _lire_csv(contenu: bytes, selectionner: Selectionner | None = None) -> Tableau:
    texte, encodage = decoder(contenu)
    separateur = detecter_separateur(texte)
    colonnes, ignorees, guillemets = None, [], csv.QUOTE_MINIMAL
    if selectionner is not None:
        entetes = next(csv.reader([premiere_ligne(texte)], delimiter=separateur), [])
        selection = selectionner([normaliser_entete(e) for e in entetes])
        if selection is not None:
            colonnes, ignorees = _garder(entetes, selection)
            guillemets = csv.QUOTE_NONE if selection.export else guillemets
    # The decoded text was needed to check the encoding; pandas reads the bytes again, by chunks: a
    # StringIO would hold a copy of the whole text at four bytes per character.
    codec = CODECS.get(encodage)
    source = io.BytesIO(contenu) if codec else io.StringIO(texte)
    del texte
    try:
        brut = pd.read_csv(
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
        )
    except pd.errors.ParserError as exc:
        raise FichierIllisible(_motif_structure(str(exc), separateur)) from None
    except pd.errors.EmptyDataError:
        raise FichierIllisible("fichier vide") from None
    description = f"CSV {encodage}, séparateur {NOMS_SEPARATEURS[separateur]}"
    # Row i of `brut` is line i + 1 of the file (blank lines kept): the numbering the user sees.
    return _tableau(brut, np.arange(1, len(brut) + 1), description, ignorees)


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
    brut: pd.DataFrame, lignes: np.ndarray, description: str, ignorees: list[str] | None = None
) -> Tableau:
    brut = brut.fillna("")
    if brut.empty:
        raise FichierIllisible("fichier vide")
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


def _lire_xlsx(contenu: bytes, kind: str, selectionner: Selectionner | None = None) -> Tableau:
    """Streamed (read-only workbooks, row after row): only the selected columns are kept in memory."""
    import openpyxl

    try:
        valeurs = openpyxl.load_workbook(io.BytesIO(contenu), read_only=True, data_only=True)
        nom_feuille = next(
            (nom for nom in valeurs.sheetnames if normaliser_entete(nom) == kind), valeurs.sheetnames[0]
        )
        colonnes, ignorees, export = None, [], False
        if selectionner is not None:
            entetes = next(valeurs[nom_feuille].iter_rows(max_row=1, values_only=True), ())
            selection = selectionner([normaliser_entete(_texte_cellule(e)) for e in entetes])
            if selection is not None:
                colonnes, ignorees = _garder([_texte_cellule(e) for e in entetes], selection)
                export = selection.export
        # A program's export has no formula: no second reading of the workbook for them.
        formules = None if export else openpyxl.load_workbook(io.BytesIO(contenu), read_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FichierIllisible(f"classeur XLSX illisible ({exc})") from None
    lignes, rangees = [], []
    ecrites = formules[nom_feuille].iter_rows(values_only=True) if formules is not None else None
    for numero, rangee in _rangees(valeurs[nom_feuille].iter_rows(values_only=True), ecrites, colonnes):
        if any(rangee) or not rangees:
            lignes.append(numero)
            rangees.append(rangee)
    valeurs.close()
    if formules is not None:
        formules.close()
    largeur = max((len(r) for r in rangees), default=0)
    brut = pd.DataFrame([r + [""] * (largeur - len(r)) for r in rangees], dtype=object)
    return _tableau(brut, np.array(lignes), f"XLSX, feuille « {nom_feuille} »", ignorees)


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
