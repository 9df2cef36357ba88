"""The briefing deck and its address: the one codec of `/presentation`.

    /presentation?diapos=resume,carte,classement,chronologie,departement:29&diapo=2&auto=30&vague=2019…

`diapos` chooses the slides and their order (`resume`, `carte`, `classement`, `chronologie`, `territoire`
— the territory chosen by `territoire_choisi` —, or a territory or laureate identifier such as
`departement:29`, `porteur:…`); the national view's parameters (vue, niveau, indicateur, filters) say what
they show; `diapo` is the slide on screen (from 1), `auto` the seconds between slides (0: by hand). The
address is the deck: bookmark it, send it, reopen it.

Every slide states its selection in words (`selection_en_mots`), on screen and in the PDF alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import parse_qsl, urlencode

from dashboard.domain import formatage
from dashboard.domain.etat import EtatVue, lire_etat
from dashboard.domain.filtres import Plage
from dashboard.domain.liens import lire_identifiant
from dashboard.domain.resume import nom_region, periode_en_clair
from dashboard.domain.vocabulaire import NIVEAUX_FEMININS, effectif_niveau, libelle_type

TERRITOIRE = "territoire"  # the chosen territory: see territoire_choisi
COMITE = "comite"  # « Depuis le dernier comité » : key figures now and then, thresholds crossed, notes
NOTES_COMITE = "notes_comite"  # the notes written since the committee
DIAPOS_COMITE = (COMITE, NOTES_COMITE)
DERNIER = "dernier"  # comite=dernier: the latest committee, whichever it is when the deck is shown
# The slides every deck shows (a territory's page appends its own territory to them)…
DIAPOS_PAR_DEFAUT = ("resume", "carte", "classement", "chronologie")
# … and the default deck, which ends on the chosen territory.
DECK_PAR_DEFAUT = (*DIAPOS_PAR_DEFAUT, TERRITOIRE)
GENRES = {
    "resume": "Synthèse nationale",
    "carte": "Carte",
    "classement": "Premiers et derniers",
    "chronologie": "Activité mensuelle",
    TERRITOIRE: "Territoire choisi",
    COMITE: "Depuis le dernier comité",
    NOTES_COMITE: "Notes du comité",
}
ESPACE_INSECABLE = "\u00a0"
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
    comite: str | None = None  # `dernier` or the committee's date (AAAA-MM-JJ): the committee slides

    def query(self, **changes) -> str:
        """The deck's address with `changes` (diapo=…, impression=1)."""
        parametres = {**dict(parse_qsl(self.etat.query().lstrip("?")))}
        parametres["diapos"] = ",".join(self.diapos)
        parametres["diapo"] = str(self.courante)
        if self.auto:
            parametres["auto"] = str(self.auto)
        if self.comite:
            parametres["comite"] = self.comite
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
    for morceau in (parametres.get("diapos") or ",".join(DECK_PAR_DEFAUT)).split(","):
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
    diapos = diapos or list(DECK_PAR_DEFAUT)
    comite = _comite(parametres.get("comite"), ignores)
    if comite and COMITE not in diapos:  # the deck opens on « Depuis le dernier comité »
        diapos = [*DIAPOS_COMITE, *(d for d in diapos if d != NOTES_COMITE)]
    diapos = diapos[:MAX_DIAPOS]
    courante = _entier(parametres.get("diapo"), 1, 1, len(diapos))
    auto = _entier(parametres.get("auto"), 0, 0, AUTO_MAX)
    if 0 < auto < AUTO_MIN:
        auto = AUTO_MIN
    return Deck(tuple(diapos), etat, courante, auto, tuple(ignores), comite)


def _comite(texte, ignores: list[str]) -> str | None:
    """`dernier`, or a date AAAA-MM-JJ; anything else is ignored (and said)."""
    texte = (texte or "").strip() if isinstance(texte, str) else ""
    if not texte:
        return None
    if texte == DERNIER:
        return DERNIER
    try:
        return date.fromisoformat(texte).isoformat()
    except ValueError:
        ignores.append(f"comite={texte[:20]}")
        return None


def date_du_comite(deck: Deck) -> date | None:
    """The committee's date the deck names (None: `dernier`, or no committee)."""
    return date.fromisoformat(deck.comite) if deck.comite and deck.comite != DERNIER else None


def preparer_comite(etat: EtatVue | None = None) -> str:
    """The deck that prepares the monthly committee: the default slides after the committee ones."""
    return Deck((*DIAPOS_COMITE, *DECK_PAR_DEFAUT), etat or EtatVue(), 1, 0, (), DERNIER).query()


def deck_canonique_de(deck: Deck) -> str:
    """The deck's address from its first slide, without timer: what a briefing link names."""
    return replace(deck, courante=1, auto=0).query()


def deck_canonique(parametres: dict) -> str:
    """The deck a set of parameters shows, whatever slide is current: what a briefing link grants."""
    propres = {k: v for k, v in parametres.items() if k not in (*PARAMETRES_DECK, "jeton")}
    propres["diapos"] = parametres.get("diapos") or ""
    return deck_canonique_de(lire_deck(propres))


def presentation(etat: EtatVue, diapos: tuple[str, ...] = DECK_PAR_DEFAUT, courante: int = 1) -> str:
    """The deck of a view: its filters, these slides, opened on slide `courante`."""
    return Deck(tuple(diapos), etat, courante, 0, ()).query()


def _entier(texte, defaut: int, minimum: int, maximum: int) -> int:
    try:
        return max(minimum, min(maximum, int(str(texte))))
    except (TypeError, ValueError):
        return defaut


# --- The selection in words -------------------------------------------------------------------------


def selection_en_mots(etat: EtatVue, noms_regions: Mapping[str, str] | None = None) -> str:
    """What a slide shows, in one short sentence built from the view's filters: « Bretagne, vague 2019,
    conseils départementaux, taux d'utilisation entre 20 % et 80 %. »; « Toute la France, toutes
    vagues. » without filter. Units hold to their number (no-break spaces): a projector never breaks
    « 20 % » across two lines. noms_regions: code → name (a code without name reads « région 76 »)."""
    filtres = etat.filtres
    lieu = _liste([nom_region(c, noms_regions) for c in filtres.regions]) if filtres.regions else ""
    morceaux = [lieu or "toute la France"]
    if filtres.vagues:
        vagues = _liste([str(v) for v in filtres.vagues])
        morceaux.append(f"{'vague' if len(filtres.vagues) == 1 else 'vagues'} {vagues}")
    else:
        morceaux.append("toutes vagues")
    if filtres.types:
        morceaux.append(_liste([libelle_type(t) for t in filtres.types]))
    if _active(filtres.subvention):
        morceaux.append("subvention État " + _entre(filtres.subvention, _euros))
    if _active(filtres.distribues):
        morceaux.append("pass distribués " + _entre(filtres.distribues, formatage.nombre))
    if _active(filtres.taux):
        morceaux.append("taux d'utilisation " + _entre(filtres.taux, _taux))
    if filtres.periode:
        morceaux.append(periode_en_clair(filtres))
    phrase = ", ".join(morceaux)
    return phrase[0].upper() + phrase[1:] + "."


def _liste(mots: list[str]) -> str:
    return mots[0] if len(mots) == 1 else f"{', '.join(mots[:-1])} et {mots[-1]}"


def _active(plage: Plage | None) -> bool:
    return plage is not None and (plage.min is not None or plage.max is not None)


def _entre(plage: Plage, formater) -> str:
    """`entre 20 % et 80 %`, `d'au moins 20 %`, `d'au plus 80 %`."""
    if plage.min is not None and plage.max is not None:
        return f"entre {formater(plage.min)} et {formater(plage.max)}"
    if plage.min is not None:
        return f"d'au moins {formater(plage.min)}"
    return f"d'au plus {formater(plage.max)}"


def _insecable(texte: str) -> str:
    return formatage.insecable(texte, ESPACE_INSECABLE)


def _taux(fraction: float) -> str:
    """A bound of the rate filter: `20 %`, `12,5 %` (no trailing `,0`)."""
    entier = float(formatage.arrondi(fraction, 1, decalage=2)).is_integer()
    return _insecable(formatage.pourcentage(fraction, 0 if entier else 1))


def _euros(valeur: float) -> str:
    return _insecable(formatage.euros(valeur))


# --- The chosen territory: the last slide of the default deck --------------------------------------


@dataclass(frozen=True)
class TerritoireChoisi:
    identifiant: str | None  # `region:53`, `departement:75`; None when no territory qualifies
    regle: str  # why this one, said on the slide


def territoire_choisi(etat: EtatVue, candidats: Sequence[tuple[str, str, float]]) -> TerritoireChoisi:
    """The territory the default deck ends on. The région of the selection when it names one région;
    otherwise, among `candidats` — (identifiant, nom, pass distribués) of the selection's territories —,
    the one that distributed the most passes (by name on a tie)."""
    if len(etat.filtres.regions) == 1:
        return TerritoireChoisi(
            f"region:{etat.filtres.regions[0]}", "Territoire choisi : la région de la sélection."
        )
    avec = [(i, n, d) for i, n, d in candidats if d == d and d > 0]  # d == d: not NaN
    if not avec:
        return TerritoireChoisi(None, "Aucun territoire de la sélection n'a distribué de pass.")
    identifiant, _, distribues = min(avec, key=lambda c: (-c[2], c[1]))
    niveau = lire_identifiant(identifiant)[0]
    nom_niveau = effectif_niveau(niveau)[0]
    if nom_niveau[0] in "AEIOUaeiouéÉ":
        qui = f"l'{nom_niveau}"
    else:
        qui = f"{'la' if niveau in NIVEAUX_FEMININS else 'le'} {nom_niveau}"
    pass_ = formatage.nombre(distribues) + ESPACE_INSECABLE + "pass"
    return TerritoireChoisi(
        identifiant,
        f"Territoire choisi : {qui} qui a distribué le plus de pass dans la sélection ({pass_}).",
    )
