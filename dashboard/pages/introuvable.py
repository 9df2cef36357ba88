"""French 404 page for any unknown address (Dash shows the page whose module is "not_found_404")."""

from __future__ import annotations

from dashboard.components.introuvable import introuvable


def layout(_contexte, /, **_params):
    return introuvable()


PAGES = [
    {
        "module": "not_found_404",
        "path": "/404",
        "title": "Page introuvable — Pass numérique",
        "layout": layout,
    }
]
