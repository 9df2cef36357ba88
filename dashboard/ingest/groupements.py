"""The members of BANATIC groupements, named by SIREN, turned into syndicat members of the reference.

BANATIC names every member by its SIREN: a commune (`code_commune.siren`), a groupement (an EPCI of the
reference, or another groupement: of the same file, or a syndicat already in the database, unfolded into
its own members), a département or a région. No offline source gives the real SIRENs of the conseils
départementaux and régionaux: they are taken from the CD and CR laureates of the database, then from the
demo's collectivities (fictitious SIRENs, data/demo/collectivites.csv), and failing that from the member's
name ("Département de l'Ardèche", "Région Auvergne-Rhône-Alpes", "Collectivité de Corse"). A région becomes
its départements: `syndicat_membre` knows départements, EPCI and communes only, and a région's territory is
the union of its départements'. Anything else is left aside and said, never refused on its own.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from dashboard.domain.formatage import nombre
from dashboard.domain.texte import sans_accents
from dashboard.settings import ROOT

COLLECTIVITES_DEMO = ROOT / "data" / "demo" / "collectivites.csv"
EXEMPLES_MAX = 5

Feuille = tuple[str, str]  # (niveau_membre, code_membre): departement, epci or commune

# What a member's name starts with when it is a département or a région; "collectivité" is both (Corse,
# Martinique, Guyane).
PREFIXES = (
    ("conseil departemental", ("departement",)),
    ("conseil general", ("departement",)),
    ("collectivite departementale", ("departement",)),
    ("departement", ("departement",)),
    ("conseil regional", ("region",)),
    ("collectivite regionale", ("region",)),
    ("region", ("region",)),
    ("collectivite territoriale unique", ("departement", "region")),
    ("collectivite territoriale", ("departement", "region")),
    ("collectivite", ("departement", "region")),
)
ARTICLES = ("de la ", "de l ", "du ", "des ", "de ", "d ", "la ", "le ", "les ", "l ")
# Names that no prefix explains: the Collectivité européenne d'Alsace (since 2021) stands for the Bas-Rhin
# and the Haut-Rhin; "Région Sud" is the name Provence-Alpes-Côte d'Azur uses.
NOMS_PARTICULIERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "collectivite europeenne d alsace": ("departement", ("67", "68")),
    "region sud": ("region", ("93",)),
}


@dataclass(frozen=True)
class Annuaire:
    """What a member's SIREN or name may designate, read before validating (nothing here reads the
    database)."""

    communes: Mapping[str, str]  # SIREN → today's commune code
    epci: Collection[str]  # SIRENs of the EPCI of the reference
    collectivites: Mapping[str, tuple[str, str, str]]  # SIREN → (niveau, code, "base" or "demo")
    syndicats: Mapping[str, tuple[Feuille, ...]]  # syndicats already in the database → their members
    noms: Mapping[tuple[str, str], str]  # (niveau, code) → name, régions, départements and EPCI
    departements_des_regions: Mapping[str, tuple[str, ...]]
    cog: str = "COG de référence"
    _par_nom: dict[str, list[tuple[str, str]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for (niveau, code), nom in self.noms.items():
            if niveau in ("region", "departement"):
                self._par_nom.setdefault(_sans_article(cle_nom(nom)), []).append((niveau, code))

    def par_nom(self, nom: str) -> tuple[str, tuple[str, ...]] | None:
        """(niveau, codes) of a département or région named like "Conseil départemental de la Drôme",
        "Région Auvergne-Rhône-Alpes", "Collectivité de Corse"; None otherwise."""
        cle = cle_nom(nom)
        if cle in NOMS_PARTICULIERS:
            return NOMS_PARTICULIERS[cle]
        for prefixe, niveaux in PREFIXES:
            if cle.startswith(prefixe + " "):
                candidats = self._par_nom.get(_sans_article(cle.removeprefix(prefixe).strip()), [])
                # A single-département région (Martinique, Guyane…): the département says the same.
                for niveau in ("departement", "region"):
                    codes = tuple(c for n, c in candidats if n == niveau and n in niveaux)
                    if len(codes) == 1:
                        return niveau, codes
                return None
        return None


def annuaire(
    communes: Mapping[str, str],
    epci: Collection[str],
    collectivites_base: Mapping[str, tuple[str, str]],
    syndicats: Mapping[str, tuple[Feuille, ...]],
    noms: Mapping[tuple[str, str], str],
    departements_des_regions: Mapping[str, tuple[str, ...]],
    cog: str,
    demo: Path | None = COLLECTIVITES_DEMO,
) -> Annuaire:
    """The laureates' SIRENs first (real ones), then the demo's (fictitious, used by the demo's files)."""
    collectivites = {s: (n, c, "demo") for s, (n, c) in (_collectivites_demo(demo) if demo else {}).items()}
    collectivites.update({s: (n, c, "base") for s, (n, c) in collectivites_base.items()})
    return Annuaire(communes, epci, collectivites, syndicats, noms, departements_des_regions, cog)


@cache
def _collectivites_demo(chemin: Path) -> dict[str, tuple[str, str]]:
    if not chemin.is_file():
        return {}
    with chemin.open(encoding="utf-8", newline="") as fichier:
        return {
            ligne["siren"]: (ligne["niveau"], ligne["code"])
            for ligne in csv.DictReader(fichier)
            if ligne.get("siren") and ligne.get("niveau") in ("region", "departement")
        }


def cle_nom(nom: object) -> str:
    """ "Conseil départemental de l'Ardèche" → "conseil departemental de l ardeche"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", sans_accents(nom)).split())


def _sans_article(cle: str) -> str:
    for article in ARTICLES:
        if cle.startswith(article):
            return cle.removeprefix(article)
    return cle


# --- One member ---------------------------------------------------------------------------------------

# Members left aside, by BANATIC's type: (how the report names them, why), and why in a refusal's detail.
IGNORES = {
    "commune": ("« Commune »", "SIREN d'aucune commune du {cog} : commune fusionnée depuis ?"),
    "groupement": (
        "« Groupement »",
        "ni EPCI du {cog}, ni groupement du fichier, ni syndicat déjà dans la base",
    ),
    "autre": ("« Autre organisme »", "ni département ni région reconnus"),
    "inconnu": ("", "SIREN inconnu : ni commune, ni EPCI, ni groupement, ni département ou région reconnus"),
}
RAISONS = {
    "commune": "SIREN d'aucune commune du {cog}",
    "groupement": "ni EPCI du {cog}, ni groupement du fichier, ni syndicat de la base",
    "autre": "autre organisme qui n'est ni un département ni une région reconnus",
    "inconnu": "SIREN inconnu",
}


@dataclass(frozen=True)
class Membre:
    """What one member line of the file designates."""

    feuilles: tuple[Feuille, ...] = ()  # identified directly
    groupement: str | None = None  # a groupement of the file or a syndicat of the database: unfolded
    ignore: str | None = None  # why it is left aside: a key of IGNORES
    par: str = ""  # how a département or région was found: "base", "demo" or "nom"
    territoire: tuple[str, str] | None = None  # that département or région, for the report


def classer(
    siren: str, type_: str, nom: str, annuaire_: Annuaire, groupements_du_fichier: Collection[str]
) -> Membre:
    """type_: "commune", "groupement", "autre" or "" (as BANATIC says it, normalised)."""
    if siren in annuaire_.communes:
        return Membre(feuilles=(("commune", annuaire_.communes[siren]),))
    if siren in annuaire_.epci:
        return Membre(feuilles=(("epci", siren),))
    if siren and (siren in groupements_du_fichier or siren in annuaire_.syndicats):
        return Membre(groupement=siren)
    if siren in annuaire_.collectivites:
        niveau, code, origine = annuaire_.collectivites[siren]
        return _collectivite(annuaire_, niveau, (code,), origine)
    if type_ not in ("commune", "groupement"):
        trouve = annuaire_.par_nom(nom)
        if trouve is not None:
            return _collectivite(annuaire_, trouve[0], trouve[1], "nom")
    return Membre(ignore=type_ if type_ in IGNORES else "inconnu")


def _collectivite(annuaire_: Annuaire, niveau: str, codes: tuple[str, ...], origine: str) -> Membre:
    if niveau == "region":
        departements = tuple(d for c in codes for d in annuaire_.departements_des_regions.get(c, ()))
        return Membre(
            feuilles=tuple(("departement", d) for d in departements),
            par=origine,
            territoire=(niveau, codes[0]),
        )
    return Membre(
        feuilles=tuple(("departement", c) for c in codes),
        par=origine,
        territoire=(niveau, codes[0]) if len(codes) == 1 else ("departements", "+".join(codes)),
    )


# --- Every syndicat of the file -----------------------------------------------------------------------


@dataclass
class Perimetres:
    """membres: position of the member line in the file, siren_syndicat, niveau_membre, code_membre,
    code_brut (the member's SIREN), one row per member (direct members first, then what unfolded groupements
    bring); vides: syndicats none of whose members was identified → the positions of their lines;
    raisons: position → why that member was left aside."""

    membres: pd.DataFrame
    vides: dict[str, list[int]]
    raisons: dict[int, str]
    informations: list[str]


@dataclass
class _Depliage:
    """Unfolding groupements into their members, with the cycles found on the way."""

    par_groupement: Mapping[str, list[int]]
    classes: Mapping[int, Membre]
    annuaire: Annuaire
    ignores_imbriques: set[int] = field(default_factory=set)
    cycles: set[tuple[str, ...]] = field(default_factory=set)
    _memo: dict[str, tuple[Feuille, ...]] = field(default_factory=dict)

    def feuilles(self, groupement: str, chemin: tuple[str, ...]) -> tuple[tuple[Feuille, ...], bool]:
        """The members of `groupement` reached from `chemin` (its ancestors); and whether a cycle cut
        the walk short (then the result is not memoised: from elsewhere it may be larger)."""
        if groupement in chemin:
            boucle = chemin[chemin.index(groupement) :]
            debut = boucle.index(min(boucle))  # one spelling per cycle, whichever syndicat it is met from
            self.cycles.add((*boucle[debut:], *boucle[:debut], min(boucle)))
            return (), True
        if groupement in self._memo:
            return self._memo[groupement], False
        if groupement not in self.par_groupement:  # a syndicat of the database, already flat
            return tuple(self.annuaire.syndicats.get(groupement, ())), False
        resultat, coupe = [], False
        for position in self.par_groupement[groupement]:
            membre = self.classes[position]
            if membre.groupement is not None:
                feuilles, coupe_ici = self.feuilles(membre.groupement, (*chemin, groupement))
                resultat += feuilles
                coupe |= coupe_ici
            elif membre.ignore is not None:
                self.ignores_imbriques.add(position)
            resultat += membre.feuilles
        resultat = tuple(dict.fromkeys(resultat))
        if not coupe:
            self._memo[groupement] = resultat
        return resultat, coupe


def perimetres(lignes: pd.DataFrame, syndicats: pd.Series, annuaire_: Annuaire) -> Perimetres:
    """lignes: n_siren, nom_du_groupement, nature_juridique, type, siren_membre, nom_membre (SIRENs
    without spaces, type normalised: commune, groupement, autre), positions 0…n-1; syndicats: the mask of
    the syndicats mixtes' lines (the others only serve as members)."""
    est_sm = pd.Series(syndicats).to_numpy(dtype=bool).tolist()
    sirens_membres = lignes["siren_membre"].tolist()
    par_groupement: dict[str, list[int]] = defaultdict(list)
    for position, siren in enumerate(lignes["n_siren"]):
        if siren:
            par_groupement[siren].append(position)
    memo: dict[tuple[str, str, str], Membre] = {}
    classes: dict[int, Membre] = {}
    for position, cle in enumerate(zip(sirens_membres, lignes["type"], lignes["nom_membre"], strict=True)):
        if cle not in memo:
            memo[cle] = classer(*cle, annuaire_, par_groupement)
        classes[position] = memo[cle]
    depliage = _Depliage(par_groupement, classes, annuaire_)
    directs, deplies, vides, raisons = [], [], {}, {}
    for siren_sm in dict.fromkeys(s for s, sm in zip(lignes["n_siren"], est_sm, strict=True) if sm and s):
        positions = [p for p in par_groupement[siren_sm] if est_sm[p]]
        trouves = len(directs) + len(deplies)
        for position in positions:
            membre, brut = classes[position], sirens_membres[position] or None
            directs += [(position, siren_sm, n, c, brut) for n, c in membre.feuilles]
            if membre.groupement is not None:
                feuilles, _ = depliage.feuilles(membre.groupement, (siren_sm,))
                deplies += [(position, siren_sm, n, c, brut) for n, c in feuilles]
            if membre.ignore is not None:
                raisons[position] = RAISONS[membre.ignore].format(cog=annuaire_.cog)
        if len(directs) + len(deplies) == trouves:
            vides[siren_sm] = positions
    colonnes = ["position", "siren_syndicat", "niveau_membre", "code_membre", "code_brut"]
    membres = pd.DataFrame(directs + deplies, columns=colonnes, dtype=object)
    membres = membres.drop_duplicates(["siren_syndicat", "niveau_membre", "code_membre"], ignore_index=True)
    membres["position"] = membres["position"].astype("int64")
    utilises = [p for p, sm in enumerate(est_sm) if sm]
    ignores = sorted(set(raisons) | depliage.ignores_imbriques)
    phrases = _informations(lignes, utilises, classes, ignores, depliage.cycles, annuaire_)
    return Perimetres(membres, vides, raisons, phrases)


# --- The report ---------------------------------------------------------------------------------------


def _informations(
    lignes: pd.DataFrame,
    utilises: list[int],
    classes: Mapping[int, Membre],
    ignores: list[int],
    cycles: set[tuple[str, ...]],
    annuaire_: Annuaire,
) -> list[str]:
    """What was left aside (members of the syndicats mixtes and of the groupements they contain), and
    how the members of the syndicats mixtes (`utilises`: their lines) were identified."""
    phrases = []
    par_raison: dict[str, list[int]] = defaultdict(list)
    for position in ignores:
        par_raison[classes[position].ignore].append(position)
    for raison, positions in par_raison.items():
        type_, pourquoi = IGNORES[raison]
        n = len(positions)
        debut = f"{_n(n, 'membre')} {type_} {'ignorés' if n > 1 else 'ignoré'}".replace("  ", " ")
        phrases.append(
            _phrase(f"{debut} ({pourquoi.format(cog=annuaire_.cog)})", _exemples(lignes, positions))
        )
    for origine, libelle in (
        ("nom", "par {son} nom (aucun SIREN connu de conseil départemental ou régional)"),
        ("demo", f"par le SIREN fictif des collectivités de la démo ({_relatif(COLLECTIVITES_DEMO)})"),
    ):
        positions = [p for p in utilises if classes[p].par == origine]
        if positions:
            exemples = _designations(lignes, positions, classes, annuaire_)
            son = "leur" if len(positions) > 1 else "son"
            debut = f"{_n(len(positions), 'membre identifié')} {libelle.format(son=son)}"
            phrases.append(_phrase(debut, exemples, tout=True))
    regions = [p for p in utilises if classes[p].territoire and classes[p].territoire[0] == "region"]
    if regions:
        exemples = [
            f"{_nom_membre(lignes, p)} (membre de {_nom_groupement(lignes, p)}) → "
            f"{nombre(len(classes[p].feuilles))} départements"
            for p in regions
        ]
        phrases.append(
            _phrase(
                f"{_n(len(regions), 'région membre comptée')} comme {_ses(len(regions))} départements (un "
                "syndicat n'a pour membres que des départements, des EPCI et des communes ; le périmètre "
                "est le même)",
                exemples,
            )
        )
    deplies = [p for p in utilises if classes[p].groupement is not None]
    if deplies:
        exemples = [f"{_nom_membre(lignes, p)} (membre de {_nom_groupement(lignes, p)})" for p in deplies]
        phrases.append(
            _phrase(
                f"{_n(len(deplies), 'groupement membre remplacé')} par {_ses(len(deplies))} propres membres",
                exemples,
            )
        )
    if cycles:
        boucles = [" → ".join(cycle) for cycle in sorted(cycles)]
        phrases.append(_phrase("adhésions circulaires entre groupements, suivies une seule fois", boucles))
    return phrases


def _ses(n: int) -> str:
    return "leurs" if n > 1 else "ses"


def _n(n: int, mots: str) -> str:
    """_n(2, "membre ignoré") → "2 membres ignorés" (every word takes the plural's s)."""
    return f"{nombre(n)} {' '.join(m + 's' for m in mots.split()) if n > 1 else mots}"


def _nom_membre(lignes: pd.DataFrame, position: int) -> str:
    siren, nom = lignes["siren_membre"].iloc[position], lignes["nom_membre"].iloc[position]
    return " ".join(morceau for morceau in (siren, nom) if morceau) or "(sans SIREN ni nom)"


def _exemples(lignes: pd.DataFrame, positions: Iterable[int]) -> list[str]:
    return [f"{_nom_membre(lignes, p)} (membre de {_nom_groupement(lignes, p)})" for p in positions]


def _nom_groupement(lignes: pd.DataFrame, position: int) -> str:
    return lignes["nom_du_groupement"].iloc[position] or lignes["n_siren"].iloc[position]


def _designations(
    lignes: pd.DataFrame, positions: list[int], classes: Mapping[int, Membre], annuaire_: Annuaire
) -> list[str]:
    vus: list[str] = []
    for p in positions:
        niveau, code = classes[p].territoire
        cible = (
            f"départements {code.replace('+', ', ')}"
            if niveau == "departements"
            else f"{'région' if niveau == 'region' else 'département'} {code} "
            f"{annuaire_.noms.get((niveau, code), '')}".rstrip()
        )
        vus.append(f"« {lignes['nom_membre'].iloc[p] or lignes['siren_membre'].iloc[p]} » → {cible}")
    return vus


def _phrase(debut: str, exemples: list[str], tout: bool = False) -> str:
    distincts = list(dict.fromkeys(exemples))
    montres = distincts if tout else distincts[:EXEMPLES_MAX]
    reste = len(distincts) - len(montres)
    suite = f" … et {nombre(reste)} autre{'s' if reste > 1 else ''}" if reste else ""
    return f"{debut} : {' ; '.join(montres)}{suite}" if montres else debut


def _relatif(chemin: Path) -> str:
    try:
        return str(chemin.relative_to(ROOT))
    except ValueError:
        return str(chemin)
