"""Finding any territory or laureate from a few typed characters: a name ("morbihan", "cotes darmor",
"st-malo"), a code ("56", "2A") or a SIREN, whatever the accents, the case, the hyphens and apostrophes.

The index is built once per data version (dashboard.vues.recherche); a search then walks about 1 600
entries with precomputed forms, well under a millisecond a keystroke. Results are ranked: the exact code,
the exact name, the name's beginning, a word's beginning, every word of the query found in the name and
its context (level, département, région, type), then any part of the name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from dashboard.domain.etat import EtatVue
from dashboard.domain.filtres import Filtres
from dashboard.domain.liens import chemin, comparer, identifiant
from dashboard.domain.texte import sans_accents

LIMITE = 10
ORDRE_NIVEAUX = {"region": 0, "departement": 1, "epci": 2, "porteur": 3}
# Abbreviations people type, and the word the names carry.
ABREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_NON_ALPHANUMERIQUE = re.compile(r"[^0-9a-z]+")

# Ranks, best first.
CODE_EXACT, NOM_EXACT, DEBUT_DU_NOM, DEBUT_D_UN_MOT, TOUS_LES_MOTS, DANS_LE_NOM = range(6)


def mots(texte: object) -> list[str]:
    """The words of a text as the index compares them: lower case, no accents, punctuation as blanks,
    abbreviations spelt out ("Saint-Brieuc" and "st brieuc" both give ["saint", "brieuc"])."""
    return [ABREVIATIONS.get(m, m) for m in _NON_ALPHANUMERIQUE.sub(" ", sans_accents(texte)).split()]


@dataclass(frozen=True)
class Element:
    """A territory (région, département, EPCI) or a laureate that a search may offer."""

    niveau: str  # region, departement, epci or porteur
    code: str  # INSEE code, EPCI SIREN, laureate SIREN
    nom: str
    nature: str  # "département", "EPCI", "lauréat"
    contexte: str = ""  # "Bretagne", "Ille-et-Vilaine", "conseil régional"
    region: str | None = None  # the code of its région (a laureate: the région of most of its perimeter)
    alias: tuple[str, ...] = ()  # other words it may be found by (a laureate's territory code…)

    @property
    def identifiant(self) -> str:
        return identifiant(self.niveau, self.code)

    @property
    def montre_code(self) -> bool:
        """Régions and départements are known by their code: it is shown beside the name."""
        return self.niveau in ("region", "departement")

    @property
    def titre(self) -> str:
        """ "Morbihan (56)", "Rennes Métropole"."""
        return f"{self.nom} ({self.code})" if self.montre_code else self.nom

    @property
    def precision(self) -> str:
        """ "département, Bretagne", "EPCI, Ille-et-Vilaine", "lauréat, conseil régional"."""
        return f"{self.nature}, {self.contexte}" if self.contexte else self.nature

    @property
    def libelle(self) -> str:
        """ "Morbihan (56) — département, Bretagne"."""
        return f"{self.titre} — {self.precision}"

    @property
    def fiche(self) -> str:
        return chemin(self.niveau, self.code)

    @property
    def comparaison(self) -> str:
        return comparer([self.identifiant])

    @property
    def carte(self) -> str:
        return lien_carte(self.niveau, self.code, self.region)


def lien_carte(niveau: str, code: str, region: str | None) -> str:
    """The national map showing the entity, focused on it (`focus=niveau:code`): a territory among those
    of its level in its région (a région among all régions), a laureate among the laureates of its
    région."""
    regions = (region,) if region and niveau != "region" else ()
    if niveau == "porteur":
        etat = EtatVue(vue="porteurs", filtres=Filtres(regions=regions))
    else:
        etat = EtatVue(vue="territoires", niveau=niveau, filtres=Filtres(regions=regions))
    requete = etat.query()
    focus = "focus=" + quote(identifiant(niveau, code), safe=":")
    return "/" + (f"{requete}&{focus}" if requete else f"?{focus}")


@dataclass(frozen=True)
class Resultat:
    element: Element
    rang: int  # CODE_EXACT … DANS_LE_NOM

    @property
    def par_code(self) -> bool:
        return self.rang == CODE_EXACT


@dataclass(frozen=True)
class _Forme:
    """An element's precomputed forms, compared with C-level string operations only."""

    element: Element
    code: str  # lower case: "2a", "200067106"
    compact: str  # the name's words glued: "cotesdarmor"
    suites: str  # the name glued from each of its later words on: "|darmor|armor"
    autour: str  # every word of the name and of its context, its code, its aliases: " cotes d armor 22 "
    ordre: tuple


class Index:
    """Every entity that can be searched, with the forms each search compares (built once)."""

    def __init__(self, elements: Iterable[Element]):
        formes = []
        for e in elements:
            nom = mots(e.nom)
            autour = {*nom, *mots(e.nature), *mots(e.contexte), e.code.lower()}
            for alias in e.alias:
                autour.update(mots(alias))
            formes.append(
                _Forme(
                    element=e,
                    code=e.code.lower(),
                    compact="".join(nom),
                    suites="".join("|" + "".join(nom[i:]) for i in range(1, len(nom))),
                    autour=" " + " ".join(sorted(autour)) + " ",
                    ordre=(ORDRE_NIVEAUX.get(e.niveau, 9), len(e.nom), sans_accents(e.nom), e.code),
                )
            )
        self._formes = formes
        self._par_identifiant = {f.element.identifiant: f.element for f in formes}

    def __len__(self) -> int:
        return len(self._formes)

    def __iter__(self):
        return (f.element for f in self._formes)

    def element(self, identifiant_: str) -> Element | None:
        return self._par_identifiant.get(identifiant_)

    def chercher(self, texte: object, limite: int = LIMITE) -> list[Resultat]:
        """The best `limite` matches of the typed text, best first; nothing for a blank text."""
        requete = mots(texte or "")
        if not requete:
            return []
        compacte = "".join(requete)
        debuts = [" " + mot for mot in requete]
        trouves = []
        for forme in self._formes:
            rang = _rang(forme, debuts, compacte)
            if rang is not None:
                trouves.append((rang, forme.ordre, forme.element))
        trouves.sort(key=lambda t: (t[0], t[1]))
        return [Resultat(e, rang) for rang, _, e in trouves[:limite]]


def _rang(forme: _Forme, debuts: list[str], compacte: str) -> int | None:
    if compacte == forme.code:
        return CODE_EXACT
    if compacte == forme.compact:
        return NOM_EXACT
    if forme.compact.startswith(compacte) or (len(compacte) >= 2 and forme.code.startswith(compacte)):
        return DEBUT_DU_NOM
    if "|" + compacte in forme.suites:
        return DEBUT_D_UN_MOT
    if all(debut in forme.autour for debut in debuts):
        return TOUS_LES_MOTS
    if len(compacte) >= 3 and compacte in forme.compact:
        return DANS_LE_NOM
    return None
