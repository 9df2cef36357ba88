"""The whole state of the national view and its query string: the one URL codec of the map page.

`?vue=porteurs&niveau=departement&indicateur=taux_utilisation&classes=quantiles&bornes=0.4,0.7&vague=2019…`
A shared link opens exactly the same view; an unreadable parameter raises ValueError in French.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from urllib.parse import parse_qsl, urlencode

from dashboard.domain.classification import Methode
from dashboard.domain.filtres import Filtres, lire_filtres, nombre_texte
from dashboard.domain.indicateurs import PAR_ID
from dashboard.domain.vocabulaire import NIVEAU_INFERIEUR, NIVEAU_SUPERIEUR, NIVEAUX_TERRITORIAUX

VUES = ("porteurs", "territoires")
# `focus=departement:29`: one territory (or a laureate's perimeter) outlined on the map.
_FOCUS = re.compile(r"^(?:region:[0-9]{2}|departement:(?:[0-9]{2}|2[AB]|97[0-9])|(?:epci|porteur):[0-9]{9})$")


@dataclass(frozen=True)
class EtatVue:
    vue: str = "porteurs"
    niveau: str = "departement"
    indicateur: str = "taux_utilisation"
    classes: Methode = Methode.QUANTILES
    bornes: tuple[float, ...] = ()  # frozen class bounds: kept while the filters change
    filtres: Filtres = field(default_factory=Filtres)
    # The table: its sort (`colonne:asc|desc`), its search, its chosen columns (empty: the default set).
    tri: str = ""
    recherche: str = ""
    colonnes: tuple[str, ...] = ()
    focus: str | None = None  # "niveau:code" outlined on the map (the search box links to it)

    def parametres(self) -> dict[str, str]:
        defaut = EtatVue()
        valeurs = {
            "vue": self.vue if self.vue != defaut.vue else "",
            "niveau": self.niveau if self.niveau != defaut.niveau else "",
            "indicateur": self.indicateur if self.indicateur != defaut.indicateur else "",
            "classes": self.classes.value if self.classes != defaut.classes else "",
            "bornes": ",".join(nombre_texte(b) for b in self.bornes),
        }
        tableau = {"tri": self.tri, "recherche": self.recherche, "colonnes": ",".join(self.colonnes)}
        focus = {"focus": self.focus} if self.focus else {}
        return {
            **{k: v for k, v in valeurs.items() if v},
            **self.filtres.parametres(),
            **focus,
            **{k: v for k, v in tableau.items() if v},
        }

    def query(self) -> str:
        parametres = self.parametres()
        if self.bornes:  # frozen breaks as people would write them (0.275, not 0.27499999999999997)
            parametres["bornes"] = ",".join(bornes_arrondies(self.bornes))
        return "?" + urlencode(parametres, safe=",.-:") if parametres else ""

    def descendre(self, code_region: str | None) -> EtatVue:
        """Drill down one level: région → its départements → their EPCIs."""
        inferieur = NIVEAU_INFERIEUR.get(self.niveau)
        if inferieur is None:
            return self
        regions = (code_region,) if self.niveau == "region" and code_region else self.filtres.regions
        return replace(self, niveau=inferieur, bornes=(), filtres=replace(self.filtres, regions=regions))

    def descendre_departement(self, code_departement: str, code_region: str | None) -> EtatVue:
        """From the départements of a région to the EPCIs of the one clicked (and only them)."""
        regions = (code_region,) if code_region else self.filtres.regions
        filtres = replace(self.filtres, regions=regions, departements=(code_departement,))
        return replace(self, niveau="epci", bornes=(), filtres=filtres)

    def remonter(self) -> EtatVue:
        """The way back: one level up; back at the régions, the région filter goes."""
        superieur = NIVEAU_SUPERIEUR.get(self.niveau)
        if superieur is None:
            return self
        regions = () if superieur == "region" else self.filtres.regions
        filtres = replace(self.filtres, regions=regions, departements=())
        return replace(self, niveau=superieur, bornes=(), filtres=filtres)


CHIFFRES_BORNES = 4
"""Significant digits of a frozen break in the address (more only where two breaks would meet)."""


def bornes_arrondies(bornes: tuple[float, ...], chiffres: int = CHIFFRES_BORNES) -> list[str]:
    """Each break rounded up to `chiffres` significant digits (more when needed to stay below the next
    break). Classes hold their upper bound (bornes[i-1] < v <= bornes[i]): rounding up keeps every value
    at or below a break (a break is often a value itself: Jenks, the maximum) in its class; only values
    within the rounding step above a break (10⁻⁴ of it) would move down one class."""
    textes = []
    for i, borne in enumerate(bornes):
        suivante = bornes[i + 1] if i + 1 < len(bornes) else None
        for n in range(chiffres, 18):
            texte = _plafond(borne, n)
            if suivante is None or float(texte) < suivante:
                break
        else:
            texte = nombre_texte(borne)
        textes.append(texte)
    return textes


def _plafond(valeur: float, chiffres: int) -> str:
    """The smallest decimal of `chiffres` significant digits that reads back as a float at or above the
    value, in positional notation without trailing zeros (`0.275`, `0.4`, `1200`, `-0.1234`)."""
    exact = Decimal(valeur)  # the float's exact binary value (0.4 is 0.400000000000000022…)
    if exact == 0 or not exact.is_finite():
        return nombre_texte(valeur)
    pas = Decimal(1).scaleb(exact.adjusted() - chiffres + 1)
    arrondi = exact.quantize(pas, rounding=ROUND_FLOOR)
    if float(arrondi) < valeur:
        arrondi = exact.quantize(pas, rounding=ROUND_CEILING)
    return nombre_texte(float(arrondi)) if float(arrondi).is_integer() else format(arrondi.normalize(), "f")


def lire_etat(parametres: Mapping[str, str | None]) -> EtatVue:
    def valeur(cle: str, defaut: str) -> str:
        return (parametres.get(cle) or "").strip() or defaut

    defaut = EtatVue()
    vue, niveau = valeur("vue", defaut.vue), valeur("niveau", defaut.niveau)
    indicateur, classes = valeur("indicateur", defaut.indicateur), valeur("classes", defaut.classes.value)
    if vue not in VUES:
        raise ValueError(f"Vue inconnue « {vue} » : porteurs ou territoires.")
    if niveau not in NIVEAUX_TERRITORIAUX:
        raise ValueError(f"Niveau inconnu « {niveau} » : region, departement ou epci.")
    if indicateur not in PAR_ID:
        raise ValueError(f"Indicateur inconnu « {indicateur} ».")
    if classes not in {m.value for m in Methode}:
        raise ValueError(
            f"Méthode de classes inconnue « {classes} » : quantiles, jenks, intervalles ou seuils."
        )
    focus = valeur("focus", "") or None
    if focus and not _FOCUS.match(focus):
        raise ValueError(
            f"Territoire à mettre en évidence « {focus} » non compris : niveau:code (ex. departement:29)."
        )
    return EtatVue(
        vue,
        niveau,
        indicateur,
        Methode(classes),
        _bornes(valeur("bornes", "")),
        lire_filtres(parametres),
        focus=focus,
        **_tableau(valeur),
    )


def lire_query(query: str | None) -> EtatVue:
    return lire_etat(dict(parse_qsl((query or "").lstrip("?"))))


COLONNES_TEXTE = ("nom", "code", "type", "region", "donnees_incoherentes", "donnees_figees")
"""The table's columns that are not indicators (`tri=nom:asc`, `colonnes=type,region,…`)."""
RECHERCHE_MAX = 100
_TRI = re.compile(r"^([a-z0-9_]+):(asc|desc)$")


def _tableau(valeur: Callable[[str, str], str]) -> dict:
    """The table's sort, search and columns read from the address."""
    tri, colonnes = valeur("tri", ""), tuple(c for c in valeur("colonnes", "").split(",") if c)
    correspondance = _TRI.match(tri)
    if tri and (not correspondance or not _colonne_connue(correspondance.group(1))):
        raise ValueError(f"Tri du tableau non compris « {tri} » : colonne:asc ou colonne:desc.")
    inconnues = [c for c in colonnes if not _colonne_connue(c)]
    if inconnues:
        raise ValueError(f"Colonnes du tableau inconnues : {', '.join(inconnues)}.")
    recherche = valeur("recherche", "")[:RECHERCHE_MAX]
    return {"tri": tri, "recherche": recherche, "colonnes": tuple(dict.fromkeys(colonnes))}


def _colonne_connue(colonne: str) -> bool:
    return colonne in COLONNES_TEXTE or colonne in PAR_ID


def _bornes(texte: str) -> tuple[float, ...]:
    if not texte:
        return ()
    try:
        bornes = tuple(float(b) for b in texte.split(","))
    except ValueError:
        raise ValueError(
            f"Bornes de classes invalides « {texte} » : nombres séparés par des virgules."
        ) from None
    if list(bornes) != sorted(set(bornes)):
        raise ValueError(f"Bornes de classes invalides « {texte} » : elles doivent être croissantes.")
    return bornes
