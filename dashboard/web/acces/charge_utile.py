"""The shape of a callback request: the inputs, states and outputs it names are exactly those the callback
declared, each an id and a property. Checked before Dash reads the payload."""

from __future__ import annotations

import io
import json
import re


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
    """Exactly the outputs the callback declares ("..a.x...b.y.." names several): each the declared id and
    property — Dash builds its answer from them, and an output it does not know was a 500."""
    declarees = [m.rsplit(".", 1) for m in (cle.strip(".").split("...") if cle.startswith("..") else [cle])]
    if cle.startswith(".."):
        if not isinstance(sorties, list) or len(sorties) != len(declarees):
            return False
    else:
        sorties = [sorties]
    # A duplicate output is declared "prop@hash"; Dash compares the property names without it.
    return all(
        len(declaree) == 2
        and _entree_conforme(_sans_suffixe(recue), {"id": declaree[0], "property": declaree[1].split("@")[0]})
        for recue, declaree in zip(sorties, declarees, strict=True)
    )


def _sans_suffixe(sortie):
    if isinstance(sortie, list):
        return [_sans_suffixe(s) for s in sortie]
    if isinstance(sortie, dict) and isinstance(sortie.get("property"), str):
        return {**sortie, "property": sortie["property"].split("@")[0]}
    return sortie


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


# --- The callback a body names, read before the body ---------------------------------------------------

TETE = 4096  # Dash's renderer writes "output" first (JSON.stringify of {output, outputs, inputs, …})
CLE_TETE = "passnum.tete_du_rappel"
SORTIE_EN_TETE = re.compile(rb'^\s*\{\s*"output"\s*:\s*"((?:[^"\\]|\\.){1,2000})"')


def sortie_annoncee(tete: bytes) -> str | None:
    """The callback ("output") a body names first, read from its first bytes only; None if it does not
    start with it."""
    trouve = SORTIE_EN_TETE.match(tete)
    if trouve is None:
        return None
    try:
        return json.loads(b'"' + trouve.group(1) + b'"')
    except ValueError:
        return None


def garder_la_tete(wsgi_app, chemin: str):
    """WSGI: for the callback route, reads the first TETE bytes of the body ahead (kept in the environ) and
    hands the whole body on unchanged — so that the size a body may have is decided by the callback it
    names before the rest of it is read."""

    def application(environ, start_response):
        if environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO") == chemin:
            entree = environ["wsgi.input"]
            longueur = environ.get("CONTENT_LENGTH", "")
            if longueur.isdigit():
                a_lire = min(TETE, int(longueur))
            else:  # streamed: only a server that ends the stream itself may be read without a length
                a_lire = TETE if environ.get("wsgi.input_terminated") else 0
            tete = _lire(entree, a_lire)
            environ[CLE_TETE] = tete
            environ["wsgi.input"] = _Rechaine(tete, entree)
        return wsgi_app(environ, start_response)

    return application


def _lire(flux, taille: int) -> bytes:
    morceaux, reste = [], taille
    while reste > 0:
        morceau = flux.read(reste)
        if not morceau:
            break
        morceaux.append(morceau)
        reste -= len(morceau)
    return b"".join(morceaux)


class _Rechaine(io.RawIOBase):
    """The bytes read ahead, then the rest of the original stream."""

    def __init__(self, tete: bytes, suite) -> None:
        self._tete, self._suite = tete, suite

    def readable(self) -> bool:
        return True

    def readinto(self, tampon) -> int:
        if self._tete:
            n = min(len(tampon), len(self._tete))
            tampon[:n], self._tete = self._tete[:n], self._tete[n:]
            return n
        morceau = self._suite.read(len(tampon))
        tampon[: len(morceau)] = morceau
        return len(morceau)


def demande_d_image(corps: dict) -> bool:
    """Does this callback request come from a click on a PNG export button (dashboard.components.export)?
    (Buttons only drawn trigger the export callback too, without a click: they are not exports.)"""
    cliques = [
        e.get("id")
        for entree in corps.get("inputs", [])
        for e in (entree if isinstance(entree, list) else [entree])
        if isinstance(e, dict) and e.get("value")
    ]
    for declencheur in corps.get("changedPropIds", []):
        identifiant = declencheur.rsplit(".", 1)[0]
        if not identifiant.startswith("{"):
            continue
        try:
            id_ = json.loads(identifiant)
        except ValueError:
            continue
        if (
            isinstance(id_, dict)
            and id_.get("type") == "export"
            and id_.get("format") == "png"
            and id_ in cliques
        ):
            return True
    return False
