"""The selection in words: the one-sentence summary of the national view and the filters in plain French
(the same words on the page, above the exports and in their stamp)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd
from babel.dates import format_date

from dashboard.domain import formatage
from dashboard.domain.filtres import Filtres, Plage
from dashboard.domain.indicateurs import indicateur, totaliser
from dashboard.domain.vocabulaire import NIVEAUX_FEMININS, effectif_niveau, libelle_type

AUCUN = "Aucun lauréat ne correspond aux filtres."


def _accord(n: float, singulier: str, pluriel: str) -> str:
    """French agreement: 0 and 1 take the singular."""
    return singulier if abs(n) < 2 else pluriel


def _liste(mots: list[str], conjonction: str = "et") -> str:
    return mots[0] if len(mots) == 1 else f"{', '.join(mots[:-1])} {conjonction} {mots[-1]}"


def _mois(jour: date) -> str:
    return format_date(jour, format="MMMM y", locale=formatage.LOCALE)


def nom_region(code: str, noms_regions: Mapping[str, str] | None) -> str:
    return (noms_regions or {}).get(code) or f"région {code}"


def de_region(code: str, noms_regions: Mapping[str, str] | None) -> str:
    """`d'Occitanie`, `des Hauts-de-France`, `du Grand Est`, `de Bretagne`, `de la région 76`."""
    nom = (noms_regions or {}).get(code)
    if not nom:
        return f"de la région {code}"
    if nom.startswith(("Hauts-", "Pays ")):
        return f"des {nom}"
    if nom.startswith(("Grand ", "Centre-")):
        return f"du {nom}"
    if nom[0].lower() in "aeiouyâéèêîïôû":
        return f"d'{nom}"
    return f"de {nom}"


# --- Filters in plain words -------------------------------------------------------------------------


def _active(plage: Plage | None) -> bool:
    """`?subvention=-` reads as a range with no bound: no filter."""
    return plage is not None and (plage.min is not None or plage.max is not None)


def _apres_nom(bornes: str) -> str:
    """After a noun: `subvention État de 10 € à 20 €`, but `subvention État d'au moins 10 €`."""
    return f"d'{bornes}" if bornes.startswith("au") else bornes


def _bornes(plage: Plage, formater) -> str:
    if plage.min is not None and plage.max is not None:
        return f"de {formater(plage.min)} à {formater(plage.max)}"
    if plage.min is not None:
        return f"au moins {formater(plage.min)}"
    return f"au plus {formater(plage.max)}"


def periode_en_clair(filtres: Filtres) -> str:
    """The period filter in words (`entre mars et décembre 2021`, `depuis mars 2021`…)."""
    return _periode(filtres)


def _periode(filtres: Filtres) -> str:
    """`en mars 2021`, `entre mars et décembre 2021`, `entre mars 2021 et février 2022`, `depuis mars
    2021`, `jusqu'à décembre 2021`."""
    debut, fin = filtres.periode.debut, filtres.periode.fin
    if debut is None:
        return f"jusqu'à {_mois(fin)}"
    if fin is None:
        return f"depuis {_mois(debut)}"
    if debut == fin:
        return f"en {_mois(debut)}"
    if debut.year == fin.year:
        return f"entre {format_date(debut, format='MMMM', locale=formatage.LOCALE)} et {_mois(fin)}"
    return f"entre {_mois(debut)} et {_mois(fin)}"


def filtres_en_clair(filtres: Filtres, noms_regions: Mapping[str, str] | None = None) -> list[str]:
    """`["Vague : 2019", "Type de lauréat : conseils départementaux, EPCI", …]`; [] without filter."""
    lignes = []
    if filtres.vagues:
        lignes.append(
            f"{_accord(len(filtres.vagues), 'Vague', 'Vagues')} : {', '.join(map(str, filtres.vagues))}"
        )
    if filtres.types:
        types = ", ".join(libelle_type(t) for t in filtres.types)
        lignes.append(f"{_accord(len(filtres.types), 'Type', 'Types')} de lauréat : {types}")
    if filtres.regions:
        noms = ", ".join(nom_region(c, noms_regions) for c in filtres.regions)
        lignes.append(f"{_accord(len(filtres.regions), 'Région', 'Régions')} : {noms}")
    if _active(filtres.subvention):
        lignes.append(f"Subvention État engagée : {_bornes(filtres.subvention, formatage.euros)}")
    if _active(filtres.distribues):
        lignes.append(f"Pass distribués : {_bornes(filtres.distribues, formatage.nombre)}")
    if _active(filtres.taux):
        lignes.append(f"Taux d'utilisation : {_bornes(filtres.taux, formatage.pourcentage)}")
    if filtres.periode:
        lignes.append(f"Période : {_periode(filtres).removeprefix('en ')}")
    return lignes


# --- The summary sentence ---------------------------------------------------------------------------


def _de_type(types: tuple[str, ...]) -> str:
    return "de type " + _liste([libelle_type(t, pluriel=False) for t in types], "ou")


def _sujet(n: int, niveau: str, vue: str, filtres: Filtres, noms_regions) -> tuple[str, bool]:
    """`12 départements d'Occitanie`, `3 conseils départementaux`, `5 lauréats de type CD ou EPCI`;
    also whether the types filter is already said."""
    types_dits = niveau == "porteur" and bool(filtres.types)
    if niveau == "porteur" and len(filtres.types) == 1:
        singulier, pluriel = libelle_type(filtres.types[0], False), libelle_type(filtres.types[0])
    else:
        singulier, pluriel = effectif_niveau(niveau)
    sujet = f"{formatage.nombre(n)} {_accord(n, singulier, pluriel)}"
    if niveau == "porteur" and len(filtres.types) > 1:
        sujet += " " + _de_type(filtres.types)
    if filtres.regions and niveau == "region":
        sujet += f" ({_liste([nom_region(c, noms_regions) for c in filtres.regions])})"
    elif filtres.regions:
        sujet += " " + _liste([de_region(c, noms_regions) for c in filtres.regions])
    if niveau != "porteur" and vue == "porteurs":
        couvert = "couverte" if niveau in NIVEAUX_FEMININS else "couvert"
        sujet += f" {_accord(n, couvert, couvert + 's')} par les lauréats"
    return sujet, types_dits


def _precisions(filtres: Filtres, types_dits: bool) -> list[str]:
    morceaux = []
    if filtres.vagues:
        vagues = _liste([str(v) for v in filtres.vagues])
        morceaux.append(f"{_accord(len(filtres.vagues), 'vague', 'vagues')} {vagues}")
    if filtres.types and not types_dits:
        morceaux.append(f"lauréats {_de_type(filtres.types)}")
    if _active(filtres.subvention):
        morceaux.append(f"subvention État {_apres_nom(_bornes(filtres.subvention, formatage.euros))}")
    if _active(filtres.distribues):
        n = filtres.distribues.max if filtres.distribues.max is not None else filtres.distribues.min
        accord = _accord(n, "pass distribué", "pass distribués")
        morceaux.append(f"{_bornes(filtres.distribues, formatage.nombre)} {accord}")
    if _active(filtres.taux):
        morceaux.append(f"taux d'utilisation {_apres_nom(_bornes(filtres.taux, formatage.pourcentage))}")
    if filtres.periode:
        morceaux.append(_periode(filtres))
    return morceaux


def _chiffres_de_la_periode(total: pd.Series) -> str:
    """Over a period, flows side by side (no rate between a flow and a stock of another period)."""
    morceaux = [
        _compte(total["pass_commandes"], "pass commandé", "pass commandés"),
        _compte(total["pass_distribues"], "distribué", "distribués")
        + _dont_utilises(total["taux_utilisation"], total["pass_distribues"]),
        _compte(total["pass_utilises"], "utilisé", "utilisés"),
    ]
    subvention = formatage.euros(total["subvention_etat_engagee_eur"])
    return f"{', '.join(morceaux)} ; {subvention} de subvention État (part des commandes de la période)"


def _compte(n: float, singulier: str, pluriel: str) -> str:
    return f"{formatage.nombre(n)} {_accord(n, singulier, pluriel)}"


def _dont_utilises(taux: float, distribues: float) -> str:
    return f" (dont {formatage.pourcentage(taux)} utilisés depuis)" if distribues > 0 else ""


def _chiffres(total: pd.Series, periode: bool = False, vue: str = "porteurs") -> str:
    """The figures of the sentence. By territory (`vue` "territoires") the passes handed out there are
    not set against passes ordered: an order has no place, and the rate of distribution is the
    laureates' (its registry entry offers it in the porteurs view only) — « 30 870 sur 43 342 (71,9 %) »
    would read as a division that does not give 71,9 %. `total`: the table's totals (`totaliser`)."""
    if periode:
        return _chiffres_de_la_periode(total)
    distribues, commandes = total["pass_distribues"], total["pass_commandes"]
    texte = f"{formatage.nombre(distribues)} {_accord(distribues, 'pass distribué', 'pass distribués')}"
    if commandes > 0 and vue in indicateur("taux_distribution").vues:
        texte += f" sur {formatage.nombre(commandes)} {_accord(commandes, 'commandé', 'commandés')}"
        texte += f" ({formatage.pourcentage(total['taux_distribution'])})"
    if distribues > 0:
        texte += f", dont {formatage.pourcentage(total['taux_utilisation'])} utilisés"
    subvention = total["subvention_etat_engagee_eur"]
    return f"{texte} ; {formatage.euros(subvention)} de subvention État engagée"


def phrase_resume(
    table: pd.DataFrame,
    niveau: str,
    vue: str,
    date_donnees: date | None,
    filtres: Filtres,
    noms_regions: Mapping[str, str] | None = None,
    totaux: pd.Series | None = None,
) -> str:
    """« Au 31/12/2023, 12 départements d'Occitanie, vague 2019 : 1 234 567 pass distribués sur
    2 000 000 commandés (61,7 %), dont 45,2 % utilisés ; 68 000 € de subvention État engagée. »

    table: the indicator table of the view (niveau "porteur" = one row per laureate); noms_regions:
    code → name of the régions, to name the région filter; totaux: the table's totals when the caller
    has them (`totaliser`)."""
    if table.empty:
        return AUCUN
    sujet, types_dits = _sujet(len(table), niveau, vue, filtres, noms_regions)
    selection = ", ".join([sujet, *_precisions(filtres, types_dits)])
    debut = f"Au {formatage.date_courte(date_donnees)}, " if date_donnees else ""
    chiffres = _chiffres(totaliser(table) if totaux is None else totaux, filtres.periode is not None, vue)
    return f"{debut}{selection} : {chiffres}."
