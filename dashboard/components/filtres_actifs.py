"""The active filters as a row of DSFR dismissible tags above the map (`id="filtres-actifs"`):
« Région : Bretagne × », « Taux d'utilisation : de 20 % à 80 % × ». Each is a button: a click, Enter or
Space removes that filter, by giving its controls in the filter panel their empty value (`remise`).

The words are those of the summary and the exports (dashboard.domain.resume.filtres_en_clair).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from dash import html

from dashboard.components.filtres import TOUTES_REGIONS
from dashboard.domain.filtres import Filtres
from dashboard.domain.resume import filtres_en_clair

TYPE_ETIQUETTE = "filtre-actif"  # pattern-matching id: {"type": TYPE_ETIQUETTE, "cle": <filter>}

# Each filter's controls in the panel (dashboard.components.filtres.CONTROLES) and their empty value.
REMISES: dict[str, dict[str, object]] = {
    "vague": {"vague": []},
    "type": {"type": []},
    "region": {"region": TOUTES_REGIONS},
    "subvention": {"subvention-min": None, "subvention-max": None},
    "distribues": {"distribues-min": None, "distribues-max": None},
    "taux": {"taux-min": None, "taux-max": None},
    "periode": {"periode-debut": None, "periode-fin": None},
}
CONTROLES_REMIS = tuple(nom for remise in REMISES.values() for nom in remise)
DEPARTEMENT = "departement"  # not a control of the panel: the drill's store (national-departement) is emptied

_CHAMPS = {
    "vague": "vagues",
    "type": "types",
    "region": "regions",
    "subvention": "subvention",
    "distribues": "distribues",
    "taux": "taux",
    "periode": "periode",
}


def actifs(
    filtres: Filtres,
    noms_regions: Mapping[str, str] | None = None,
    noms_departements: Mapping[str, str] | None = None,
) -> list[tuple[str, str]]:
    """(key, words) of each active filter, in the panel's order: `[("region", "Région : Bretagne")]`;
    the département a map click drilled into follows its région (« Département : Finistère (29) »)."""
    resultat = []
    for cle, champ in _CHAMPS.items():
        seul = replace(Filtres(), **{champ: getattr(filtres, champ)})
        lignes = filtres_en_clair(seul, noms_regions)
        if lignes:
            resultat.append((cle, lignes[0]))
        if cle == "region" and filtres.departements:
            noms = ", ".join(
                f"{(noms_departements or {}).get(code, code)} ({code})" for code in filtres.departements
            )
            libelle = "Département" if len(filtres.departements) == 1 else "Départements"
            resultat.append((DEPARTEMENT, f"{libelle} : {noms}"))
    return resultat


def etiquettes(
    filtres: Filtres,
    noms_regions: Mapping[str, str] | None = None,
    noms_departements: Mapping[str, str] | None = None,
) -> html.Ul | None:
    """The tags of the active filters; None without filter (the row takes no room)."""
    elements = [
        html.Li(
            html.Button(
                [html.Span(texte), html.Span("×", className="etiquette-croix", **{"aria-hidden": "true"})],
                type="button",
                id={"type": TYPE_ETIQUETTE, "cle": cle},
                className="etiquette-filtre",
                title=f"Retirer le filtre « {texte} »",
                **{"aria-label": f"Retirer le filtre {texte}"},
            )
        )
        for cle, texte in actifs(filtres, noms_regions, noms_departements)
    ]
    if not elements:
        return None
    return html.Ul(elements, className="etiquettes-filtres", **{"aria-label": "Filtres actifs"})


def texte_nombre_actifs(filtres: Filtres) -> str:
    """After « Filtres » on the drawer's button: ` (2 actifs)`, ` (1 actif)`, or nothing."""
    n = len(actifs(filtres))
    if n == 0:
        return ""
    return f" ({n} actif{'s' if n > 1 else ''})"


def remise(cle: str) -> dict[str, object]:
    """The values that remove filter `cle`: its controls' empty values. KeyError for an unknown key."""
    return dict(REMISES[cle])
