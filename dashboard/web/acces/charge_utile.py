"""The shape of a callback request: the inputs, states and outputs it names are exactly those the callback
declared, each an id and a property. Checked before Dash reads the payload."""

from __future__ import annotations

import json


def forme_valide(corps: dict, rappel: dict) -> bool:
    """Inputs and states name exactly the components and properties the callback declared."""
    for cle, declares in (("inputs", rappel.get("inputs", [])), ("state", rappel.get("state", []))):
        recus = corps.get(cle, [])
        if not isinstance(recus, list) or len(recus) != len(declares):
            return False
        for recu, declare in zip(recus, declares, strict=True):
            if not _entree_conforme(recu, declare):
                return False
    changes = corps.get("changedPropIds", [])
    if not isinstance(changes, list) or not all(isinstance(c, str) for c in changes):
        return False
    return _sorties_conformes(corps.get("outputs"), corps["output"])


def _sorties_conformes(sorties, cle: str) -> bool:
    """As many outputs as the callback declares ("..a.x...b.y.." names several), each an id and a property."""
    if cle.startswith(".."):
        attendues = len(cle.strip(".").split("..."))
        if not isinstance(sorties, list) or len(sorties) != attendues:
            return False
    else:
        sorties = [sorties]

    def une(s) -> bool:
        forme = isinstance(s, dict) and isinstance(s.get("id"), str | dict)
        return forme and isinstance(s.get("property"), str)

    # A pattern-matching output (ALL) is the list of the components it matched.
    return all(une(s) or (isinstance(s, list) and all(une(e) for e in s)) for s in sorties)


def _entree_conforme(recu, declare: dict) -> bool:
    identifiant, propriete = declare.get("id"), declare.get("property")
    if isinstance(identifiant, str) and identifiant.startswith("{"):  # pattern-matching id (ALL, MATCH…)
        modele = json.loads(identifiant)
        elements = recu if isinstance(recu, list) else [recu]
        return all(
            isinstance(e, dict) and e.get("property") == propriete and _selon_modele(e.get("id"), modele)
            for e in elements
        )
    return isinstance(recu, dict) and recu.get("id") == identifiant and recu.get("property") == propriete


def _selon_modele(identifiant, modele: dict) -> bool:
    """{"type": "fiche-png", "nom": "lieux"} matches {"type": "fiche-png", "nom": ["ALL"]}."""
    if not isinstance(identifiant, dict) or set(identifiant) != set(modele):
        return False
    return all(isinstance(attendu, list) or identifiant[cle] == attendu for cle, attendu in modele.items())
