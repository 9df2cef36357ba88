"""Map legend in French: one line per class with its bounds and how many territories it holds."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from dash import html

from dashboard.domain.classification import Classification
from dashboard.domain.formatage import nombre
from dashboard.domain.palettes import SANS_DONNEE


def legende(
    titre: str,
    classification: Classification,
    couleurs: Sequence[str],
    formater: Callable[[float], str],
    unite_effectif: tuple[str, str],  # (singular, plural): "1 département", "3 départements"
    id_: str = "legende",
) -> html.Div:
    lignes = [
        _ligne(couleur, libelle, effectif, unite_effectif)
        for couleur, libelle, effectif in zip(
            couleurs, classification.libelles(formater), classification.effectifs, strict=True
        )
    ]
    if classification.sans_donnee:
        lignes.append(_ligne(SANS_DONNEE, "sans donnée", classification.sans_donnee, unite_effectif))
    return html.Div(
        [html.H2(titre, className="h6 mb-2"), html.Ul(lignes, className="list-unstyled mb-0")],
        id=id_,
        className="legende",
    )


def _ligne(couleur: str, libelle: str, effectif: int, unite: tuple[str, str]) -> html.Li:
    return html.Li(
        [
            html.Span(
                className="legende-pastille", style={"backgroundColor": couleur}, **{"aria-hidden": "true"}
            ),
            html.Span(libelle, className="legende-libelle"),
            html.Span(
                f"{nombre(effectif)} {unite[0] if effectif == 1 else unite[1]}", className="legende-effectif"
            ),
        ],
        className="legende-ligne",
    )
