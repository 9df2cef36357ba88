"""The accessibility statement `/accessibilite` (RGAA 4.1): a legal page, readable without an account
(dashboard.web.acces.regles), rendered from the registry the tests check."""

from __future__ import annotations

from dashboard.components.accessibilite import declaration


def layout(_contexte, /, **_parametres):
    return declaration()


PAGES = [
    {
        "module": "accessibilite",
        "path": "/accessibilite",
        "title": "Déclaration d'accessibilité — Pass numérique",
        "name": "Accessibilité",
        "layout": layout,
    }
]
