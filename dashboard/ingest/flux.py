"""Large CSV files of events read by blocks: the memory of an import stays that of one block.

`importer` sends here a CSV of distributions or redemptions larger than SEUIL_OCTETS (a path, not bytes
already in memory). The file is read twice: once for its checksum, then by blocks of whole records
(about TAILLE_BLOC bytes; a block never ends inside a quoted value), each block read and validated as a
file of its own — the header repeated before it, its line numbers shifted to the file's — and written
in the one transaction of the import (dashboard.ingest.chargement). Between blocks: one encoding for the
whole file, the bound on its lines (Limites.lignes_flux), and identical lines (a 64-bit hash of each
line's cells, compared once every block is read).
"""

from __future__ import annotations

import codecs
import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.domain.formatage import nombre
from dashboard.ingest.lecture import SIGNATURE_XLSX, FichierIllisible, Limites, Tableau, lire_fichier
from dashboard.ingest.rapport import Collecteur
from dashboard.ingest.schemas import EVENEMENTS, SCHEMAS
from dashboard.ingest.validation import DOUBLON

SEUIL_OCTETS = 64 * 1024 * 1024
"""Above this size, an event CSV is imported by blocks (≈ 600 000 lines of a redemption file)."""
TAILLE_BLOC = 48 * 1024 * 1024
"""Bytes read per block: ≈ 500 000 lines, ≈ 400 MB of memory once read and validated."""
_LECTURE = 8 * 1024 * 1024


def en_flux(fichier, kind: str) -> bool:
    """True for a CSV file (a path) of distributions or redemptions larger than SEUIL_OCTETS, in an
    encoding whose line break is the byte \\n (not UTF-16)."""
    if kind not in EVENEMENTS or isinstance(fichier, bytes | bytearray):
        return False
    chemin = Path(fichier)
    if chemin.stat().st_size <= SEUIL_OCTETS:
        return False
    with open(chemin, "rb") as f:
        debut = f.read(4)
    return not debut.startswith((SIGNATURE_XLSX, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def empreinte(chemin: Path) -> str:
    """The SHA-256 of the file, read by pieces."""
    somme = hashlib.sha256()
    with open(chemin, "rb") as f:
        while morceau := f.read(_LECTURE):
            somme.update(morceau)
    return somme.hexdigest()


def _coupure(tampon: bytes) -> int | None:
    """Where a block of whole records may end: after the last line break outside quotes (an even count
    of « " » before it; CSV doubles the quotes inside a value); None when there is none."""
    position = tampon.rfind(b"\n")
    if b'"' not in tampon:
        return None if position < 0 else position + 1
    guillemets = tampon.count(b'"', 0, position) if position >= 0 else 0
    while position >= 0:
        if guillemets % 2 == 0:
            return position + 1
        precedente = tampon.rfind(b"\n", 0, position)
        guillemets -= tampon.count(b'"', precedente + 1, position)
        position = precedente
    return None


def corps(chemin: Path, taille: int | None = None) -> Iterator[tuple[bytes, bytes, int]]:
    """(header line, block of whole records, bytes read so far) for each block of the file."""
    taille = taille or TAILLE_BLOC
    with open(chemin, "rb") as f:
        entete = f.readline()
        lus, reste = len(entete), b""
        while True:
            lu = f.read(taille)
            lus += len(lu)
            reste += lu
            if not lu:
                if reste.strip():
                    yield entete, reste, lus
                return
            coupe = _coupure(reste)
            if coupe is None:  # no line break outside quotes yet: read on
                continue
            yield entete, reste[:coupe], lus
            reste = reste[coupe:]


@dataclass
class Bloc:
    tableau: Tableau
    lus: int  # bytes of the file read so far


@dataclass
class LecteurFlux:
    """The blocks of one file as Tableaux whose lines are those of the file, with the checks between
    blocks; `empreintes()` reports the identical lines of different blocks once they are all read."""

    chemin: Path
    kind: str
    limites: Limites
    taille: int | None = None  # TAILLE_BLOC
    lignes: int = 0  # data lines read so far
    description: str = ""
    _decalage: int = 0  # physical lines of the blocks already read (the header excluded)
    _encodage: str | None = None  # the description of the first block that is not plain ASCII
    _hachages: list[np.ndarray] = field(default_factory=list)
    _numeros: list[np.ndarray] = field(default_factory=list)
    _lignes_blocs: list[np.ndarray] = field(default_factory=list)

    def blocs(self) -> Iterator[Bloc]:
        for entete, corps_, lus in corps(self.chemin, self.taille):
            # The bounds of a file apply to each block (its wall time counted from its own start).
            limites = replace(self.limites, debut=time.monotonic())
            tableau = lire_fichier(entete + corps_, self.kind, None, limites)
            self._verifier_encodage(tableau.description, corps_)
            tableau.lignes = tableau.lignes + self._decalage
            self._decalage += corps_.count(b"\n") + (not corps_.endswith(b"\n"))
            self.lignes += len(tableau.donnees)
            if self.lignes > self.limites.lignes_flux:
                raise FichierIllisible(
                    f"plus de {nombre(self.limites.lignes_flux)} lignes : découpez le fichier"
                )
            self._retenir(tableau)
            yield Bloc(tableau, lus)

    def _verifier_encodage(self, description: str, corps_: bytes) -> None:
        self.description = self.description or description
        if corps_.isascii():
            return
        if self._encodage is None:
            self._encodage = self.description = description
        elif description != self._encodage:
            raise FichierIllisible(
                f"encodage changeant d'une partie du fichier à l'autre ({self._encodage} puis "
                f"{description}) : enregistrez-le d'un seul tenant"
            )

    def _retenir(self, tableau: Tableau) -> None:
        brut = tableau.donnees
        texte = pd.DataFrame({c.nom: brut.get(c.nom, "") for c in SCHEMAS[self.kind]}, index=brut.index)
        self._hachages.append(pd.util.hash_pandas_object(texte, index=False).to_numpy())
        self._numeros.append(np.full(len(texte), len(self._numeros), dtype=np.int32))
        self._lignes_blocs.append(np.asarray(tableau.lignes, dtype=np.int64))

    def doublons(self, erreurs: Collecteur) -> None:
        """Lines identical to a line of an earlier block (those within a block are reported by the
        validation of the block)."""
        if len(self._hachages) < 2:
            return
        hachages = np.concatenate(self._hachages)
        blocs = np.concatenate(self._numeros)
        lignes = np.concatenate(self._lignes_blocs)
        ordre = np.argsort(hachages, kind="stable")
        tries = hachages[ordre]
        debut_groupe = np.r_[True, tries[1:] != tries[:-1]]
        premier = ordre[np.maximum.accumulate(np.where(debut_groupe, np.arange(len(ordre)), 0))]
        autre_bloc = np.zeros(len(hachages), dtype=bool)
        autre_bloc[ordre] = blocs[premier] != blocs[ordre]
        if not autre_bloc.any():
            return
        premieres = np.empty(len(hachages), dtype=np.int64)
        premieres[ordre] = lignes[premier]
        details = np.array([f"identique à la ligne {p}" for p in premieres[autre_bloc]], dtype=object)
        tous = np.full(len(hachages), None, dtype=object)
        tous[autre_bloc] = details
        erreurs.ajouter_masque(autre_bloc, lignes, None, None, DOUBLON, tous)
