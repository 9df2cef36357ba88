"""The briefing deck and its address: the one codec of `/presentation`.

    /presentation?diapos=resume,carte,classement,chronologie,departement:29&diapo=2&auto=30&vague=2019…

`diapos` chooses the slides and their order (`resume`, `carte`, `classement`, `chronologie`, or a territory
or laureate identifier such as `departement:29`, `porteur:…`); the national view's parameters (vue,
niveau, indicateur, filters) say what they show; `diapo` is the slide on screen (from 1), `auto` the
seconds between slides (0: by hand). The address is the deck: bookmark it, send it, reopen it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode

from dashboard.domain.etat import EtatVue, lire_etat
from dashboard.domain.liens import lire_identifiant

DIAPOS_PAR_DEFAUT = ("resume", "carte", "classement", "chronologie")
GENRES = {
    "resume": "Synthèse nationale",
    "carte": "Carte",
    "classement": "Premiers et derniers",
    "chronologie": "Activité mensuelle",
}
MAX_DIAPOS = 12
AUTO_MIN, AUTO_MAX = 5, 600
PARAMETRES_DECK = ("diapos", "diapo", "auto", "impression")


@dataclass(frozen=True)
class Deck:
    diapos: tuple[str, ...]
    etat: EtatVue
    courante: int  # from 1
    auto: int  # seconds, 0 = by hand
    ignores: tuple[str, ...]  # slides not understood, said on the first slide

    def query(self, **changes) -> str:
        """The deck's address with `changes` (diapo=…, impression=1)."""
        parametres = {**dict(parse_qsl(self.etat.query().lstrip("?")))}
        parametres["diapos"] = ",".join(self.diapos)
        parametres["diapo"] = str(self.courante)
        if self.auto:
            parametres["auto"] = str(self.auto)
        parametres.update({k: str(v) for k, v in changes.items()})
        return "/presentation?" + urlencode(parametres, safe=",:.-")


def lire_deck(parametres: dict) -> Deck:
    """The deck of the URL parameters; what cannot be read falls back to defaults (and is said)."""
    ignores = []
    try:
        etat = lire_etat(parametres)
    except ValueError as exc:
        etat, ignores = EtatVue(), [str(exc)]
    diapos = []
    for morceau in (parametres.get("diapos") or ",".join(DIAPOS_PAR_DEFAUT)).split(","):
        morceau = morceau.strip()
        if not morceau:
            continue
        if morceau in GENRES:
            diapos.append(morceau)
            continue
        try:
            lire_identifiant(morceau)
            diapos.append(morceau)
        except ValueError:
            ignores.append(morceau[:40])
    diapos = diapos[:MAX_DIAPOS] or list(DIAPOS_PAR_DEFAUT)
    courante = _entier(parametres.get("diapo"), 1, 1, len(diapos))
    auto = _entier(parametres.get("auto"), 0, 0, AUTO_MAX)
    if 0 < auto < AUTO_MIN:
        auto = AUTO_MIN
    return Deck(tuple(diapos), etat, courante, auto, tuple(ignores))


def deck_canonique_de(deck: Deck) -> str:
    """The deck's address from its first slide, without timer: what a briefing link names."""
    return replace(deck, courante=1, auto=0).query()


def deck_canonique(parametres: dict) -> str:
    """The deck a set of parameters shows, whatever slide is current: what a briefing link grants."""
    propres = {k: v for k, v in parametres.items() if k not in (*PARAMETRES_DECK, "jeton")}
    propres["diapos"] = parametres.get("diapos") or ""
    return deck_canonique_de(lire_deck(propres))


def presentation(etat: EtatVue, diapos: tuple[str, ...] = DIAPOS_PAR_DEFAUT, courante: int = 1) -> str:
    """The deck of a view: its filters, these slides, opened on slide `courante`."""
    return Deck(tuple(diapos), etat, courante, 0, ()).query()


def _entier(texte, defaut: int, minimum: int, maximum: int) -> int:
    try:
        return max(minimum, min(maximum, int(str(texte))))
    except (TypeError, ValueError):
        return defaut
