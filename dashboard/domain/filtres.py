"""The filters of a view and their text form: the one codec for URL query strings and the command line.

`?vague=2019&type=CD,EPCI&region=52&subvention=10000-500000&distribues=0-50000&taux=0.2-0.8
&periode=2020-01..2022-12` ⇄ Filtres(...). Unreadable values raise ValueError with a French message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dashboard.domain.formatage import nombre
from dashboard.domain.vocabulaire import TYPES_PORTEUR, VAGUES

_MOIS = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Plage:
    """Inclusive bounds; None is open."""

    min: float | None = None
    max: float | None = None

    def contient(self, valeur: float) -> bool:
        return (self.min is None or valeur >= self.min) and (self.max is None or valeur <= self.max)

    def texte(self) -> str:
        return f"{nombre_texte(self.min)}-{nombre_texte(self.max)}"


@dataclass(frozen=True)
class Periode:
    """Months from `debut` to `fin` included (both the first day of their month); an open bound is None
    ("from March 2021", "until December 2021"), never both."""

    debut: date | None
    fin: date | None

    def texte(self) -> str:
        return "..".join(f"{m:%Y-%m}" if m else "" for m in (self.debut, self.fin))


@dataclass(frozen=True)
class Filtres:
    vagues: tuple[int, ...] = ()
    types: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    # A département of the région in view (the drill-down région → départements → its EPCIs).
    departements: tuple[str, ...] = ()
    subvention: Plage | None = None
    distribues: Plage | None = None
    taux: Plage | None = None
    periode: Periode | None = None

    def parametres(self) -> dict[str, str]:
        """The query-string form (only the filters that are set)."""
        valeurs = {
            "vague": ",".join(str(v) for v in self.vagues),
            "type": ",".join(self.types),
            "region": ",".join(self.regions),
            "departement": ",".join(self.departements),
            "subvention": self.subvention.texte() if self.subvention else "",
            "distribues": self.distribues.texte() if self.distribues else "",
            "taux": self.taux.texte() if self.taux else "",
            "periode": self.periode.texte() if self.periode else "",
        }
        return {cle: valeur for cle, valeur in valeurs.items() if valeur}


def lire_filtres(parametres: Mapping[str, str | None]) -> Filtres:
    """Filters from URL/CLI text; absent or empty parameters mean "no filter"."""

    def valeur(cle: str) -> str:
        return (parametres.get(cle) or "").strip()

    return Filtres(
        vagues=_liste(valeur("vague"), _vague),
        types=_liste(valeur("type"), _type),
        regions=_liste(valeur("region"), _region),
        departements=_liste(valeur("departement"), _departement),
        subvention=_plage(valeur("subvention"), "subvention"),
        distribues=_plage(valeur("distribues"), "pass distribués"),
        taux=_plage(valeur("taux"), "taux d'utilisation", en_pourcent=True),
        periode=_periode(valeur("periode")),
    )


def _liste(texte: str, lire) -> tuple:
    if not texte:
        return ()
    return tuple(dict.fromkeys(lire(morceau.strip()) for morceau in texte.split(",") if morceau.strip()))


def _vague(texte: str) -> int:
    if not texte.isdigit() or int(texte) not in VAGUES:
        raise ValueError(f"Vague inconnue « {texte} » : attendu 2019 ou 2020.")
    return int(texte)


def _type(texte: str) -> str:
    if texte.upper() not in TYPES_PORTEUR:
        raise ValueError(f"Type de lauréat inconnu « {texte} » : attendu CR, CD, EPCI ou SM.")
    return texte.upper()


def _region(texte: str) -> str:
    if not re.fullmatch(r"\d{2}", texte):
        raise ValueError(f"Code de région invalide « {texte} » : deux chiffres attendus (ex. 52).")
    return texte


def _departement(texte: str) -> str:
    code = texte.upper()
    if not re.fullmatch(r"\d{2}|2[AB]|97[1-6]", code):
        raise ValueError(
            f"Code de département invalide « {texte} » : deux chiffres, 2A, 2B ou 971 à 976 (ex. 29)."
        )
    return code


def _plage(texte: str, nom: str, en_pourcent: bool = False) -> Plage | None:
    """`en_pourcent`: a rate, written as a fraction in the address (`0.2-0.8`) but shown to people as
    percents (`20 %`), and bounded by 0 % and 100 %."""
    if not texte:
        return None
    bas, sep, haut = texte.partition("-")
    if not sep:
        exemple = "20 %-80 %, soit 0.2-0.8 dans l'adresse" if en_pourcent else "10000-500000"
        raise ValueError(f"Plage de {nom} invalide « {texte} » : attendu MIN-MAX (ex. {exemple}).")
    plage = Plage(_nombre(bas, nom, texte), _nombre(haut, nom, texte))
    if en_pourcent:
        hors = [b for b in (plage.min, plage.max) if b is not None and not 0 <= b <= 1]
        if hors:
            raise ValueError(f"Plage de {nom} invalide : {_pour_cent(hors[0])} n'est pas entre 0 % et 100 %.")
    if plage.min is not None and plage.max is not None and plage.min > plage.max:
        ecrite = f"de {_pour_cent(plage.min)} à {_pour_cent(plage.max)}" if en_pourcent else f"« {texte} »"
        raise ValueError(f"Plage de {nom} invalide ({ecrite}) : le minimum dépasse le maximum.")
    return plage


def _pour_cent(fraction: float) -> str:
    """`0.2` → `20 %`, `0.125` → `12,5 %`: French decimals, no more than needed (two at most)."""
    valeur = fraction * 100
    decimales = next((d for d in (0, 1) if round(valeur, d) == round(valeur, 2)), 2)
    return f"{nombre(valeur, decimales)} %"


def _nombre(texte: str, nom: str, plage: str) -> float | None:
    if not texte.strip():
        return None
    try:
        return float(texte.replace(",", "."))
    except ValueError:
        raise ValueError(f"Plage de {nom} invalide « {plage} » : « {texte} » n'est pas un nombre.") from None


def nombre_texte(valeur: float | None) -> str:
    if valeur is None:
        return ""
    if float(valeur).is_integer():
        return str(int(valeur))
    # Positional notation: an exponent ("1e-05") would clash with the "-" between the bounds.
    return format(Decimal(repr(float(valeur))), "f")


def _periode(texte: str) -> Periode | None:
    if not texte:
        return None
    debut, sep, fin = texte.partition("..")
    mois = [_MOIS.match(m.strip()) if m.strip() else None for m in (debut, fin)]
    lisible = all(m is not None or not t.strip() for m, t in zip(mois, (debut, fin), strict=True))
    if not sep or not lisible or not any(mois):
        raise ValueError(
            f"Période invalide « {texte} » : attendu AAAA-MM..AAAA-MM (ex. 2020-01..2022-12), "
            "AAAA-MM.. (depuis) ou ..AAAA-MM (jusqu'à)."
        )
    try:
        bornes = [date(int(m.group(1)), int(m.group(2)), 1) if m else None for m in mois]
    except ValueError:
        raise ValueError(f"Période invalide « {texte} » : mois inexistant.") from None
    if bornes[0] and bornes[1] and bornes[0] > bornes[1]:
        raise ValueError(f"Période invalide « {texte} » : le début est après la fin.")
    return Periode(*bornes)
