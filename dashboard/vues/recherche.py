"""The search box's index: every région, département, EPCI and laureate, with the words each is found by,
built once per data version (a keystroke then only walks it: dashboard.domain.recherche)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from dashboard.domain.recherche import Element, Index, Resultat
from dashboard.domain.vocabulaire import libelle_niveau, libelle_type
from dashboard.store.donnees import programme, reference, territoires
from dashboard.store.memoire import memoiser
from dashboard.vues import Sources


def index(sources: Sources) -> Index:
    """The index of the current data (read-only, shared by every callback of the process)."""
    return memoiser(sources.engine, _construire, partage=True)


LONGUEUR_MAX = 100  # no name is longer: what is beyond is not searched


def chercher(sources: Sources, texte: object) -> list[Resultat]:
    """The best matches of what the user typed (nothing for anything but text)."""
    if not isinstance(texte, str):
        return []
    return index(sources).chercher(texte[:LONGUEUR_MAX])


def nom(sources: Sources, identifiant: str) -> str | None:
    """The name of the entity an identifier (`departement:69`) names; None when it names nothing."""
    element = index(sources).element(identifiant)
    return element.nom if element else None


def _texte(valeur) -> str | None:
    return valeur if isinstance(valeur, str) and valeur else None


def _construire(engine: Engine) -> Index:
    reference_territoires = territoires(engine).reset_index()
    noms = {
        (n, c): nom_
        for n, c, nom_ in reference_territoires[["niveau", "code", "nom"]].itertuples(index=False)
    }
    elements = []
    for t in reference_territoires.itertuples(index=False):
        region, departement = _texte(t.code_region), _texte(t.code_departement)
        nom_region = noms.get(("region", region), "")
        if t.niveau == "region":
            contexte, alias = "", ()
        elif t.niveau == "departement":
            contexte, alias = nom_region, ()
        else:
            contexte = noms.get(("departement", departement), "") or nom_region
            alias = (nom_region,)
        elements.append(
            Element(
                t.niveau,
                t.code,
                t.nom,
                libelle_niveau(t.niveau),
                contexte,
                t.code if t.niveau == "region" else region,
                alias,
            )
        )
    elements += _laureats(engine, noms)
    return Index(elements)


def _laureats(engine: Engine, noms: dict) -> list[Element]:
    conventions = programme(engine).conventions.drop_duplicates("siren")
    _, perimetres = reference(engine)
    regions = {}
    if not perimetres.empty:
        comptes = perimetres.groupby(["siren", "code_region"], observed=True).size().reset_index(name="n")
        comptes = comptes.sort_values(["siren", "n"], ascending=[True, False]).drop_duplicates("siren")
        regions = {str(s): str(r) for s, r in zip(comptes["siren"], comptes["code_region"], strict=True)}
    elements = []
    for c in conventions.itertuples(index=False):
        alias = (str(c.code_territoire),) if not pd.isna(c.code_territoire) else ()
        elements.append(
            Element(
                "porteur",
                str(c.siren),
                str(c.nom),
                libelle_niveau("porteur"),
                libelle_type(c.type, pluriel=False),
                regions.get(str(c.siren)),
                alias,
            )
        )
    return elements
