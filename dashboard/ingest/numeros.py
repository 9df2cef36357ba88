"""Pass numbers of the orders, distributions and redemptions files: read, then checked line by line and
against each other and the database, vectorised (files of a million lines).

A line gives its inclusive range of serials by `premier_numero` and `dernier_numero`, or in one cell
(`numero_cheque`, `numero_pass`, or « numéro de chèque », « numéro de pass »): a number (a range of
one) or a range `1200-1209`. A line without numbers is allowed, even in a file that has them.

Refused, with the line, the column, the value as written and the reason:
- a range whose length is not the line's passes (nb_carnets × pass_par_carnet, nb_pass), reversed,
  half given, or given twice (one cell and the pair);
- two orders of a laureate whose ranges overlap (in the file, or with an order in the database);
- a distributed or redeemed pass outside every numbered order of its laureate (in the database: the
  orders file comes first);
- a pass distributed twice, or redeemed twice (in the file, or with a line in the database);
- a pass redeemed before its distribution (when the distribution of that number is known, whichever
  file came first).
Serials are compared per laureate (dashboard.domain.numeros): two laureates may use the same serials.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sqlalchemy import Connection, String, and_, cast, select

from dashboard.domain.formatage import date_courte
from dashboard.domain.numeros import chevauchements, cles, couverts, paires
from dashboard.ingest.rapport import DETAIL_MAX_PAR_MOTIF, Collecteur
from dashboard.store.schema import Commande, Distribution, Utilisation

if TYPE_CHECKING:
    from dashboard.ingest.lecture import Tableau

PAIRE = ("premier_numero", "dernier_numero")
CELLULES = ("numero_cheque", "numero_pass")  # one cell: a number, or a range "1200-1209"
SOURCE = "_source_numeros"  # per line: 0 no numbers, 1 the pair, 2 + i the one-cell column CELLULES[i]
LIBELLE_PAIRE = "premier_numero/dernier_numero"

ILLISIBLE = "numéro de pass illisible : nombre entier positif attendu"
PLAGE_ILLISIBLE = "numéros de pass illisibles : un numéro (1200) ou une plage (1200-1209) attendus"
INCOMPLETE = "plage de numéros incomplète : premier_numero et dernier_numero vont ensemble"
DEUX_FOIS = "numéros donnés deux fois sur la ligne (premier_numero/dernier_numero et une autre colonne)"
A_L_ENVERS = "plage de numéros à l'envers : le premier numéro dépasse le dernier"
LONGUEUR = "plage de numéros de longueur différente du nombre de pass de la ligne"
COMMANDES_CHEVAUCHENT = "numéros déjà commandés : deux commandes du porteur ont des numéros en commun"
HORS_COMMANDES = "numéros hors des commandes du porteur"
DEJA = {
    "distributions": "pass déjà distribué : numéros distribués deux fois",
    "utilisations": "pass déjà utilisé : numéros utilisés deux fois",
}
AVANT_DISTRIBUTION = "utilisation antérieure à la distribution de ces numéros"
APRES_UTILISATION = "distribution postérieure à l'utilisation de ces numéros"
NOMS = {"commandes": "commande", "distributions": "distribution", "utilisations": "utilisation"}
TABLES = {"commandes": Commande, "distributions": Distribution, "utilisations": Utilisation}


def lire_entiers(serie: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Serials (int64, 0 where empty or unreadable) and the mask of non-empty unreadable cells. Digits
    only, spaces of any kind allowed between them, a spreadsheet's ".0" tolerated."""
    valeurs, lisibles = _entiers(serie)
    return valeurs, serie.ne("") & ~lisibles


def _entiers(serie: pd.Series) -> tuple[pd.Series, pd.Series]:
    texte = serie.astype(str)
    simples = texte.str.isdigit() & texte.str.len().le(18)  # the common case, without a regex
    if not simples.all():
        autres = ~simples
        propres = texte[autres].str.replace(r"[\s\u00a0\u202f]", "", regex=True)
        propres = propres.str.replace(r"[.,]0+$", "", regex=True)
        ok = propres.str.fullmatch(r"[0-9]{1,18}").fillna(False).astype(bool)
        texte = texte.copy()
        texte[autres] = propres
        simples = simples | ok.reindex(texte.index, fill_value=False)
    valeurs = pd.to_numeric(texte.where(simples, "0")).astype("int64")
    return valeurs, simples


def lire_plages(serie: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(premier, dernier, unreadable mask) of cells holding a number (a range of one) or a range
    "1200-1209" (also "1200 à 1209", "1200..1209")."""
    premier, simples = _entiers(serie)
    dernier = premier.copy()
    vide = serie.eq("")
    reste = ~simples & ~vide
    illisible = pd.Series(False, index=serie.index)
    if reste.any():
        compacte = serie[reste].str.replace(r"[\s\u00a0\u202f]", "", regex=True)
        morceaux = compacte.str.extract(r"^([0-9]{1,18})(?:-|–|—|à|\.\.)([0-9]{1,18})$")
        lue = morceaux[0].notna()
        premier[reste] = pd.to_numeric(morceaux[0].where(lue, "0")).astype("int64")
        dernier[reste] = pd.to_numeric(morceaux[1].where(lue, "0")).astype("int64")
        illisible[reste] = ~lue
    return premier, dernier, illisible


def lire(ctx, types: pd.DataFrame, texte: dict[str, pd.Series], nombre_pass: pd.Series) -> None:
    """The rules of one line: typed `premier_numero` / `dernier_numero` (nullable Int64, missing where
    the line has none or they are refused) and SOURCE in `types`; the one-cell columns are dropped.
    `nombre_pass`: the passes of each line (NaN where unreadable: no length rule then)."""
    n = len(types)
    premier = pd.Series(0, index=types.index, dtype="int64")
    dernier = premier.copy()
    source = np.zeros(n, dtype=np.int8)
    refuse = np.zeros(n, dtype=bool)
    donne = {c: texte[c].ne("").to_numpy() for c in (*PAIRE, *CELLULES) if c in texte}
    if not any(m.any() for m in donne.values()):
        for nom in PAIRE:
            types[nom] = pd.Series(pd.NA, index=types.index, dtype="Int64")
        _retirer_cellules(types)
        types[SOURCE] = source
        return
    p, mal_p = lire_entiers(texte["premier_numero"])
    d, mal_d = lire_entiers(texte["dernier_numero"])
    ctx.signaler(mal_p, "premier_numero", texte["premier_numero"], ILLISIBLE)
    ctx.signaler(mal_d, "dernier_numero", texte["dernier_numero"], ILLISIBLE)
    paire = donne["premier_numero"] | donne["dernier_numero"]
    incomplete = paire & ~(donne["premier_numero"] & donne["dernier_numero"])
    colonne_vide = np.where(donne["premier_numero"], "dernier_numero", "premier_numero")
    for nom in PAIRE:
        masque = incomplete & (colonne_vide == nom)
        ctx.signaler(masque, nom, None, INCOMPLETE)
    refuse |= mal_p.to_numpy() | mal_d.to_numpy() | incomplete
    premier[paire], dernier[paire] = p[paire], d[paire]
    source[paire] = 1
    for i, nom in enumerate(CELLULES):
        if nom not in texte or not donne[nom].any():
            continue
        cp, cd, mal = lire_plages(texte[nom])
        ctx.signaler(mal, nom, texte[nom], PLAGE_ILLISIBLE)
        refuse |= mal.to_numpy()
        double = donne[nom] & (source > 0)
        ctx.signaler(double, nom, texte[nom], DEUX_FOIS)
        refuse |= double
        seul = donne[nom] & (source == 0)
        premier[seul], dernier[seul] = cp[seul], cd[seul]
        source[seul] = 2 + i
    avec = (source > 0) & ~refuse
    ecrits = _Ecrits(texte, source)
    envers = avec & (premier > dernier).to_numpy()
    _signaler(ctx.erreurs, ctx.lignes, envers, source, ecrits, A_L_ENVERS)
    longueur = (dernier - premier + 1).to_numpy(dtype=float)
    attendu = pd.to_numeric(nombre_pass, errors="coerce").to_numpy(dtype=float)
    faux = avec & ~envers & ~np.isnan(attendu) & (longueur != attendu)
    details = np.full(n, None, dtype=object)
    for k in np.flatnonzero(faux)[:DETAIL_MAX_PAR_MOTIF]:
        nombre = int(longueur[k])
        details[k] = f"{nombre} numéro{'s' if nombre > 1 else ''} pour {int(attendu[k])} pass"
    _signaler(ctx.erreurs, ctx.lignes, faux, source, ecrits, LONGUEUR, details)
    garde = avec & ~envers & ~faux
    types["premier_numero"] = premier.astype("Int64").where(garde, pd.NA)
    types["dernier_numero"] = dernier.astype("Int64").where(garde, pd.NA)
    _retirer_cellules(types)
    types[SOURCE] = source


def _retirer_cellules(types: pd.DataFrame) -> None:
    """The one-cell columns are read into the pair: they are no column of the database."""
    for nom in CELLULES:
        if nom in types:
            del types[nom]


class _Ecrits:
    """The numbers of a line as written, built only for the lines reported."""

    def __init__(self, texte: dict[str, pd.Series], source: np.ndarray) -> None:
        self.texte, self.source = texte, source

    def __getitem__(self, positions: np.ndarray) -> np.ndarray:
        valeurs = np.empty(len(positions), dtype=object)
        for k, p in enumerate(positions):
            s = self.source[p]
            if s == 1:
                valeurs[k] = f"{self.texte['premier_numero'].iat[p]}-{self.texte['dernier_numero'].iat[p]}"
            elif s >= 2:
                valeurs[k] = self.texte[CELLULES[s - 2]].iat[p]
        return valeurs


def _signaler(
    erreurs: Collecteur, lignes: np.ndarray, masque, source, ecrits: _Ecrits, motif: str, details=None
) -> None:
    """One call per column the numbers came from (the pair, or a one-cell column), values as written."""
    masque = np.asarray(masque, dtype=bool)
    for s in (1, 2, 3):
        choix = masque & (source == s)
        positions = np.flatnonzero(choix)
        if not len(positions):
            continue
        valeurs = np.full(len(masque), None, dtype=object)
        detailles = positions[:DETAIL_MAX_PAR_MOTIF]  # the report keeps no more of a reason
        valeurs[detailles] = ecrits[detailles]
        colonne = LIBELLE_PAIRE if s == 1 else CELLULES[s - 2]
        erreurs.ajouter_masque(choix, lignes, colonne, valeurs, motif, details)


# --- Against each other and the database ---------------------------------------------------------------


@dataclass
class _Plages:
    """Ranges of the file (positions in the file, lines) and of the database (date, lot) of one kind."""

    groupe: np.ndarray
    premier: np.ndarray
    dernier: np.ndarray
    date: np.ndarray  # datetime64[D]
    fichier: np.ndarray  # position in the file, or -1 for a line of the database


def verifier(
    connection: Connection,
    kind: str,
    types: pd.DataFrame,
    tableau: Tableau,
    erreurs: Collecteur,
    porteurs: frozenset[str],
    lot_remplace: int | None = None,
) -> None:
    """The rules between lines: overlapping orders, passes outside the orders, distributed or redeemed
    twice, redeemed before being distributed — within the file and against the database (without the
    lines of `lot_remplace`, which the import replaces). Lines already refused are left out."""
    if kind not in TABLES or "premier_numero" not in types:
        return
    lignes, brut = tableau.lignes, tableau.donnees
    texte = {c: brut[c] if c in brut else pd.Series("", index=brut.index) for c in (*PAIRE, *CELLULES)}
    date_col = "date_commande" if kind == "commandes" else "date"
    garde = (
        types["premier_numero"].notna() & types["siren_porteur"].isin(porteurs) & types[date_col].notna()
    ).to_numpy()
    if not garde.any():
        return
    positions = np.flatnonzero(garde)
    sirens = types["siren_porteur"].to_numpy()[positions]
    codes, noms = pd.factorize(pd.Series(sirens, dtype=object))
    premier = types["premier_numero"].to_numpy(dtype=np.int64, na_value=0)[positions]
    dernier = types["dernier_numero"].to_numpy(dtype=np.int64, na_value=0)[positions]
    fichier = _Plages(
        codes.astype(np.int64),
        premier,
        dernier,
        pd.to_datetime(types[date_col].to_numpy()[positions]).to_numpy("datetime64[D]"),
        positions,
    )
    bornes = (int(premier.min()), int(dernier.max()))
    rang = {s: i for i, s in enumerate(noms)}
    source = types[SOURCE].to_numpy()
    ecrits = _Ecrits(texte, source)

    def signaler(masque_fichier: np.ndarray, motif: str, details: np.ndarray | None = None) -> None:
        masque = np.zeros(len(types), dtype=bool)
        masque[positions[masque_fichier]] = True
        tous = None
        if details is not None:
            tous = np.full(len(types), None, dtype=object)
            tous[positions[masque_fichier]] = details[masque_fichier]
        _signaler(erreurs, lignes, masque, source, ecrits, motif, tous)

    lire_base = _lecteur(connection, list(noms), rang, bornes)
    if kind == "commandes":
        base = lire_base("commandes", lot_remplace)
        _en_double(fichier, base, lignes, "commande", signaler, COMMANDES_CHEVAUCHENT)
        return
    commandes = lire_base("commandes", None)
    dedans = couverts(
        fichier.groupe,
        fichier.premier,
        fichier.dernier,
        commandes.groupe,
        commandes.premier,
        commandes.dernier,
    )
    sans_commande = ~np.isin(fichier.groupe, commandes.groupe)
    details = np.where(sans_commande, "le porteur n'a aucune commande numérotée", None).astype(object)
    signaler(~dedans, HORS_COMMANDES, details)
    meme = lire_base(kind, lot_remplace)
    _en_double(fichier, meme, lignes, NOMS[kind], signaler, DEJA[kind])
    autre_kind = "distributions" if kind == "utilisations" else "utilisations"
    autre = lire_base(autre_kind, None)
    _chronologie(fichier, autre, kind, signaler)


def _lecteur(connection: Connection, sirens: list[str], rang: dict[str, int], bornes: tuple[int, int]):
    """Reads the numbered lines of one kind of the file's laureates whose ranges meet the file's."""

    def lire_base(kind: str, lot_exclu: int | None) -> _Plages:
        table = TABLES[kind]
        date_col = table.date_commande if kind == "commandes" else table.date
        conditions = [
            table.siren_porteur.in_(sirens),
            table.premier_numero.is_not(None),
            table.dernier_numero >= bornes[0],
            table.premier_numero <= bornes[1],
        ]
        if lot_exclu is not None:
            conditions.append(table.import_lot_id.is_distinct_from(lot_exclu))
        lignes = pd.read_sql(
            select(
                table.siren_porteur,
                table.premier_numero,
                table.dernier_numero,
                cast(date_col, String).label("jour"),  # ISO text: read faster than dates
            ).where(and_(*conditions)),
            connection,
        )
        return _Plages(
            lignes["siren_porteur"].map(rang).to_numpy(dtype=np.int64),
            lignes["premier_numero"].to_numpy(dtype=np.int64),
            lignes["dernier_numero"].to_numpy(dtype=np.int64),
            pd.to_datetime(lignes["jour"], format="%Y-%m-%d").to_numpy("datetime64[D]"),
            np.full(len(lignes), -1, dtype=np.int64),
        )

    return lire_base


def _ensemble(a: _Plages, b: _Plages) -> _Plages:
    return _Plages(*(np.concatenate([getattr(a, f), getattr(b, f)]) for f in _Plages.__dataclass_fields__))


def _decrire(plages: _Plages, i: int, lignes: np.ndarray, nom: str) -> str:
    if plages.fichier[i] >= 0:
        return f"voir la ligne {int(lignes[plages.fichier[i]])}"
    quand = date_courte(pd.Timestamp(plages.date[i]).date())
    return f"{nom} du {quand} déjà en base, numéros {plages.premier[i]}-{plages.dernier[i]}"


def _en_double(fichier: _Plages, base: _Plages, lignes: np.ndarray, nom: str, signaler, motif: str) -> None:
    """Ranges of the file overlapping another range of the file or of the database: the file's line
    is reported (the later one of two file lines), with the other."""
    tout = _ensemble(fichier, base)
    debut, fin = cles([tout.groupe, tout.groupe], [tout.premier, tout.dernier])
    autre = chevauchements(debut, fin)
    i = np.flatnonzero(autre >= 0)
    j = autre[i]
    # Report the file's range of each pair: the later one if it is in the file, else the earlier.
    dans_fichier = tout.fichier[i] >= 0
    rapporte = np.where(dans_fichier, i, j)
    autre_de = np.where(dans_fichier, j, i)
    garde = tout.fichier[rapporte] >= 0
    rapporte, autre_de = rapporte[garde], autre_de[garde]
    if not len(rapporte):
        return
    rapportes, premiers = np.unique(rapporte, return_index=True)  # in the order of the file
    masque = np.zeros(len(fichier.premier), dtype=bool)
    details = np.full(len(fichier.premier), None, dtype=object)
    masque[rapportes] = True
    autres = autre_de[premiers]
    for r, a in zip(rapportes[:DETAIL_MAX_PAR_MOTIF], autres[:DETAIL_MAX_PAR_MOTIF], strict=True):
        details[r] = _decrire(tout, a, lignes, nom)  # the report keeps no more of a reason
    signaler(masque, motif, details)


def _chronologie(fichier: _Plages, autre: _Plages, kind: str, signaler) -> None:
    """A redemption of the file before a distribution of the same numbers in the database, or a
    distribution of the file after a redemption of them in the database."""
    if not len(autre.premier):
        return
    cle = cles(
        [fichier.groupe, fichier.groupe, autre.groupe, autre.groupe],
        [fichier.premier, fichier.dernier, autre.premier, autre.dernier],
    )
    ordre = np.argsort(cle[2], kind="stable")
    i, j = paires(cle[0], cle[1], cle[2][ordre], cle[3][ordre])
    j = ordre[j]
    if kind == "utilisations":
        faute, motif, quoi = fichier.date[i] < autre.date[j], AVANT_DISTRIBUTION, "distribués le"
    else:
        faute, motif, quoi = fichier.date[i] > autre.date[j], APRES_UTILISATION, "utilisés le"
    i, j = i[faute], j[faute]
    if not len(i):
        return
    _, premiers = np.unique(i, return_index=True)
    masque = np.zeros(len(fichier.premier), dtype=bool)
    details = np.full(len(fichier.premier), None, dtype=object)
    masque[i[premiers]] = True
    for a, b in zip(i[premiers][:DETAIL_MAX_PAR_MOTIF], j[premiers][:DETAIL_MAX_PAR_MOTIF], strict=True):
        quand = date_courte(pd.Timestamp(autre.date[b]).date())
        details[a] = f"{quoi} {quand} (numéros {autre.premier[b]}-{autre.dernier[b]})"
    signaler(masque, motif, details)
