"""Charts around the map (funnel, monthly timeline) as plain plotly dicts, in French, DSFR colours.

No title inside a figure: the page gives each chart its heading. Hover texts are built here with the
project's formatter, so they read French in static exports too (which do not get the Graph locale).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from functools import cache

import numpy as np
import pandas as pd
from babel.dates import format_date

from dashboard.domain import formatage
from dashboard.domain.indicateurs import est_exact
from dashboard.domain.palettes import BLEU_FRANCE
from dashboard.domain.texte import pour_plotly

BLEU_CLAIR = "#6A6AF4"  # DSFR mid blue: the second series, lighter than blue France
GRIS_EXPIRES = "#929292"  # DSFR grey 625: not a step of the funnel
TEXTE = "#161616"
VIDE = "Aucune activité sur la période"
# The one font of every chart (the UI's, served locally): change it here only.
POLICE = "'Source Sans 3', Arial, sans-serif"  # the UI's font, served locally (assets/polices)
# The chart toolbar (dashboard.components.graphique) stands upright in a band of the right margin that
# no data reaches: it never covers a bar, a label or a line.
MARGE_BARRE = 36
BARRE_OUTILS = {"orientation": "v"}  # its colours: assets/graphique.css
TITRE_AXE_ECART = 10  # pixels between an axis title and its tick labels


def _base(marges: dict | None = None) -> dict:
    marges = {"l": 0, "r": 0, "t": 0, "b": 0, **(marges or {})}
    marges["r"] = max(marges["r"], MARGE_BARRE)
    return {
        "margin": marges,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "separators": ",\u202f",  # static exports do not get the Graph locale
        "font": {"family": POLICE, "color": TEXTE},
        "hoverlabel": {"bgcolor": "white", "font": {"size": 14}},
        "modebar": dict(BARRE_OUTILS),
    }


def _titre_axe(texte: str) -> dict:
    """An axis title kept clear of its tick labels (the axis's automargin makes room for both)."""
    return {"text": texte, "standoff": TITRE_AXE_ECART}


def _pass(n: float) -> str:
    return f"{formatage.nombre(n)} pass"


# --- Funnel -----------------------------------------------------------------------------------------


def entonnoir(
    commandes: float,
    distribues: float,
    utilises: float,
    expires: float,
    taux_distribution: float | None = None,
    taux_utilisation: float | None = None,
    flux: bool = False,
    estime: bool = False,
    exact: bool = False,
) -> dict:
    """Ordered → distributed → redeemed as a funnel, each step labelled with its share of its base
    ("45,8 % des distribués"): the rates of the cards when given (cohorts, see /methodologie), else the
    plain ratios. A count that is unknown (NaN: expired passes without a known end of validity) says "—".
    `flux`: the counts are the flows of a period (ordered, handed out, redeemed in it): side by side,
    without shares (the passes redeemed in a period are not a part of those handed out in it).
    `estime`: the redeemed step is an estimate (territories view), said in its label; `exact`: it is
    the passes handed out then redeemed, known by their numbers, said too.

    Expired passes are drawn as a separate grey bar under the funnel, not as a fourth step: they are
    ordered passes whose validity ended unused (distributed or not), so they are not a subset of the
    redeemed ones, and a fourth funnel step (with its connector) would say they were.
    """
    etapes = [
        ("Commandés", commandes, None, ""),
        ("Distribués", distribues, _taux(taux_distribution, distribues, commandes), "des commandés"),
        (
            "Utilisés",
            utilises,
            _taux(taux_utilisation, utilises, distribues),
            "des distribués, estimé" if estime else "des distribués, exact" if exact else "des distribués",
        ),
    ]
    expires_etape = [("Expirés", expires, _taux(None, expires, commandes), "des commandés")]
    if flux:
        etapes = [(libelle, valeur, None, "") for libelle, valeur, _, _ in etapes]
        expires_etape = [("Expirés", expires, None, "")]
    funnel = _trace_entonnoir(etapes, BLEU_FRANCE, "white", connecteur=not flux)
    expires_trace = _trace_entonnoir(expires_etape, GRIS_EXPIRES, TEXTE, False)
    expires_trace["name"] = "Pass expirés"
    layout = _base({"l": 8})
    categories = [libelle for libelle, *_ in etapes + expires_etape]
    connues = [float(v) for v in (commandes, distribues, utilises, expires) if _connu(v) and v > 0]
    axe_x: dict = {"visible": False}
    if connues:
        # The bars are centred on 0: room on the right for the labels of the narrow bars.
        plus_large = max(connues)
        axe_x["range"] = [-0.5 * plus_large, (0.5 + MARGE_ETIQUETTES_ENTONNOIR) * plus_large]
    layout.update(
        {
            "showlegend": False,
            "funnelmode": "stack",
            "xaxis": axe_x,
            "yaxis": {
                "categoryorder": "array",
                "categoryarray": categories,
                "autorange": "reversed",
                # Each step's share under its name, at the left: the bars keep short labels (the
                # counts) that fit inside or beside them, even on a phone.
                "tickmode": "array",
                "tickvals": categories,
                "ticktext": [_libelle_etape(*etape) for etape in etapes + expires_etape],
                "ticksuffix": " ",
                "automargin": True,
            },
        }
    )
    if not any(_connu(v) and v > 0 for v in (commandes, distribues, utilises, expires)):
        layout["annotations"] = [_annotation("Aucun pass sur la sélection")]
    return {"data": [funnel, expires_trace], "layout": layout}


def entonnoir_des_totaux(totaux: Mapping[str, float], flux: bool = False, par_lieu: bool = False) -> dict:
    """The funnel of a selection's totals (dashboard.domain.indicateurs.totaliser), with its cards'
    rates; over a period (`flux`), the period's flows side by side. `par_lieu` (the territories view):
    orders have no place (no distribution rate), and the redeemed step is the estimate of the passes
    handed out here that were redeemed (anywhere), the base of the estimated rate — not the passes
    redeemed here —, exact when the selection's passes are numbered (`est_exact`)."""
    cohorte = par_lieu and not flux
    exact = est_exact(totaux)
    return entonnoir(
        totaux["pass_commandes"],
        totaux["pass_distribues"],
        round(totaux["utilises_parmi_distribues"]) if cohorte else totaux["pass_utilises"],
        totaux["pass_expires"],
        np.nan if par_lieu else totaux["taux_distribution"],
        totaux["taux_utilisation"],
        flux=flux,
        estime=cohorte and not exact,
        exact=cohorte and exact,
    )


def _connu(valeur) -> bool:
    return valeur is not None and not (isinstance(valeur, float) and math.isnan(valeur))


def _taux(taux: float | None, partie: float, base: float) -> float | None:
    if taux is not None:
        return taux if _connu(taux) else None
    return partie / base if _connu(partie) and _connu(base) and base else None


MARGE_ETIQUETTES_ENTONNOIR = 0.25  # of the widest bar: room for the counts written beside their bar


def _trace_entonnoir(etapes, couleur: str, texte: str, connecteur: bool) -> dict:
    libelles = [libelle for libelle, *_ in etapes]
    valeurs = [float(v) if _connu(v) else None for _, v, _, _ in etapes]

    def etiquette(valeur, taux, base) -> str:
        if valeur is None:
            return formatage.NON_RENSEIGNE
        part = f" · {formatage.pourcentage(taux)} {base}" if base and taux is not None else ""
        return formatage.nombre(valeur) + part

    return {
        "type": "funnel",
        "name": "Pass",
        "y": libelles,
        "x": [v or 0.0 for v in valeurs],
        "text": [formatage.NON_RENSEIGNE if v is None else formatage.nombre(v) for v in valeurs],
        "textinfo": "text",
        "textposition": "auto",
        "cliponaxis": False,
        "insidetextfont": {"color": texte},
        "outsidetextfont": {"color": TEXTE},
        "marker": {"color": couleur},
        "connector": {"visible": connecteur, "fillcolor": "#E3E3FD", "line": {"width": 0}},
        "customdata": [
            f"Pass {libelle.lower()} : {_entre_parentheses(etiquette(v, t, b))}"
            for libelle, v, (_, _, t, b) in zip(libelles, valeurs, etapes, strict=True)
        ],
        "hovertemplate": "%{customdata}<extra></extra>",
    }


def _libelle_etape(libelle: str, valeur, taux: float | None, base: str) -> str:
    """The tick label of a funnel step: its name, and under it its share of its base, in small print
    (`Distribués` / `61,7 % des commandés`), a qualifier on a line of its own (`estimé`)."""
    if not base or taux is None or not _connu(valeur):
        return libelle
    part = f"{formatage.pourcentage(taux)} {base}".replace(", ", "<br>")
    return f'{libelle}<br><span style="color:#3A3A3A">{part}</span>'


def _entre_parentheses(etiquette: str) -> str:
    """`1 234 · 61,7 % des commandés` → `1 234 (61,7 % des commandés)`."""
    nombre, sep, part = etiquette.partition(" · ")
    return f"{nombre} ({part})" if sep else nombre


def _annotation(texte: str) -> dict:
    return {
        "text": texte,
        "xref": "paper",
        "yref": "paper",
        "x": 0.5,
        "y": 0.5,
        "showarrow": False,
        "font": {"size": 16, "color": TEXTE},
    }


# --- Monthly timeline -------------------------------------------------------------------------------


def mois_texte(jour: date | pd.Timestamp) -> str:
    """`mars 2021` (Babel's French CLDR, like the project's formatter; no system locale needed)."""
    return _mois_texte(jour.year, jour.month)


@cache  # a few dozen months, else formatted by Babel for every point of every timeline at every callback
def _mois_texte(annee: int, mois: int) -> str:
    return format_date(date(annee, mois, 1), format="MMMM y", locale=formatage.LOCALE)


def chronologie(
    mensuel: pd.DataFrame,
    cumul: bool,
    notes: list[tuple[date, str]] | None = None,
    projection: pd.DataFrame | None = None,
) -> dict:
    """mensuel: mois (first day of the month), pass_distribues, pass_utilises. Monthly bars, or the
    cumulative totals as lines; an empty selection gives an empty chart with a French notice. notes:
    (date, text) of the committee notes, drawn as dotted vertical lines with a marker at the top whose
    hover says the note. projection (dashboard.store.prevision.projection_mensuelle: mois,
    distribues_prevus/_bas/_haut, utilises_prevus/_bas/_haut): after the last month, dotted lines and
    their 80 % band, labelled as estimated."""
    if mensuel.empty:
        return _vide()
    donnees = mensuel.assign(mois=pd.to_datetime(mensuel["mois"])).sort_values("mois", kind="stable")
    series = [
        ("Distribués", "pass_distribues", BLEU_FRANCE, "solid"),
        ("Utilisés", "pass_utilises", BLEU_CLAIR, "dash"),
    ]
    mois = _textes_des_mois(donnees["mois"])
    traces = [
        _serie(donnees, mois, nom, colonne, couleur, tirets, cumul)
        for nom, colonne, couleur, tirets in series
    ]
    if projection is not None and not projection.empty:
        traces += _projection(donnees, projection, cumul)
    layout = _base({"l": 8, "b": 8})
    layout.update(
        {
            "barmode": "group",
            "bargap": 0.25,
            "hovermode": "x unified" if cumul else "closest",
            "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
            "xaxis": {
                "type": "date",
                "tickformat": "%b %Y",
                "hoverformat": "%m/%Y",
                "showgrid": False,
                "automargin": True,
            },
            "yaxis": {"tickformat": ",d", "rangemode": "tozero", "gridcolor": "#DDDDDD", "automargin": True},
        }
    )
    if cumul:
        # The toolbar's PNG is the server's export of this mode (assets/graphique-export.js).
        layout["meta"] = {"export_png": "chronologie-cumul"}
    if notes:
        _marquer_notes(traces, layout, notes)
    return {"data": traces, "layout": layout}


COULEUR_NOTES = "#B34000"  # DSFR warning orange: apart from the two series' blues


def _marquer_notes(traces: list[dict], layout: dict, notes: list[tuple[date, str]]) -> None:
    """A dotted vertical line per dated note, and a diamond at the top of the chart (on the paper's
    height, whatever the values) whose hover gives the date and the text, several notes of a day on
    one marker."""
    par_jour: dict[date, list[str]] = {}
    for jour, texte in notes:
        par_jour.setdefault(jour, []).append(texte)
    jours = sorted(par_jour)
    layout["shapes"] = [
        *layout.get("shapes", []),
        *(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": j.isoformat(),
                "x1": j.isoformat(),
                "y0": 0,
                "y1": 1,
                "line": {"color": COULEUR_NOTES, "width": 1.5, "dash": "dot"},
            }
            for j in jours
        ),
    ]
    survols = [
        f"Note du {formatage.date_courte(j)} :<br>" + "<br>".join(_coupe(pour_plotly(t)) for t in par_jour[j])
        for j in jours
    ]
    traces.append(
        {
            "type": "scatter",
            "mode": "markers",
            "name": "Notes du comité",
            "x": [j.isoformat() for j in jours],
            "y": [1] * len(jours),
            "yaxis": "y2",
            "marker": {"symbol": "diamond", "size": 12, "color": COULEUR_NOTES},
            "customdata": survols,
            "hovertemplate": "%{customdata}<extra></extra>",
            "meta": "notes-comite",
        }
    )
    layout["yaxis2"] = {"overlaying": "y", "range": [0, 1.04], "visible": False, "fixedrange": True}


def _coupe(texte: str, largeur: int = 60, longueur: int = 240) -> str:
    """A note's text for a hover label: at most `longueur` characters, in lines of about `largeur`."""
    texte = texte if len(texte) <= longueur else texte[: longueur - 1] + "…"
    lignes, ligne = [], ""
    for mot in texte.split():
        if ligne and len(ligne) + len(mot) + 1 > largeur:
            lignes.append(ligne)
            ligne = mot
        else:
            ligne = f"{ligne} {mot}".strip()
    return "<br>".join([*lignes, ligne])


PREVISION = "Prévision (estimée)"


def _projection(donnees: pd.DataFrame, projection: pd.DataFrame, cumul: bool) -> list[dict]:
    """The forecast after the last month: per flow, its 80 % band (filled between the low and high
    bounds) and its dotted central line, each tied to the last observed month."""
    projection = projection.assign(mois=pd.to_datetime(projection["mois"])).sort_values("mois")
    projection = projection[projection["mois"] > donnees["mois"].max()]
    if projection.empty:
        return []
    x = _textes_des_mois(pd.concat([donnees["mois"].iloc[-1:], projection["mois"]]))[0]
    mois = [_mois_texte(int(jour[:4]), int(jour[5:7])) for jour in x]
    traces = []
    for nom, prefixe, colonne, couleur in (
        ("distribués", "distribues", "pass_distribues", BLEU_FRANCE),
        ("utilisés", "utilises", "pass_utilises", BLEU_CLAIR),
    ):
        depart = float(donnees[colonne].sum()) if cumul else float(donnees[colonne].iloc[-1])
        valeurs = {}
        for suffixe in ("prevus", "bas", "haut"):
            v = projection[f"{prefixe}_{suffixe}"].astype(float)
            valeurs[suffixe] = [depart, *(depart + v.cumsum() if cumul else v).tolist()]
        groupe = f"prevision-{prefixe}"
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": f"Intervalle à 80 % (pass {nom})",
                "x": x + x[::-1],
                "y": valeurs["haut"] + valeurs["bas"][::-1],
                "fill": "toself",
                "fillcolor": "rgba(0, 0, 145, 0.12)"
                if prefixe == "distribues"
                else "rgba(106, 106, 244, 0.15)",
                "line": {"width": 0},
                "hoverinfo": "skip",
                "legendgroup": groupe,
                "showlegend": False,
            }
        )
        survols = [
            f"{PREVISION} — pass {nom} {'(cumul) à fin' if cumul else 'en'} {texte} : "
            f"{formatage.nombre(c)} (de {formatage.nombre(b)} à {formatage.nombre(h)})"
            for texte, c, b, h in zip(mois, valeurs["prevus"], valeurs["bas"], valeurs["haut"], strict=True)
        ]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": f"{PREVISION} : pass {nom}",
                "x": x,
                "y": valeurs["prevus"],
                "line": {"color": couleur, "width": 2.5, "dash": "dot"},
                "customdata": survols,
                "hovertemplate": "%{customdata}<extra></extra>",
                "legendgroup": groupe,
                "meta": {"prevision": True},
            }
        )
    return traces


def _textes_des_mois(mois: pd.Series) -> tuple[list[str], list[str]]:
    """The days (`2021-03-01`, the axis) and the months in words (`mars 2021`, the hovers) of a datetime
    column, read on its numbers rather than on one Timestamp per month."""
    valeurs = mois.to_numpy(dtype="datetime64[ns]")
    jours = np.datetime_as_string(valeurs, unit="D").tolist()
    annees = (valeurs.astype("datetime64[Y]").astype(np.int64) + 1970).tolist()
    numeros = (valeurs.astype("datetime64[M]").astype(np.int64) % 12 + 1).tolist()
    return jours, [_mois_texte(a, m) for a, m in zip(annees, numeros, strict=True)]


def _serie(
    donnees: pd.DataFrame,
    mois: tuple[list[str], list[str]],
    nom: str,
    colonne: str,
    couleur: str,
    tirets: str,
    cumul: bool,
) -> dict:
    """mois: `_textes_des_mois` of donnees["mois"]."""
    jours, textes = mois
    valeurs = donnees[colonne].fillna(0).astype(float)
    if cumul:
        valeurs = valeurs.cumsum()
    survols = [
        f"{nom} {'(cumul) à fin' if cumul else 'en'} {texte} : {formatage.nombre(v)}"
        for texte, v in zip(textes, valeurs.tolist(), strict=True)
    ]
    trace = {
        "name": f"Pass {nom.lower()}" + (" (cumul)" if cumul else ""),
        "x": jours,
        "y": valeurs.tolist(),
        "customdata": survols,
        "hovertemplate": "%{customdata}<extra></extra>",
    }
    if cumul:
        # A dashed second line: the two series differ by more than colour alone (RGAA 3.2).
        return {
            **trace,
            "type": "scatter",
            "mode": "lines",
            "line": {"color": couleur, "width": 3, "dash": tirets},
        }
    return {**trace, "type": "bar", "marker": {"color": couleur}}


def _vide(texte: str = VIDE) -> dict:
    layout = _base()
    layout.update(
        {"xaxis": {"visible": False}, "yaxis": {"visible": False}, "annotations": [_annotation(texte)]}
    )
    return {"data": [], "layout": layout}


# Distinct by colour AND dash (RGAA 3.2): up to six series (cohorts, compared entities).
COULEURS_SERIES = ("#000091", "#E1000F", "#18753C", "#B34000", "#6A6AF4", "#161616")
TIRETS_SERIES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")


# --- Cohort curves ------------------------------------------------------------------------------------


def courbes_cohortes(
    cohortes: pd.DataFrame, nb_max: int = 6, horizon: int = 24, sans_objet: str | None = None
) -> dict:
    """cohortes: trimestre, k, distribues, part (0–1), quarters in time order. One line per quarter of
    distribution — the nb_max quarters that distributed the most passes, in time order — giving the
    share of the quarter's passes redeemed within k months (k ≤ horizon). `sans_objet`: why there are no
    curves to draw (said in the empty chart)."""
    if sans_objet or cohortes.empty:
        return _vide(sans_objet or VIDE)
    tailles = cohortes.groupby("trimestre", sort=False)["distribues"].first()
    gardes = set(tailles.nlargest(nb_max).index)
    ordre = [t for t in dict.fromkeys(cohortes["trimestre"]) if t in gardes]
    cohortes = cohortes[cohortes["k"] <= horizon]
    traces = []
    for i, trimestre in enumerate(ordre):
        courbe = cohortes[cohortes["trimestre"] == trimestre].sort_values("k")
        survols = [
            f"Pass distribués au {trimestre} utilisés sous {k} mois : {formatage.pourcentage(p)}"
            for k, p in zip(courbe["k"], courbe["part"], strict=True)
        ]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": f"{trimestre} ({formatage.nombre(courbe['distribues'].iloc[0])} pass)",
                "x": courbe["k"].tolist(),
                "y": (courbe["part"] * 100).round(2).tolist(),
                "line": {"color": COULEURS_SERIES[i], "dash": TIRETS_SERIES[i], "width": 2.5},
                "customdata": survols,
                "hovertemplate": "%{customdata}<extra></extra>",
            }
        )
    layout = _base({"l": 8, "b": 8})
    layout.update(
        {
            "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
            "xaxis": {
                "title": _titre_axe("Mois après la distribution"),
                "dtick": 3,
                "rangemode": "tozero",
                "automargin": True,
            },
            "yaxis": {
                "title": _titre_axe("Part utilisée"),
                "ticksuffix": " %",
                "rangemode": "tozero",
                "gridcolor": "#DDDDDD",
                "automargin": True,
            },
        }
    )
    return {"data": traces, "layout": layout}


# --- Breakdown by structure -------------------------------------------------------------------------------


MARGE_ETIQUETTES_BARRES = 0.3  # of the longest bar: room for the share written after each bar


LONGUEUR_NOM_AXE = 30  # characters of a name on an axis


def _abreger(texte: str, longueur: int = LONGUEUR_NOM_AXE) -> str:
    """`Maison départementale des solidarités de Brest (Brest)` → `Maison départementale des sol…`
    (plotly text: an entity cut in two is cut whole)."""
    if len(texte) <= longueur:
        return texte
    coupe = texte[: longueur - 1]
    esperluette = coupe.rfind("&")
    if esperluette != -1 and ";" not in coupe[esperluette:]:
        coupe = coupe[:esperluette]
    return coupe.rstrip() + "…"


def barres_structures(repartition: pd.DataFrame, nb_max: int = 10) -> dict:
    """repartition: nom, commune, nb_pass, part — the nb_max largest as horizontal bars."""
    if repartition.empty:
        return _vide()
    haut = repartition.head(nb_max).iloc[::-1]  # plotly draws the first bar at the bottom
    etiquettes = [
        pour_plotly(f"{n} ({c})" if isinstance(c, str) and c else n)
        for n, c in zip(haut["nom"], haut["commune"], strict=True)
    ]
    layout = _base({"l": 8, "r": 40})
    plus_grand = float(haut["nb_pass"].max()) if len(haut) else 0.0
    axe_x = {"tickformat": ",d", "gridcolor": "#DDDDDD", "rangemode": "tozero", "automargin": True}
    if plus_grand > 0:
        # Room after the longest bar for its share written outside ("92,4 %").
        axe_x["range"] = [0, plus_grand * (1 + MARGE_ETIQUETTES_BARRES)]
    # Long names abridged on the axis (a phone keeps room for the bars), whole in the hover text.
    axe_y = {"automargin": True, "tickmode": "array", "tickvals": etiquettes}
    axe_y["ticktext"] = [_abreger(e) for e in etiquettes]
    layout.update({"xaxis": axe_x, "yaxis": axe_y, "bargap": 0.3})
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": haut["nb_pass"].tolist(),
                "y": etiquettes,
                "marker": {"color": BLEU_FRANCE},
                "text": [formatage.pourcentage(p) for p in haut["part"]],
                "textposition": "outside",
                "cliponaxis": False,
                "constraintext": "none",
                "customdata": [
                    f"{e} : {_pass(n)} ({formatage.pourcentage(p)})"
                    for e, n, p in zip(etiquettes, haut["nb_pass"], haut["part"], strict=True)
                ],
                "hovertemplate": "%{customdata}<extra></extra>",
            }
        ],
        "layout": layout,
    }


# --- Comparison ---------------------------------------------------------------------------------------------


def chronologies_comparees(series: list[tuple[str, pd.DataFrame, float]], colonne: str, libelle: str) -> dict:
    """series: (name, monthly frame with mois and `colonne`, population). One line per entity: the
    monthly count per 1 000 inhabitants, so that entities of different sizes compare."""
    traces = []
    for i, (nom_brut, mensuel, population) in enumerate(series):
        if mensuel.empty or not population:
            continue
        nom = pour_plotly(nom_brut)
        valeurs = mensuel[colonne].astype(float) * 1000 / population
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": nom,
                "x": [pd.Timestamp(m).strftime("%Y-%m-%d") for m in mensuel["mois"]],
                "y": valeurs.round(4).tolist(),
                "line": {"color": COULEURS_SERIES[i % 6], "dash": TIRETS_SERIES[i % 6], "width": 2.5},
                "customdata": [
                    f"{nom}, {mois_texte(pd.Timestamp(m))} : {formatage.nombre(v, 2)} {libelle}"
                    for m, v in zip(mensuel["mois"], valeurs, strict=True)
                ],
                "hovertemplate": "%{customdata}<extra></extra>",
            }
        )
    if not traces:
        return _vide()
    layout = _base({"l": 8, "b": 8})
    layout.update(
        {
            "hovermode": "closest",
            "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
            "xaxis": {"type": "date", "tickformat": "%b %Y", "showgrid": False, "automargin": True},
            "yaxis": {
                "title": _titre_axe(libelle),
                "rangemode": "tozero",
                "gridcolor": "#DDDDDD",
                "automargin": True,
            },
        }
    )
    return {"data": traces, "layout": layout}


def entonnoirs_compares(lignes: list[tuple[str, float, float, float, float]]) -> dict:
    """lignes: (name, population, ordered, distributed, redeemed). Grouped bars per 1 000 inhabitants,
    one colour per funnel step, the entities side by side."""
    if not lignes:
        return _vide()
    noms = [pour_plotly(n) for n, *_ in lignes]
    etapes = [("Commandés", 2, "#DBDAFF"), ("Distribués", 3, BLEU_CLAIR), ("Utilisés", 4, BLEU_FRANCE)]
    traces = []
    for etape, position, couleur in etapes:
        valeurs = [(ligne[position] * 1000 / ligne[1]) if ligne[1] else None for ligne in lignes]
        traces.append(
            {
                "type": "bar",
                "name": f"Pass {etape.lower()}",
                "x": noms,
                "y": valeurs,
                "marker": {"color": couleur, "line": {"color": TEXTE, "width": 0.5}},
                "customdata": [
                    f"{n} — pass {etape.lower()} : {formatage.nombre(v, 1)} pour 1 000 habitants"
                    for n, v in zip(noms, valeurs, strict=True)
                ],
                "hovertemplate": "%{customdata}<extra></extra>",
            }
        )
    layout = _base({"l": 8, "b": 8})
    layout.update(
        {
            "barmode": "group",
            "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
            "yaxis": {
                "title": _titre_axe("pass pour 1 000 habitants"),
                "gridcolor": "#DDDDDD",
                "automargin": True,
            },
            "xaxis": {"automargin": True},
        }
    )
    return {"data": traces, "layout": layout}
