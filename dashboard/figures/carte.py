"""Maps on plotly geo (SVG, no tiles): classed choropleths, proportional circles, laureates by type.

The geometry is always a URL, never inlined; figures are plain dicts (see DASH-NOTES)."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from dashboard.domain.indicateurs import Nature, indicateur
from dashboard.domain.palettes import BLEU_FRANCE, INCOHERENT, SANS_DONNEE
from dashboard.domain.texte import pour_plotly
from dashboard.domain.vocabulaire import TYPES_PORTEUR, libelle_type
from dashboard.figures.graphiques import POLICE

# Territory names come from the GeoJSON's own properties (plotly hands them to the hover template): they
# never travel in callbacks, only the formatted values do.
# The indicator's label is in the template too: customdata is the formatted value alone.


def modele_survol_territoire(libelle: str) -> str:
    return f"<b>%{{properties.nom}}</b><br>{libelle} : %{{customdata}}<extra></extra>"


MODELE_SURVOL_PORTEUR = "<b>%{customdata[1]}</b><br>%{customdata[2]}<extra></extra>"
FOND = "#EEEEEE"  # DSFR grey 950: the territories under the circles, lighter than "sans donnée"
CONTOUR_FOND = {"color": "white", "width": 0.6}

# Porteurs view: drawn largest first so that smaller perimeters stay on top and visible.
ORDRE_TYPES = ("CR", "CD", "SM", "EPCI")
ORDRE_NIVEAUX = ("region", "departement", "epci")
# Legend names: the plural of the domain's labels, capitalised ("Conseils régionaux", "EPCI").
LIBELLES_TYPES = {t: libelle_type(t, majuscule=True) for t in TYPES_PORTEUR}
# Outlines tell the types apart where fills overlap: a thick dark région border, a thin EPCI one, and
# the syndicats (unions of members) in Marianne red so a perimeter made of several pieces reads as one.
CONTOURS_TYPES = {
    "CR": {"color": "#161616", "width": 2.5},
    "CD": {"color": "#3A3A3A", "width": 1.5},
    "SM": {"color": "#E1000F", "width": 1.5},
    "EPCI": {"color": "#666666", "width": 0.5},
}
OPACITE_PORTEURS = 0.75


def echelle_discrete(couleurs: Sequence[str]) -> list[list]:
    """A stepped colour scale: class i (z = i, zmin = -0.5, zmax = k - 0.5) gets couleurs[i]."""
    k = len(couleurs)
    echelle: list[list] = []
    for i, couleur in enumerate(couleurs):
        echelle += [[i / k, couleur], [(i + 1) / k, couleur]]
    return echelle


def carte_classee(df: pd.DataFrame, url_geometrie: str, couleurs: Sequence[str], libelle: str) -> dict:
    """df: one row per territory with `code`, `classe` (int, or NA for "sans donnée") and `survol` (the
    value already formatted in French); libelle: the indicator's name, for the hover. One trace for
    all territories: "sans donnée" is one more (grey) step of the scale, so the locations stay the same
    while filters change and a recolouring is a patch of values (z, customdata). Returns a plotly
    figure as a plain dict."""
    sans_donnee = len(couleurs)
    trace = {
        "type": "choropleth",
        "name": "valeurs",
        "geojson": url_geometrie,
        "featureidkey": "properties.code",
        "locations": df["code"].tolist(),
        "z": df["classe"].astype("Int64").fillna(sans_donnee).astype(int).tolist(),
        "zmin": -0.5,
        "zmax": sans_donnee + 0.5,
        "colorscale": echelle_discrete([*couleurs, SANS_DONNEE]),
        "showscale": False,
        "marker": {"line": {"color": "white", "width": 0.5}},
        "customdata": df["survol"].tolist(),
        "hovertemplate": modele_survol_territoire(libelle),
    }
    return {"data": [trace], "layout": _mise_en_page()}


def _mise_en_page() -> dict:
    """The layout shared by every map (a fresh dict each time: callers add to it)."""
    return {
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "dragmode": False,
        "uirevision": "carte",
        "separators": ",\u202f",  # static exports do not get the Graph locale
        "font": {"family": POLICE},  # the UI's font (assets/polices)
        "geo": {
            "visible": False,
            "fitbounds": "locations",
            "projection": {"type": "mercator"},
            "bgcolor": "rgba(0,0,0,0)",
        },
        "hoverlabel": {"bgcolor": "white", "font": {"size": 14}},
    }


def _trace(df: pd.DataFrame, url: str, z: list, echelle: list, zmax: float, nom: str, libelle: str) -> dict:
    return {
        "type": "choropleth",
        "name": nom,
        "geojson": url,
        "featureidkey": "properties.code",
        "locations": df["code"].tolist(),
        "z": z,
        "zmin": -0.5,
        "zmax": zmax,
        "colorscale": echelle,
        "showscale": False,
        "marker": {"line": {"color": "white", "width": 0.5}},
        "customdata": df["survol"].tolist(),
        "hovertemplate": modele_survol_territoire(libelle),
    }


# --- Proportional circles (stocks) ----------------------------------------------------------------


def carte_cercles(
    df: pd.DataFrame,
    points: pd.DataFrame,
    url_fond: str,
    indicateur_id: str,
    taille_max_px: float = 40,
    codes_fond: Sequence[str] | None = None,
) -> dict:
    """Circles whose AREA is proportional to a stock (diameter ∝ √value; the largest value gets
    taille_max_px), over a light grey base layer. df: code, nom, <indicateur_id>; points: code, lon, lat
    of ONE level (or one point per laureate). codes_fond: the territories of the base layer when they are
    not df's codes (laureates' circles over the départements); that base then has no hover and the
    circles carry the laureates' names and values. Otherwise the base carries the hover (name from the
    geometry, value) and the circles let it through: no name travels in callbacks.
    layout.meta.legende_cercles = [(value, diameter_px), …] for the legend."""
    ind = indicateur(indicateur_id)
    if ind.nature is not Nature.STOCK:
        raise ValueError(
            f"« {ind.libelle} » n'est pas un stock : le cartographier en aplats, pas en cercles."
        )
    if points["code"].duplicated().any():
        raise ValueError("Points d'étiquette en double : ne passer que ceux d'un seul niveau.")
    valeurs = df[indicateur_id].astype(float)
    survol = [ind.formater(v) for v in valeurs]
    donnees = df[["code", "nom"]].assign(valeur=valeurs.to_numpy(), survol=survol)
    maximum = float(valeurs.max()) if valeurs.notna().any() else math.nan
    if codes_fond is None:
        # Territories: one circle per territory in the caller's order (largest population first), a
        # zero-size one without value, so that a filter change keeps the positions and patches sizes.
        # (the inner merge on the code, in the caller's order, as a lookup: the points' codes are unique)
        position = pd.Index(points["code"]).get_indexer(donnees["code"])
        garde = position >= 0
        cercles = donnees[garde].assign(
            lon=points["lon"].to_numpy()[position[garde]], lat=points["lat"].to_numpy()[position[garde]]
        )
    else:
        # Laureates: largest first, plotly drawing in order puts the small circles on top.
        cercles = donnees[donnees["valeur"] > 0].merge(points[["code", "lon", "lat"]], on="code")
        cercles = cercles.sort_values(["valeur", "code"], ascending=[False, True], kind="stable")
    fond = _trace_fond(donnees, url_fond, codes_fond, ind.libelle)
    traces_cercles = _trace_cercles(
        cercles, ind.libelle, maximum, taille_max_px, survol=codes_fond is not None
    )
    if codes_fond is None:
        traces_cercles["hoverinfo"] = "skip"
    figure = {"data": [fond, traces_cercles]}
    figure["layout"] = _mise_en_page()
    figure["layout"]["meta"] = {
        "legende_cercles": [(v, _diametre(v, maximum, taille_max_px)) for v in valeurs_de_reference(maximum)]
    }
    return figure


def _trace_fond(donnees: pd.DataFrame, url: str, codes_fond: Sequence[str] | None, libelle: str) -> dict:
    """Grey territories under the circles; hovering one gives its value (zero and "—" included), unless
    the base is another set of territories than the circles' (then it has nothing to say)."""
    gris = [[0, FOND], [1, FOND]]
    if codes_fond is None:
        fond = _trace(donnees, url, [0] * len(donnees), gris, zmax=0.5, nom="fond", libelle=libelle)
    else:
        muet = pd.DataFrame({"code": list(codes_fond), "survol": ""})
        fond = _trace(muet, url, [0] * len(muet), gris, zmax=0.5, nom="fond", libelle=libelle)
        fond = {k: v for k, v in fond.items() if k not in ("customdata", "hovertemplate")}
        fond["hoverinfo"] = "skip"
    return {**fond, "marker": {"line": dict(CONTOUR_FOND)}}


TAILLE_MIN_PX = 2  # a tiny stock stays visible (and hoverable) rather than vanish under a pixel


def _diametre(valeur: float, maximum: float, taille_max_px: float) -> float:
    return round(taille_max_px * math.sqrt(valeur / maximum), 1)


def _taille(valeur: float, maximum: float, taille_max_px: float) -> float:
    """Diameter on the map: nothing without a positive value, at least TAILLE_MIN_PX otherwise (the
    legend only shows values large enough for their true size)."""
    if not valeur > 0:
        return 0
    return max(TAILLE_MIN_PX, _diametre(valeur, maximum, taille_max_px))


def _trace_cercles(
    cercles: pd.DataFrame, libelle: str, maximum: float, taille_max_px: float, survol: bool = True
) -> dict:
    """survol=False: the circles let the hover through to the base (no customdata nor template)."""
    trace = {
        "type": "scattergeo",
        "name": "cercles",
        "mode": "markers",
        "lon": cercles["lon"].astype(float).tolist(),
        "lat": cercles["lat"].astype(float).tolist(),
        "marker": {
            "size": [_taille(v, maximum, taille_max_px) for v in cercles["valeur"]],
            "sizemode": "diameter",
            "color": BLEU_FRANCE,
            "opacity": 0.6,
            "line": {"color": "white", "width": 1},
        },
        "showlegend": False,
    }
    if not survol:
        return trace
    survols = zip(cercles["code"], cercles["nom"], cercles["survol"], strict=True)
    customdata = [[code, pour_plotly(nom), f"{libelle} : {texte}"] for code, nom, texte in survols]
    # The keys in their usual order (the figure's JSON stays the same).
    return {
        **{k: v for k, v in trace.items() if k != "showlegend"},
        "customdata": customdata,
        "hovertemplate": MODELE_SURVOL_PORTEUR,
        "showlegend": False,
    }


def _arrondi_inferieur(valeur: float) -> float:
    """The largest 1, 2 or 5 × 10^k not above valeur."""
    puissance = 10 ** math.floor(math.log10(valeur))
    mantisse = valeur / puissance
    chiffre = max(c for c in (1, 2, 5) if c <= mantisse * (1 + 1e-9))
    return chiffre * puissance


def valeurs_de_reference(maximum: float) -> list[float]:
    """Up to three round values for the circle legend: the round value at or below the maximum, and
    one and two orders of magnitude below (not under 1 when the data reach 1: no "0,5 pass")."""
    if not maximum > 0:
        return []
    haut = _arrondi_inferieur(maximum)
    plancher = 1.0 if maximum >= 1 else 0.0
    valeurs = {max(_arrondi_inferieur(haut / d), plancher) for d in (1, 10, 100)}
    return [int(v) if float(v).is_integer() else v for v in sorted(valeurs)]


# --- Porteurs: each laureate's own perimeter, layered by type ------------------------------------


def carte_porteurs(
    couches: pd.DataFrame,
    url_par_niveau: Mapping[str, str],
    couleurs: Sequence[str],
    fond: tuple[str, Sequence[str]] | None = None,
) -> dict:
    """couches: one row per (laureate, drawn territory) with siren, nom, type, niveau_geo, code, classe
    (Int64, NA = sans donnée), survol, and optionally `incoherent` (drawn in its own colour, outside
    the classes). One choropleth per (type, layer), régions at the bottom and EPCIs
    on top, semi-transparent so overlaps show; customdata = [siren, nom, survol] for clicks.
    fond: (geometry URL, codes) of every territory of the level, drawn first in light grey without
    hover so that France stays recognisable around the laureates. The layers' legend is drawn by the
    page (dashboard.vues.legende.couches_porteurs), with the real outlines."""
    traces = [trace_fond_muet(*fond)] if fond else []
    groupes = dict(list(couches.groupby(["type", "niveau_geo"], sort=False)))
    for type_ in ORDRE_TYPES:
        premier = True
        for niveau in ORDRE_NIVEAUX:
            lignes = groupes.get((type_, niveau))  # a group is never empty
            if lignes is None:
                continue
            traces.append(_trace_porteurs(lignes, type_, url_par_niveau[niveau], couleurs, premier))
            premier = False
    layout = _mise_en_page()
    layout["showlegend"] = False
    return {"data": traces, "layout": layout}


def trace_fond_muet(url: str, codes: Sequence[str]) -> dict:
    """Every territory of a level in light grey, silent (no hover, no click): the base of a map."""
    return _aplat_muet("fond", url, codes, FOND, CONTOUR_FOND)


def _aplat_muet(nom: str, url: str, codes: Sequence[str], couleur: str, contour: Mapping) -> dict:
    """Territories in one colour with one outline, silent (no hover, no click, no legend)."""
    return {
        "type": "choropleth",
        "name": nom,
        "geojson": url,
        "featureidkey": "properties.code",
        "locations": list(codes),
        "z": [0] * len(codes),
        "zmin": -0.5,
        "zmax": 0.5,
        "colorscale": [[0, couleur], [1, couleur]],
        "showscale": False,
        "showlegend": False,
        "hoverinfo": "skip",
        "marker": {"line": dict(contour)},
    }


def _trace_porteurs(
    lignes: pd.DataFrame, type_: str, url: str, couleurs: Sequence[str], legende: bool
) -> dict:
    # "Sans donnée" and "données incohérentes" are two more steps of the same scale, so that such a
    # laureate stays in its layer.
    sans_donnee = len(couleurs)
    z = lignes["classe"].astype("Int64").fillna(sans_donnee).to_numpy(dtype=np.int64)
    if "incoherent" in lignes:
        z = np.where(lignes["incoherent"].fillna(False).astype(bool).to_numpy(), sans_donnee + 1, z)
    # Plain lists, row by row (a frame's .values of mixed columns costs more than the few hundred rows).
    survols = zip(lignes["siren"].tolist(), lignes["nom"].tolist(), lignes["survol"].tolist(), strict=True)
    return {
        "type": "choropleth",
        "name": LIBELLES_TYPES[type_],
        "legendgroup": type_,
        "showlegend": legende,
        "geojson": url,
        "featureidkey": "properties.code",
        "locations": lignes["code"].tolist(),
        "z": z.tolist(),
        "zmin": -0.5,
        "zmax": sans_donnee + 1.5,
        "colorscale": echelle_discrete([*couleurs, SANS_DONNEE, INCOHERENT]),
        "showscale": False,
        "marker": {"opacity": OPACITE_PORTEURS, "line": dict(CONTOURS_TYPES[type_])},
        "customdata": [[siren, pour_plotly(nom), survol] for siren, nom, survol in survols],
        "hovertemplate": MODELE_SURVOL_PORTEUR,
    }


# --- Framing: the drawn territories fill the map's box --------------------------------------------

MARGE_CADRAGE = 0.015  # of each span, so that the outermost outlines are not cut


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _mercator_lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def cadrer(figure: dict, bornes: Sequence[float] | None) -> dict:
    """Frame the map on bornes = (lon min, lat min, lon max, lat max): plotly fits exactly that box in
    its area (its own `fitbounds` pads the data by about a tenth each way, France then fills half of
    the panel). The centre is the box's middle in the projection (Mercator), not in degrees, or plotly
    would clip one side. Without bounds the figure keeps `fitbounds`."""
    if not bornes or not all(math.isfinite(b) for b in bornes):
        return figure
    ouest, sud, est, nord = bornes
    marge_lon = max(est - ouest, 0.05) * MARGE_CADRAGE
    y_sud, y_nord = _mercator_y(sud), _mercator_y(nord)
    marge_y = max(y_nord - y_sud, 0.001) * MARGE_CADRAGE
    sud, nord = _mercator_lat(y_sud - marge_y), _mercator_lat(y_nord + marge_y)
    ouest, est = ouest - marge_lon, est + marge_lon
    centre_lon, centre_lat = (ouest + est) / 2, _mercator_lat((y_sud + y_nord) / 2)
    geo = figure["layout"]["geo"]
    geo.pop("fitbounds", None)
    geo.update(
        {
            "lonaxis": {"range": [round(ouest, 4), round(est, 4)]},
            "lataxis": {"range": [round(sud, 4), round(nord, 4)]},
            "center": {"lon": round(centre_lon, 4), "lat": round(centre_lat, 4)},
            "projection": {**geo.get("projection", {}), "rotation": {"lon": round(centre_lon, 4), "lat": 0}},
        }
    )
    return figure


# --- Insets and focus: drawn over any map, static (never patched) ---------------------------------

NOMS_ENCARTS = {
    "971": "Guadeloupe",
    "972": "Martinique",
    "973": "Guyane",
    "974": "La Réunion",
    "976": "Mayotte",
}
MARGE_ENCART = 0.08  # degrees between a DROM and its frame
CONTOUR_ENCART = {"color": "#929292", "width": 1}
CONTOUR_FOCUS = {"color": "#161616", "width": 3}
# A white halo under the dark line: the focus never reads as a région's (thick dark) outline.
HALO_FOCUS = {"color": "#FFFFFF", "width": 6}


def cadres_encarts(bornes: Mapping[str, Sequence[float]]) -> dict[str, tuple[float, float, float, float]]:
    """bornes: (lon min, lat min, lon max, lat max) of each DROM as moved into its inset. The frames
    share one width (the insets form a column) and leave a small margin around each DROM."""
    if not bornes:
        return {}
    gauche = min(b[0] for b in bornes.values()) - MARGE_ENCART
    droite = max(b[2] for b in bornes.values()) + MARGE_ENCART
    return {
        code: (gauche, b[1] - MARGE_ENCART, droite, b[3] + MARGE_ENCART) for code, b in sorted(bornes.items())
    }


def traces_encarts(bornes: Mapping[str, Sequence[float]]) -> list[dict]:
    """The frames of the DROM insets (one line trace) and their names above each frame (one text
    trace): a few dozen points, part of the map's structure, never of a recolouring."""
    cadres = cadres_encarts(bornes)
    if not cadres:
        return []
    lon: list[float | None] = []
    lat: list[float | None] = []
    for g, b, d, h in cadres.values():
        lon += [g, d, d, g, g, None]
        lat += [b, b, h, h, b, None]
    lignes = {
        "type": "scattergeo",
        "name": "encarts",
        "mode": "lines",
        "lon": lon,
        "lat": lat,
        "line": dict(CONTOUR_ENCART),
        "hoverinfo": "skip",
        "showlegend": False,
    }
    noms = {
        "type": "scattergeo",
        "name": "encarts-noms",
        "mode": "text",
        # From the frame's west edge eastwards: a name wider than its frame (on a phone) is never cut
        # by the map's edge.
        "lon": [g for g, *_ in cadres.values()],
        "lat": [h for *_, h in cadres.values()],
        "text": [NOMS_ENCARTS.get(code, code) for code in cadres],
        "textposition": "top right",
        "textfont": {"size": 10, "color": "#3A3A3A"},
        "hoverinfo": "skip",
        "showlegend": False,
    }
    return [lignes, noms]


def traces_focus(url: str, codes: Sequence[str], niveau: str = "") -> list[dict]:
    """The territory (or the laureate's territories of one level) named by `focus=`: a wide white halo,
    then a thick dark line over it."""
    halo = trace_focus(url, codes, niveau)
    halo["marker"] = {"line": dict(HALO_FOCUS)}
    halo["name"] += "-halo"
    return [halo, trace_focus(url, codes, niveau)]


def trace_focus(url: str, codes: Sequence[str], niveau: str = "") -> dict:
    """The territory (or the laureate's territories) named by `focus=`: a thick dark outline over the
    map, unfilled and silent so that the map under it still answers hover and clicks."""
    nom = f"focus-{niveau}" if niveau else "focus"
    return _aplat_muet(nom, url, codes, "rgba(0,0,0,0)", CONTOUR_FOCUS)


# --- Recolouring: a patch of values when the drawn structure is unchanged ------------------------

# What changes with the data in each trace; everything else (locations, positions, geometry URL,
# styles, layout) is the structure. A map on screen with the same structure gets only these fields (the
# page sends them as a Dash Patch): the locations and positions never travel again while filters change.
# In the browser, assets/recoloration-carte.js applies such a patch without redrawing the geography (the
# fills of the shapes set from z, the hover values replaced): its lists of value fields follow these (a
# change of anything else, circle sizes included, is drawn again by plotly).
CHAMPS_VALEURS = {
    "fond": ("customdata", "hovertemplate"),
    "cercles": ("marker.size", "customdata", "hovertemplate"),
    "encarts": (),
    "encarts-noms": (),
}
CHAMPS_VALEURS_AUTRES = ("z", "zmax", "colorscale", "customdata", "hovertemplate")


def _champs_valeurs(trace: dict) -> tuple[str, ...]:
    nom = str(trace.get("name"))
    if nom.startswith("focus"):
        return ()
    return CHAMPS_VALEURS.get(nom, CHAMPS_VALEURS_AUTRES)


def signature(figure: dict) -> str:
    """A digest of the figure's structure (its value fields left out)."""
    structure = []
    for trace in figure["data"]:
        # Copies only along the paths of the value fields (the traces are plain JSON values): the rest
        # is dumped as it is, without a deep copy of a thousand locations.
        forme = dict(trace)
        for champ in _champs_valeurs(trace):
            *parents, feuille = champ.split(".")
            noeud = forme
            for parent in parents:
                enfant = noeud.get(parent, {})
                if isinstance(enfant, dict) and parent in noeud:
                    enfant = noeud[parent] = dict(enfant)
                noeud = enfant
            if feuille in noeud:
                noeud[feuille] = "•"
        structure.append(forme)
    texte = json.dumps([structure, figure["layout"]], sort_keys=True, default=str)
    return hashlib.blake2b(texte.encode(), digest_size=12).hexdigest()


def correctif(figure: dict) -> list[tuple[tuple, object]]:
    """The value fields of every trace, as (path in the figure, value) pairs, to set on a drawn figure of
    the same signature: (("data", 0, "marker", "size"), [...])."""
    changements = []
    for i, trace in enumerate(figure["data"]):
        for champ in _champs_valeurs(trace):
            *parents, feuille = champ.split(".")
            source = trace
            for parent in parents:
                source = source.get(parent, {})
            if feuille in source:
                changements.append((("data", i, *parents, feuille), source[feuille]))
    return changements
