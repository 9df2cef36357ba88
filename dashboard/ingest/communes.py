"""Commune codes of any COG vintage since 2015 → today's commune (table `code_commune`).

A file written in 2020 names communes that have since merged (44225 Freigné, now in 44180
Vallons-de-l'Erdre), communes déléguées or associées, and arrondissements municipaux (75115, 13201, 69385):
each resolves to the current commune that contains it; the raw code is kept beside the resolved one and
the report tells every conversion as information. A code that never existed stays unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from dashboard.domain.formatage import nombre
from dashboard.store.schema import CodeCommune

LIBELLES_NATURE = {
    "ancienne": "code ancien converti",
    "deleguee": "commune déléguée convertie",
    "associee": "commune associée convertie",
    "arrondissement": "arrondissement municipal converti",
}


@dataclass(frozen=True)
class CodesCommunes:
    """code (any vintage) → (today's code, nature); today's names for the report."""

    actuels: Mapping[str, str]
    natures: Mapping[str, str]
    noms: Mapping[str, str]  # today's communes only

    @classmethod
    def lire(
        cls, connection: Connection, communes_actuelles: Mapping[str, str] | None = None
    ) -> CodesCommunes:
        actuels, natures, noms = {}, {}, {}
        for code, nature, actuel, nom in connection.execute(
            select(CodeCommune.code, CodeCommune.nature, CodeCommune.code_actuel, CodeCommune.nom)
        ):
            actuels[code], natures[code] = actuel, nature
            if nature == "actuelle":
                noms[code] = nom or ""
        for code, nom in (communes_actuelles or {}).items():  # a geography without codes_communes.csv
            actuels.setdefault(code, code)
            natures.setdefault(code, "actuelle")
            noms.setdefault(code, nom)
        return cls(actuels, natures, noms)


@dataclass
class Resolution:
    """Per row: today's code ("" when unknown or empty), the mask of converted and of unknown codes."""

    codes: pd.Series
    convertis: pd.Series
    inconnus: pd.Series
    bruts: pd.Series  # the code as written (zero-padded), None when it was not converted


def resoudre(codes: pd.Series, reference: CodesCommunes) -> Resolution:
    """Resolve zero-padded 5-character codes; works on the distinct values."""
    valeurs, positions = pd.factorize(codes, use_na_sentinel=False)
    distincts = np.asarray(positions, dtype=object)
    actuels = np.array([reference.actuels.get(c, "") if c else "" for c in distincts], dtype=object)
    connus = np.array([bool(c) and c in reference.actuels for c in distincts])
    convertis = connus & (actuels != distincts)
    inconnus = np.array([bool(c) for c in distincts]) & ~connus
    resolus = pd.Series(actuels[valeurs], index=codes.index, dtype=object)
    masque_convertis = pd.Series(convertis[valeurs], index=codes.index)
    resolus = resolus.where(~pd.Series(inconnus[valeurs], index=codes.index), codes)
    return Resolution(
        codes=resolus,
        convertis=masque_convertis,
        inconnus=pd.Series(inconnus[valeurs], index=codes.index),
        bruts=codes.astype(object).where(masque_convertis, None),
    )


def informations(resolution: Resolution, reference: CodesCommunes, colonne: str) -> list[str]:
    """One sentence per conversion: "12 lignes : code ancien converti, 44225 → 44180 Vallons-de-l'Erdre"."""
    if not resolution.convertis.any():
        return []
    bruts = resolution.bruts[resolution.convertis]
    comptes = bruts.value_counts(sort=False)
    phrases = []
    for brut in sorted(comptes.index):
        n = int(comptes[brut])
        actuel = reference.actuels[brut]
        libelle = LIBELLES_NATURE.get(reference.natures.get(brut, ""), "code converti")
        nom = reference.noms.get(actuel, "")
        lignes = f"{nombre(n)} ligne{'s' if n > 1 else ''}"
        phrases.append(f"{lignes} : {libelle} ({colonne}), {brut} → {actuel} {nom}".rstrip())
    return phrases
