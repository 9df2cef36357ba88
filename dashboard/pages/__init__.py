"""One module per page, each declaring, at module level:

- `PAGES`: the arguments of `dash.register_page` for each address it serves, whose `layout` (and `title`,
  when it is a function) is a function of the app's context (positional-only: a query parameter of the
  same name cannot collide) and the address's parameters;
- its callbacks, plain functions marked with `@rappel(output=…, inputs=…)` (Dash's named, dict
  signatures: they receive the context, then their inputs by name, and return their outputs by name);
- its browser-side callbacks, module constants made by `rappel_navigateur(…)`;
- its exports, a module constant made by `rappel_export(…)`: every export button of the page (one id
  shape, dashboard.components.export) feeds one callback, which calls the view-model's exporter.

`enregistrer_pages(app, contexte)` registers all of them on one app (an app per test, as many as needed).
Every layout and every callback but the background jobs (which write) reads the data version once
(dashboard.store.memoire.une_lecture): all its reads answer for the same data.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FunctionType, ModuleType

import dash
import orjson
from dash import Dash, Input, Output, State
from flask import g

from dashboard.components.export import (
    boutons_export,
    export_demande,
    id_message,
    message_refus,
    telechargement,
)
from dashboard.domain.droits import EXPORTS_RESERVES, VISITEUR, ouvert_au_public
from dashboard.exports.limites import ExportRefuse
from dashboard.store.memoire import une_lecture


def rappel(**declaration) -> Callable:
    """Mark a module-level function as a server callback (`output`, `inputs`, and Dash's options)."""

    def marquer(fonction: Callable) -> Callable:
        fonction.declaration_rappel = declaration
        return fonction

    return marquer


# The options of Dash's serialiser (plotly.io.json, orjson engine).
OPTIONS_JSON = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY


def en_json(composants) -> orjson.Fragment:
    """Components (a tree, a list) serialised now, as Dash would serialise them, for a callback's output:
    one component in a response sends Dash's serialiser through plotly's cleaner, a Python walk of the
    whole response (the figures' thousands of values included, 2 ms on the national view); orjson
    asks each component for its JSON itself and embeds the fragment as it is."""
    return orjson.Fragment(orjson.dumps(composants, default=_json_composant, option=OPTIONS_JSON))


def _json_composant(valeur):
    if hasattr(valeur, "to_plotly_json"):
        return valeur.to_plotly_json()
    raise TypeError(f"{type(valeur).__name__} : pas de JSON")


@dataclass(frozen=True)
class RappelNavigateur:
    """A callback run in the browser: JavaScript code, or a `ClientsideFunction` of assets/."""

    code: object
    output: object
    inputs: object
    options: dict = field(default_factory=dict)


def rappel_navigateur(code, output, inputs, **options) -> RappelNavigateur:
    return RappelNavigateur(code, output, inputs, options)


@dataclass(frozen=True)
class RappelExport:
    """The export callback of a page: its buttons (`page`), its dcc.Download, what names the content (a
    State: the view's state, the entity…) and the exporter, `(contexte, cle, format, nom)` → Fichier or
    None."""

    page: str
    telechargement: str
    cle: State
    exporter: Callable


def rappel_export(page: str, telechargement: str, cle: State, exporter: Callable) -> RappelExport:
    return RappelExport(page, telechargement, cle, exporter)


def _exporter(rappel_: RappelExport) -> Callable:
    """The file to download; or, when the export is refused for now (refused before the callback by the
    access layer, or the renders all taken meanwhile), the French message and no file."""

    def exporter(contexte, _clics, cle):
        demande = export_demande()
        refus = g.pop("export_refuse", None)
        try:
            if refus is not None:
                raise refus
            if demande is not None and demande[1] in EXPORTS_RESERVES and visiteur(contexte):
                raise ExportRefuse(REFUS_EXPORT_PUBLIC, 403, 0)
            fichier = None if demande is None else rappel_.exporter(contexte, cle, *demande)
        except ExportRefuse as exc:
            return dash.no_update, message_refus(str(exc))
        return telechargement(fichier), None

    return exporter


REFUS_EXPORT_PUBLIC = "Cet export est réservé aux agents connectés."


def visiteur(contexte) -> bool:
    """Is the current request a visitor without an account (PASSNUM_PUBLIC=1)?"""
    from dashboard.web.acces.identite import principal_courant

    principal = principal_courant(contexte)
    return principal is not None and principal.role == VISITEUR


def _lier(fonction: Callable, contexte, lecture: bool) -> Callable:
    """The function with the app's context as first argument (its marks, such as the permission that
    dashboard.web.acces checks, kept)."""

    @functools.wraps(fonction)
    def appel(*args, **kwargs):
        if not lecture:
            return fonction(contexte, *args, **kwargs)
        with une_lecture(contexte.engine):
            return fonction(contexte, *args, **kwargs)

    return appel


def enregistrer(app: Dash, contexte, module: ModuleType) -> None:
    """Register a page module's addresses, callbacks and browser-side callbacks on `app`. The callbacks of
    a module that says `OUVERT_AU_PUBLIC = True` are open to visitors under PASSNUM_PUBLIC=1."""
    marquer = ouvert_au_public if getattr(module, "OUVERT_AU_PUBLIC", False) else (lambda f: f)
    for page in getattr(module, "PAGES", ()):
        page = dict(page)
        mise_en_page = _lier(page.pop("layout"), contexte, lecture=True)
        if callable(page.get("title")):  # a title naming what the address shows reads the data too
            page["title"] = _lier(page["title"], contexte, lecture=True)
        dash.register_page(page.pop("module"), layout=mise_en_page, **page)
    for valeur in vars(module).values():
        # type() rather than isinstance or getattr: a module may hold proxies (flask.request) that must
        # not be touched outside a request.
        if type(valeur) is FunctionType and valeur.__module__ == module.__name__:
            declaration = getattr(valeur, "declaration_rappel", None)
            if declaration is not None:
                lecture = not declaration.get("background", False)
                app.callback(**declaration)(marquer(_lier(valeur, contexte, lecture)))
        elif type(valeur) is RappelNavigateur:
            # Positional: Dash tells its Inputs from its States by their type (as keyword `inputs=` a State
            # would become an Input).
            app.clientside_callback(valeur.code, valeur.output, *valeur.inputs, **valeur.options)
        elif type(valeur) is RappelExport:
            app.callback(
                Output(valeur.telechargement, "data"),
                Output(id_message(valeur.telechargement), "children"),
                Input(boutons_export(valeur.page), "n_clicks"),
                valeur.cle,
                prevent_initial_call=True,
            )(marquer(_lier(_exporter(valeur), contexte, lecture=True)))


def enregistrer_pages(app: Dash, contexte) -> None:
    from dashboard.pages import (
        accessibilite,
        calendrier,
        comparer,
        donnees,
        fiche,
        introuvable,
        methodologie,
        national,
        notes,
        presentation,
        recherche,
        vigilance,
    )

    modules = (
        national,
        fiche,
        comparer,
        donnees,
        calendrier,
        methodologie,
        presentation,
        introuvable,
        recherche,
        vigilance,
        notes,
        accessibilite,
    )
    for module in modules:
        enregistrer(app, contexte, module)
