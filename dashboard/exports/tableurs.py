"""Exports of a table for French spreadsheets: CSV (`;`, decimal comma, UTF-8 BOM, CRLF) and XLSX.

Both start with a stamp (title, filters in plain words, data date, source, generation time) above the
table. Every text cell goes through `neutraliser_formule`: a name such as `=HYPERLINK(…)` must never run.
Numbers are rounded as the dashboard shows them, half up like the display (`formatage.arrondi`): see
`decimales`.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dashboard.domain import formatage
from dashboard.domain.indicateurs import PAR_ID, Nature
from dashboard.domain.secret import SECRET
from dashboard.domain.texte import neutraliser_formule
from dashboard.exports.estampille import EnteteExport

Colonnes = Sequence[tuple[str, str]]  # (column id in the table, French header), in order


def _lignes_entete(meta: EnteteExport, valeur_date, valeur_horodatage) -> list[list]:
    """The stamp block: one filter per row, under a "Filtres" label (a long filter stays readable)."""
    filtres = list(meta.filtres) or ["aucun"]
    lignes = [[meta.titre]]
    lignes += [["Filtres" if i == 0 else "", f] for i, f in enumerate(filtres)]
    lignes += [
        ["Date des données", valeur_date(meta.date_donnees) if meta.date_donnees else "non renseignée"],
        ["Source", meta.source],
        ["Généré le", valeur_horodatage(formatage.heure_locale(meta.genere_le))],
    ]
    return [[neutraliser_formule(c) for c in ligne] for ligne in lignes]


def _verifier(table: pd.DataFrame, colonnes: Colonnes) -> None:
    absentes = [c for c, _ in colonnes if c not in table.columns]
    if absentes:
        raise ValueError(f"Colonnes absentes de la table à exporter : {', '.join(absentes)}.")


def _absent(valeur) -> bool:
    return (
        valeur is None
        or valeur is pd.NA
        or valeur is pd.NaT
        or (isinstance(valeur, float) and math.isnan(valeur))
        or (isinstance(valeur, Decimal) and valeur.is_nan())
    )


# --- Rounding -----------------------------------------------------------------------------------------

DECIMALES_TAUX = 3  # a rate 0–1 to 0,1 %, as displayed: 0.458 is 45,8 % (4 places would round twice)
DECIMALES_PAR_DEFAUT = 4  # any other number: float noise (0.30000000000000004) removed, a share kept
SUFFIXES_MEDIANES = ("__national", "__regional")  # the comparison's medians, rounded as their indicator


def decimales(colonne: str) -> int:
    """Decimal places an exported number of the column keeps: what the dashboard shows, at least.
    Indicators by the registry: rates 3 (fractions 0–1: the 0,1 % shown), euros and euros per something
    2 (to the cent), other stocks (passes, places, inhabitants) 0, other ratios 1 (delays to 0,1 month,
    passes per 1 000 inhabitants). Other columns by their name: `*_eur` 2, `taux*`/`part*` 3,
    `pass_*`/`nb_*`/population/rank 0, `*_pour_*` and `*_mois` 1; anything else DECIMALES_PAR_DEFAUT."""
    for suffixe in SUFFIXES_MEDIANES:
        colonne = colonne.removesuffix(suffixe)
    ind = PAR_ID.get(colonne)
    if ind is not None:
        if ind.decimales is not None:
            return ind.decimales
        if ind.nature is Nature.TAUX:
            return DECIMALES_TAUX
        if ind.unite.startswith("€"):
            return 2
        return 0 if ind.nature is Nature.STOCK else 1
    if colonne.endswith("_eur"):
        return 2
    if colonne.startswith(("taux", "part")):
        return DECIMALES_TAUX
    if colonne.startswith(("pass_", "nb_")) or colonne in ("population", "rang"):
        return 0
    if "_pour_" in colonne or colonne.endswith("_mois") or colonne.startswith("delai"):
        return 1
    return DECIMALES_PAR_DEFAUT


def _arrondi(valeur: float | Decimal, places: int) -> int | Decimal:
    """The exported value: an int when whole, else a Decimal of at most `places` places, rounded half up
    (an exact Decimal with fewer places is kept as written: `-1234,50`)."""
    if isinstance(valeur, Decimal):
        exact = valeur if valeur.as_tuple().exponent >= -places else formatage.arrondi(valeur, places)
        return int(exact) if exact == exact.to_integral_value() else exact
    arrondi = formatage.arrondi(valeur, places)
    return int(arrondi) if arrondi == arrondi.to_integral_value() else arrondi.normalize()


# --- CSV ----------------------------------------------------------------------------------------------


def _cellule_csv(valeur, places: int = DECIMALES_PAR_DEFAUT) -> str:
    """Machine-readable for French Excel: `1234,5` (no grouping, unlike the display formatter), rounded
    (`decimales`), dates `15/10/2020`, rates as fractions (`0,458`); text neutralised."""
    if _absent(valeur) or (isinstance(valeur, float | Decimal) and not math.isfinite(valeur)):
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, datetime):  # pd.Timestamp included
        moment = formatage.heure_locale(pd.Timestamp(valeur).to_pydatetime())
        return (
            formatage.horodatage(moment)
            if moment.time() != datetime.min.time()
            else formatage.date_courte(moment)
        )
    if isinstance(valeur, date):
        return formatage.date_courte(valeur)
    if isinstance(valeur, int):  # numpy integers included, once unboxed by .item()
        return str(valeur)
    if isinstance(valeur, float | Decimal):  # a Decimal never goes through a float; never `1e-05`
        arrondi = _arrondi(valeur, places)
        return str(arrondi) if isinstance(arrondi, int) else format(arrondi, "f").replace(".", ",")
    return neutraliser_formule(str(valeur))


def _valeurs(table: pd.DataFrame, colonnes: Colonnes):
    for ligne in table[[c for c, _ in colonnes]].itertuples(index=False, name=None):
        yield [v.item() if hasattr(v, "item") and not isinstance(v, pd.Timestamp) else v for v in ligne]


def export_csv(table: pd.DataFrame, colonnes: Colonnes, meta: EnteteExport) -> bytes:
    _verifier(table, colonnes)
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=";", lineterminator="\r\n")
    ecrivain.writerows(_lignes_entete(meta, formatage.date_courte, formatage.horodatage))
    ecrivain.writerow([])
    ecrivain.writerow([neutraliser_formule(entete) for _, entete in colonnes])
    places = [decimales(c) for c, _ in colonnes]
    ecrivain.writerows(
        [_cellule_csv(v, p) for v, p in zip(ligne, places, strict=True)]
        for ligne in _valeurs(table, colonnes)
    )
    return tampon.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


# --- XLSX ---------------------------------------------------------------------------------------------

FORMAT_DATE = "DD/MM/YYYY"
FORMAT_HORODATAGE = "DD/MM/YYYY HH:MM"
FORMAT_ENTIER = "#,##0"  # codes are locale-neutral: French Excel shows 1 234 567
FORMAT_DECIMAL = "#,##0.0"
FORMAT_TAUX = "0.0%"
FORMAT_EUROS = '#,##0 "€"'
FORMAT_EUROS_CENTIMES = '#,##0.00 "€"'


def format_nombre(colonne: str, serie: pd.Series) -> str:
    """Excel number format of a numeric column, from the registry when the column is an indicator."""
    ind = PAR_ID.get(colonne)
    if ind is not None and ind.decimales is not None and ind.nature is not Nature.TAUX:
        return "#,##0." + "0" * ind.decimales if ind.decimales else FORMAT_ENTIER
    if ind is not None:
        if ind.nature is Nature.TAUX:
            return FORMAT_TAUX
        if ind.unite == "€":
            return FORMAT_EUROS
        if ind.unite.startswith("€"):
            return FORMAT_EUROS_CENTIMES
        return FORMAT_ENTIER if ind.nature is Nature.STOCK else FORMAT_DECIMAL
    entiers = serie.dropna().astype(float).map(float.is_integer).all()
    return FORMAT_ENTIER if entiers else "#,##0.00"


def _cellule_xlsx(valeur, places: int = DECIMALES_PAR_DEFAUT):
    if _absent(valeur) or (isinstance(valeur, float | Decimal) and not math.isfinite(valeur)):
        return None
    if isinstance(valeur, datetime):  # pd.Timestamp included
        return formatage.heure_locale(pd.Timestamp(valeur).to_pydatetime())
    if isinstance(valeur, str):
        return neutraliser_formule(valeur)
    if isinstance(valeur, Decimal):
        return _arrondi(valeur, places)
    if isinstance(valeur, float):  # a true number for Excel, rounded (`decimales`)
        arrondi = _arrondi(valeur, places)
        return arrondi if isinstance(arrondi, int) else float(arrondi)
    return valeur


def _largeur(entete: str, valeurs: list) -> float:
    textes = [entete, *(str(v) for v in valeurs[:1000] if v is not None)]
    return min(60, max(10, max(len(t) for t in textes) + 2))


def export_xlsx(table: pd.DataFrame, colonnes: Colonnes, meta: EnteteExport) -> bytes:
    _verifier(table, colonnes)
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "Données"
    classeur.properties.creator = "Pass numérique — tableau de bord"
    classeur.properties.created = classeur.properties.modified = formatage.heure_locale(meta.genere_le)
    _ecrire_entete(feuille, meta)
    ligne_titres = feuille.max_row + 2
    for j, (_, entete) in enumerate(colonnes, start=1):
        feuille.cell(ligne_titres, j, neutraliser_formule(entete)).font = Font(bold=True)
    places = [decimales(c) for c, _ in colonnes]
    lignes = [
        [_cellule_xlsx(v, p) for v, p in zip(ligne, places, strict=True)]
        for ligne in _valeurs(table, colonnes)
    ]
    for i, ligne in enumerate(lignes, start=ligne_titres + 1):
        for j, valeur in enumerate(ligne, start=1):
            feuille.cell(i, j, valeur)
    _formater_colonnes(feuille, table, colonnes, lignes, ligne_titres)
    feuille.freeze_panes = feuille.cell(ligne_titres + 1, 1)
    if lignes:
        derniere = f"{get_column_letter(len(colonnes))}{ligne_titres + len(lignes)}"
        feuille.auto_filter.ref = f"A{ligne_titres}:{derniere}"
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()


def _ecrire_entete(feuille, meta: EnteteExport) -> None:
    for ligne in _lignes_entete(meta, lambda d: d, lambda m: m):
        feuille.append(ligne)
    feuille["A1"].font = Font(bold=True, size=14)
    for (cellule,) in feuille.iter_rows(min_row=2, max_col=1):
        cellule.font = Font(bold=True)
        voisine = feuille.cell(cellule.row, 2)
        if isinstance(voisine.value, datetime):
            voisine.number_format = FORMAT_HORODATAGE
        elif isinstance(voisine.value, date):
            voisine.number_format = FORMAT_DATE


def _formater_colonnes(feuille, table: pd.DataFrame, colonnes: Colonnes, lignes: list, ligne_titres: int):
    for j, (colonne, entete) in enumerate(colonnes, start=1):
        valeurs = [ligne[j - 1] for ligne in lignes]
        lettre = get_column_letter(j)
        # Column A also holds the stamp labels ("Date des données").
        feuille.column_dimensions[lettre].width = max(_largeur(entete, valeurs), 18 if j == 1 else 0)
        serie = table[colonne]
        if serie.dtype == object and (serie == SECRET).any():  # a count under statistical secrecy
            serie = pd.to_numeric(serie.where(serie != SECRET), errors="coerce")
        if pd.api.types.is_bool_dtype(serie):
            continue
        if pd.api.types.is_numeric_dtype(serie):
            motif = format_nombre(colonne, serie)
        elif pd.api.types.is_datetime64_any_dtype(serie) or any(isinstance(v, date) for v in valeurs):
            motif = FORMAT_DATE
        else:
            continue
        for (cellule,) in feuille.iter_rows(min_row=ligne_titres + 1, min_col=j, max_col=j):
            cellule.number_format = motif
