"""The one way the tests build a Dash callback request: the JSON body the browser posts to
`/_dash-update-component`, from the callback's own declaration in the app."""

from __future__ import annotations

import json


def cle_rappel(app, sortie: str) -> str:
    """The callback map key naming `sortie` ("carte.figure", "fiche-telechargement"…): the key itself, or
    the first that contains it."""
    if sortie in app.callback_map:
        return sortie
    return next(k for k in app.callback_map if sortie in k)


def id_texte(identifiant: str | dict) -> str:
    """A component id as Dash writes it in changedPropIds (a dict id: JSON with sorted keys)."""
    if isinstance(identifiant, dict):
        return json.dumps(identifiant, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return identifiant


def _selon_motif(identifiant: dict, motif: dict) -> bool:
    return set(identifiant) == set(motif) and all(
        isinstance(v, list) or identifiant[k] == v for k, v in motif.items()
    )


def _sorties(cle: str) -> list[dict] | dict:
    def une(texte: str) -> dict | list:
        identifiant, propriete = texte.rsplit(".", 1)
        if identifiant.startswith("{"):  # a pattern-matching output: the components on screen (none)
            return []
        return {"id": identifiant, "property": propriete}

    if cle.startswith(".."):
        return [une(m) for m in cle.strip(".").split("...")]
    return une(cle)


def corps_rappel(
    app,
    sortie: str,
    valeurs: dict | None = None,
    declencheur: str | tuple[dict, str] | None = None,
    defaut=None,
    composants: list[tuple[dict, str, object]] = (),
) -> dict:
    """The request of the callback writing `sortie` (see `corps_de`)."""
    cle = cle_rappel(app, sortie)
    return corps_de(cle, app.callback_map[cle], defaut, valeurs, declencheur, composants)


def corps_de(
    cle: str,
    rappel: dict,
    defaut=None,
    valeurs: dict | None = None,
    declencheur: str | tuple[dict, str] | None = None,
    composants: list[tuple[dict, str, object]] = (),
) -> dict:
    """The request of the callback `rappel` (of key `cle` in the callback map).

    valeurs: {"id.property": value} of plain inputs and states (`defaut` for the others);
    composants: (id, property, value) of the components a pattern-matching input matches on screen;
    declencheur: what changed, "id.property" or (dict id, property); by default the first plain input.
    """
    valeurs = valeurs or {}

    def entree(declaree: dict):
        identifiant, propriete = declaree["id"], declaree["property"]
        if identifiant.startswith("{"):  # pattern-matching: the components of the kind on screen
            motif = json.loads(identifiant)
            return [
                {"id": i, "property": p, "value": v}
                for i, p, v in composants
                if p == propriete and _selon_motif(i, motif)
            ]
        valeur = valeurs.get(f"{identifiant}.{propriete}", defaut)
        return {"id": identifiant, "property": propriete, "value": valeur}

    if declencheur is None:
        premiers = [d for d in rappel["inputs"][:1] if not d["id"].startswith("{")]
        changes = [f"{d['id']}.{d['property']}" for d in premiers]
    elif isinstance(declencheur, tuple):
        changes = [f"{id_texte(declencheur[0])}.{declencheur[1]}"]
    else:
        changes = [declencheur]
    return {
        "output": cle,
        "outputs": _sorties(cle),
        "inputs": [entree(d) for d in rappel["inputs"]],
        "state": [entree(d) for d in rappel.get("state", [])],
        "changedPropIds": changes,
    }
