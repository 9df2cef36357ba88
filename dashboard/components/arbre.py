"""A static HTML subtree drawn by one React component (`Arbre`, assets/arbre.js), for the blocks a
callback redraws after every filter change: the KPIs, the map's legend, the « Enveloppe » card.

Dash's renderer mounts each Dash component of a callback's output with a store dispatch that re-runs
the selectors of every component of the page (measured: ≈ 110 of the ≈ 240 dispatches of one filter
change on the national page, the main thread's largest cost after the response), and remounts the whole
subtree. An `Arbre` is one component whose `arbre` property holds the subtree as plain data: one
dispatch, and React changes only the texts and attributes that differ (a « details » the reader opened
stays open).

The subtree is built with the usual `dash.html` components and converted by `en_arbre`: only HTML
elements, with presentation attributes only (no `n_clicks`, no callback can target an element inside);
React escapes every text and attribute."""

from __future__ import annotations

import re
import typing

from dash.development.base_component import Component, _explicitize_args

# Attributes an element of a tree may carry (mirror of ATTRIBUTS in assets/arbre.js).
ATTRIBUTS = re.compile(
    r"^(className|id|style|title|role|hidden|tabIndex|colSpan|rowSpan|scope|lang|href|aria-[a-z]+|data-[a-z-]+)$"
)
# Elements a tree may hold (mirror of BALISES in assets/arbre.js).
BALISES = frozenset(
    [
        "div",
        "span",
        "p",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "strong",
        "em",
        "b",
        "i",
        "code",
        "small",
        "abbr",
        "details",
        "summary",
        "table",
        "thead",
        "tbody",
        "tr",
        "td",
        "th",
        "caption",
        "br",
        "a",
        "sup",
        "sub",
    ]
)
LIEN_SUR = re.compile(r"^(/|#|https?://)")


def en_arbre(noeud):
    """`dash.html` components (a tree, a list, texts) as the data of an `Arbre`: an element is
    {"t": tag, "p": attributes, "c": children}; texts and numbers stay as they are. Anything else (a
    Bootstrap or core component, an event property, a script link) is refused with a ValueError."""
    if noeud is None or isinstance(noeud, str):
        return noeud
    if isinstance(noeud, int | float) and not isinstance(noeud, bool):
        return noeud
    if isinstance(noeud, list | tuple):
        return [en_arbre(n) for n in noeud]
    if not isinstance(noeud, Component) or noeud._namespace != "dash_html_components":
        raise ValueError(f"{type(noeud).__name__} : seuls les éléments HTML (dash.html) vont dans un arbre")
    balise = noeud._type.lower()
    if balise not in BALISES:
        raise ValueError(f"élément <{balise}> non prévu dans un arbre")
    attributs = {k: v for k, v in noeud.to_plotly_json()["props"].items() if k != "children"}
    refuses = sorted(k for k in attributs if not ATTRIBUTS.match(k))
    if refuses:
        raise ValueError(f"<{balise}> : attribut(s) {', '.join(refuses)} non prévu(s) dans un arbre")
    if "href" in attributs and not LIEN_SUR.match(str(attributs["href"])):
        raise ValueError(f"<{balise}> : lien refusé « {attributs['href']} »")
    sortie: dict = {"t": balise}
    if attributs:
        sortie["p"] = attributs
    enfants = getattr(noeud, "children", None)
    if enfants is not None:
        sortie["c"] = en_arbre(enfants)
    return sortie


class Arbre(Component):
    """A `div` (its `id`, `className`) holding `arbre`, the data of `en_arbre`."""

    _children_props: typing.ClassVar[list[str]] = []
    _base_nodes: typing.ClassVar[list[str]] = ["children"]
    _namespace = "passnum_arbre"
    _type = "Arbre"

    @_explicitize_args
    def __init__(self, arbre=None, id=None, className=None, **kwargs):
        self._prop_names = ["id", "arbre", "className"]
        self._valid_wildcard_attributes = []
        self.available_properties = ["id", "arbre", "className"]
        self.available_wildcard_properties = []
        _explicit_args = kwargs.pop("_explicit_args")
        _locals = locals()
        args = {k: _locals[k] for k in _explicit_args}
        super().__init__(**args)


def arbre(composants, id: str, className: str | None = None) -> Arbre:
    """An `Arbre` of `composants` (dash.html), for a page's layout."""
    return Arbre(arbre=en_arbre(composants), id=id, className=className)
