"""PNG export of a chart or a map, stamped with its provenance, rendered offline by kaleido in Chromium.

Persistent renderer. kaleido ≥ 1.5 drives a headless Chromium (Debian's, found through BROWSER_PATH).
Starting it costs seconds; a started one renders a PNG in a fraction of that. So one renderer lives for
the whole process: kaleido's sync server, started lazily by the first export, warmed up with a tiny figure,
and stopped at exit. Every call goes through one lock: the sync server matches answers to callers by
queue order, so two concurrent callers could swap their images. Every call also runs under a watchdog:
if Chromium dies while starting, kaleido's server thread dies and its callers would wait forever; here
they get an error, and the next export starts a new renderer.

Offline. Chromium must not touch the network (a closed network floods with refused connections):
- plotly.js is the file shipped with the `plotly` package, MathJax is off: the page kaleido loads
  references only file:// scripts (`page_rendu`);
- Chromium is started offline and without extensions (dashboard.exports.chromium);
- the app's geometry URLs (`/geo/<name>`, served by the app) are replaced by the parsed files from the
  geometry folder, and any other geometry URL is refused; plotly geo's base topojson (fetched even when
  the base map is hidden) comes from the app's own copy, as a file:// `topojsonURL`.

Stamp. Every image tells what it shows: the title at the top (plotly's title, anchored to the image
and reserving its own margin, so it never covers a legend placed above the plot), and at the bottom a
small-print block (filters in plain words, data date, source, generation time in Paris time).
"""

from __future__ import annotations

import asyncio
import atexit
import copy
import html
import json
import textwrap
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import kaleido
import plotly
from kaleido import _sync_server
from kaleido.errors import JavascriptError, KaleidoError

from dashboard.domain import formatage
from dashboard.exports import police
from dashboard.exports.chromium import NavigateurHorsLigne, chemin_chromium
from dashboard.exports.estampille import MENTION_DEMO, EnteteExport
from dashboard.figures.graphiques import MARGE_BARRE
from dashboard.figures.locale import LOCALE_FR
from dashboard.settings import ROOT
from dashboard.store.geometries import DOSSIER_TOPOJSON, PREFIXE_URL

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
GEO_DIR = ROOT / "data" / "geo"
DELAI_RENDU_S = 30  # kaleido's own limit for one image
DELAI_GARDE_S = DELAI_RENDU_S + 15  # the watchdog, should kaleido itself never answer
TAILLE_MIN, TAILLE_MAX = 100, 5000  # pixels, per side

SEPARATEURS = ",\u202f"  # decimal comma, narrow no-break space for thousands (the Graph locale's)
TAILLE_TITRE = 18
TAILLE_PIED = 11
INTERLIGNE = 1.3  # plotly's line spacing for <br>, in em
ESPACE = 12  # pixels between the chart's own margin content and the stamp, and around the stamp
MARGE_LATERALE = 16  # pixels added left and right, so that text never touches the image's edge
CARACTERES_PAR_LIGNE = 140  # small print at 1200 px; scaled with the width
LARGEUR_REFERENCE = 1200
COULEUR_TITRE = "#161616"  # DSFR text colours, as in the charts
COULEUR_PIED = "#3A3A3A"
COULEUR_DEMO = "#CE0500"  # DSFR red: the demo badge
TAILLE_TITRE_AXE = 14  # plotly's default axis title size
# plotly.js margins when a figure sets none (l, r, t, b).
MARGES_PLOTLY = {"l": 80, "r": 80, "t": 100, "b": 80}
MARGE_AXE_X = 28  # room under the plot for the tick labels of a visible bottom x axis
TYPES_CARTESIENS = {
    "bar",
    "scatter",
    "scattergl",
    "histogram",
    "box",
    "violin",
    "funnel",
    "waterfall",
    "heatmap",
}
FIGURE_ESSAI = {"data": [{"type": "bar", "x": ["a"], "y": [1]}], "layout": {}}

_verrou = threading.Lock()
_demarrages = 0  # renderer starts in this process: 1 in a healthy process
_moteur_pret = False
_arret_enregistre = False


# --- Stamp ----------------------------------------------------------------------------------------


def figure_estampillee(figure: dict, entete: EnteteExport, largeur: int = LARGEUR_REFERENCE) -> dict:
    """A deep copy of `figure` as exported: French number and date formatting, opaque background,
    the title at the top and the provenance in small print at the bottom. The input is never modified.
    largeur: the image width in pixels, to wrap the text."""
    copie = copy.deepcopy(figure)
    layout = copie.setdefault("layout", {})
    layout.setdefault("separators", SEPARATEURS)
    if layout.pop("modebar", None) is not None and "margin" in layout:
        # An image has no toolbar: the band the chart kept for it goes.
        marges = layout["margin"] = dict(layout["margin"])
        marges["r"] = max(0, marges.get("r", MARGES_PLOTLY["r"]) - MARGE_BARRE)
    if layout.get("paper_bgcolor") in (None, "rgba(0,0,0,0)", "transparent"):
        layout["paper_bgcolor"] = "white"  # transparent maps would show the viewer's background
    caracteres = max(40, round(CARACTERES_PAR_LIGNE * largeur / LARGEUR_REFERENCE))
    _poser_titre(layout, entete.titre, caracteres, demo=entete.demo)
    _poser_pied(layout, copie.get("data", []), lignes_pied(entete), caracteres)
    return copie


def lignes_pied(entete: EnteteExport) -> list[str]:
    """The provenance, in plain French: filters, then data date · source · generation time."""
    filtres = " · ".join(entete.filtres) if entete.filtres else "aucun"
    date_donnees = (
        f"Données au {formatage.date_courte(entete.date_donnees)}"
        if entete.date_donnees
        else "Date des données non renseignée"
    )
    moment = formatage.heure_locale(entete.genere_le)
    genere = f"Généré le {formatage.date_courte(moment.date())} à {moment:%H:%M}"
    source = f"Source : {entete.source or 'non renseignée'}"
    return [f"Filtres : {filtres}", f"{date_donnees} · {source} · {genere}"]


def couper(texte: str, caracteres: int) -> str:
    """Plain text as plotly text: HTML-escaped, wrapped at word boundaries with <br>."""
    lignes = textwrap.wrap(texte, width=caracteres, break_on_hyphens=False) or [""]
    return "<br>".join(html.escape(ligne, quote=False) for ligne in lignes)


def _poser_titre(layout: dict, titre: str, caracteres: int, demo: bool = False) -> None:
    """plotly's title, in container coordinates with automargin: plotly reserves its height ON TOP of
    whatever else pushes the top margin (a legend above the plot), so nothing overlaps it. plotly.js
    draws a title of several lines anchored at the top one line too high per extra line (cut off): the
    title is one line, what follows goes to the subtitle, which plotly lays out line by line — the rest
    of a long title, then the figure's own title if it had one. Demo data: the title line is a red
    badge, the whole title follows."""
    ancien = layout.get("title")
    ancien_texte = ancien.get("text") if isinstance(ancien, dict) else ancien
    lignes = [
        f"<b>{ligne}</b>"
        for ligne in couper(titre, max(30, caracteres * TAILLE_PIED // TAILLE_TITRE)).split("<br>")
    ]
    if demo:
        lignes.insert(0, f'<span style="color:{COULEUR_DEMO}">▲ <b>{MENTION_DEMO}</b></span>')
    titre_export: dict[str, Any] = {
        "text": lignes[0],
        "font": {"size": TAILLE_TITRE, "color": COULEUR_TITRE},
        "xref": "paper",
        "x": 0,
        "xanchor": "left",
        "yref": "container",
        "y": 1,
        "yanchor": "top",
        "pad": {"t": ESPACE, "b": ESPACE},
        "automargin": True,
    }
    suite = lignes[1:] + ([ancien_texte] if ancien_texte and ancien_texte != titre else [])
    if suite:
        titre_export["subtitle"] = {"text": "<br>".join(suite)}
        if len(lignes) > 1:  # the title goes on: same size and colour
            titre_export["subtitle"]["font"] = {"size": TAILLE_TITRE, "color": COULEUR_TITRE}
    layout["title"] = titre_export
    marges = layout.setdefault("margin", {})
    for cote in ("l", "r"):
        marges[cote] = marges.get(cote, MARGES_PLOTLY[cote]) + MARGE_LATERALE
    marges["t"] = marges.get("t", MARGES_PLOTLY["t"])  # the title's room is added by plotly


def _poser_pied(layout: dict, traces: list, lignes: list[str], caracteres: int) -> None:
    """The small print under everything the figure draws below its plot: paper-referenced, shifted
    down by the bottom margin the figure already uses, which grows by the block's height."""
    texte = "<br>".join(couper(ligne, caracteres) for ligne in lignes)
    nb_lignes = texte.count("<br>") + 1
    hauteur = round(nb_lignes * TAILLE_PIED * INTERLIGNE) + 4
    marges = layout.setdefault("margin", {})
    occupee = _marge_basse_occupee(layout, traces)
    marges["b"] = occupee + ESPACE + hauteur + ESPACE
    pied = {
        "text": texte,
        "align": "left",
        "font": {"size": TAILLE_PIED, "color": COULEUR_PIED},
        "showarrow": False,
        "xref": "paper",
        "x": 0,
        "xanchor": "left",
        "yref": "paper",
        "y": 0,
        "yanchor": "top",
        "yshift": -(occupee + ESPACE),
    }
    layout["annotations"] = [*layout.get("annotations", []), pied]


def _marge_basse_occupee(layout: dict, traces: list) -> int:
    """What the figure draws under its plot: its bottom margin, and at least the tick labels of a
    visible bottom x axis and its title (figures with a small margin rely on plotly pushing it)."""
    bas = layout.get("margin", {}).get("b", MARGES_PLOTLY["b"])
    axe = layout.get("xaxis", {})
    cartesien = any(t.get("type", "scatter") in TYPES_CARTESIENS for t in traces)
    if cartesien and axe.get("visible", True) and axe.get("side", "bottom") == "bottom":
        bas = max(bas, MARGE_AXE_X + _hauteur_titre_axe(axe))
    return bas


def _hauteur_titre_axe(axe: dict) -> int:
    """The room an axis title takes under the tick labels: its lines, and its distance to them."""
    titre = axe.get("title")
    texte = titre.get("text") if isinstance(titre, dict) else titre
    if not texte:
        return 0
    taille = (titre.get("font") or {}).get("size", TAILLE_TITRE_AXE) if isinstance(titre, dict) else 14
    ecart = titre.get("standoff", 10) if isinstance(titre, dict) else 10
    lignes = str(texte).count("<br>") + 1
    return round(lignes * taille * INTERLIGNE) + ecart + 4


def carte_avec_legende(figure: dict, titre: str, entrees: list[tuple[str, str]]) -> dict:
    """A copy of a map with its classes as a legend at its right (the page shows the legend beside
    the map, in HTML; an image must carry it): entrees are (colour, label)."""
    copie = copy.deepcopy(figure)
    if not entrees:
        return copie
    copie["data"] = [
        *copie.get("data", []),
        *(
            {
                "type": "scattergeo",
                "lon": [None],
                "lat": [None],
                "mode": "markers",
                "marker": {
                    "symbol": "square",
                    "size": 14,
                    "color": couleur,
                    "line": {"color": "#666666", "width": 0.5},
                },
                "name": html.escape(libelle, quote=False),
                "legend": "legend2",
                "showlegend": True,
                "hoverinfo": "skip",
            }
            for couleur, libelle in entrees
        ),
    ]
    copie.setdefault("layout", {})["legend2"] = {
        "title": {"text": f"<b>{couper(titre, 40)}</b>"},
        "x": 1,
        "xanchor": "left",
        "y": 1,
        "yanchor": "top",
        "itemclick": False,
        "bgcolor": "white",
    }
    return copie


# --- Offline figure -------------------------------------------------------------------------------


def figure_hors_ligne(figure: dict, geo_dir: Path | None = None) -> dict:
    """A deep copy of `figure` that Chromium can draw without any request: every `/geo/<name>`
    geometry URL replaced by the parsed file geo_dir/<name> (shared, cached: treat it as read-only),
    and plotly geo's base topojson taken from the app's assets. Any other geometry URL is refused."""
    dossier = Path(geo_dir) if geo_dir is not None else GEO_DIR
    copie = copy.deepcopy(figure)
    for trace in copie.get("data", []):
        if isinstance(trace.get("geojson"), str):
            trace["geojson"] = geojson_local(trace["geojson"], dossier)
    return copie


def url_topojson() -> str:
    """plotly.js appends `<scope>_<resolution>.json`: a file:// folder URL, ending with a slash."""
    return DOSSIER_TOPOJSON.as_uri() + "/"


def geojson_local(url: str, geo_dir: Path) -> dict:
    """The parsed GeoJSON behind an app URL `/geo/<name>`; a French ValueError otherwise."""
    if not url.startswith(PREFIXE_URL):
        raise ValueError(
            f"Géométrie « {url} » refusée pour l'export : seules les géométries de l'application "
            f"({PREFIXE_URL}…) sont disponibles hors ligne."
        )
    nom = url.removeprefix(PREFIXE_URL)
    chemin = geo_dir / nom
    if not nom or nom != Path(nom).name or nom.startswith(".") or not chemin.is_file():
        raise ValueError(f"Géométrie introuvable pour l'export : « {url} » n'est pas dans {geo_dir}.")
    etat = chemin.stat()
    return _lire_geojson(str(chemin.resolve()), etat.st_mtime_ns, etat.st_size)


@lru_cache(maxsize=16)
def _lire_geojson(chemin: str, _mtime_ns: int, _taille: int) -> dict:
    return json.loads(Path(chemin).read_text(encoding="utf-8"))


# --- Renderer -------------------------------------------------------------------------------------


class _PageFrancaise(kaleido.PageGenerator):
    """kaleido's page plus plotly's French locale, registered inline after plotly.js: kaleido passes no
    figure config to plotly.js, so the Graph's locale (month names on date axes) must be the default."""

    def generate_index(self) -> str:
        locale = json.dumps({"moduleType": "locale", "name": "fr", **LOCALE_FR}).replace("</", "<\\/")
        script = f"<script>Plotly.register({locale}); Plotly.setPlotConfig({{locale: 'fr'}});</script>"
        script += police.script_page()  # the UI's font, inside every image (dashboard.exports.police)
        return super().generate_index().replace("</head>", f"{script}\n    </head>", 1)


class _MoteurKaleido(kaleido.Kaleido):
    """kaleido's renderer, which reloads its page after every image — and made the caller wait for that
    reload (plotly.js parsed again: a good part of a warm export). Here the image goes back at once and
    the page reloads meanwhile; the next image waits for the reloaded page, as before."""

    async def _return_kaleido_tab(self, tab) -> None:
        async def recharger() -> None:
            try:
                await tab.reload()
            finally:  # a page that failed to reload fails the next render, which restarts the renderer
                await self.tabs_ready.put(tab)

        tache = asyncio.create_task(recharger())
        self._recharges = getattr(self, "_recharges", set())
        self._recharges.add(tache)  # kept until done (the loop holds tasks weakly)
        tache.add_done_callback(self._recharges.discard)


# kaleido's sync server builds its renderer by this module-level name (kaleido 1.5, pinned).
_sync_server.Kaleido = _MoteurKaleido


def page_rendu() -> kaleido.PageGenerator:
    """The page kaleido loads in Chromium: local plotly.js, French locale, no MathJax, no URL but
    file:// ones."""
    return _PageFrancaise(plotly=PLOTLY_JS.as_uri(), mathjax=False)


def _demarrer_moteur() -> None:
    """Start kaleido's sync server once, then render a tiny figure: Chromium is really up (a failed
    start would otherwise only show as a caller waiting forever) and the cold start is paid here."""
    global _demarrages, _moteur_pret, _arret_enregistre
    chemin = chemin_chromium()
    try:
        page = page_rendu()
    except FileNotFoundError as exc:
        raise RuntimeError(f"plotly.js est introuvable ({exc})") from exc
    kaleido.start_sync_server(
        path=chemin,
        browser_cls=NavigateurHorsLigne,
        enable_extensions=False,
        page_generator=page,
        n=1,
        timeout=DELAI_RENDU_S,
        silence_warnings=True,
    )
    _demarrages += 1
    if not _arret_enregistre:
        atexit.register(arreter_moteur)
        _arret_enregistre = True
    _sous_garde(lambda: kaleido.calc_fig_sync(FIGURE_ESSAI, opts={"format": "png"}))
    _moteur_pret = True


def _demarrer_avec_reprise() -> None:
    """Chromium sometimes hangs on its very first page under load (seen in CI with four workers on two
    cores): a start that does not answer in time is stopped and tried once more before giving up."""
    try:
        _demarrer_moteur()
    except TimeoutError:
        arreter_moteur()
        _demarrer_moteur()


def chauffer(geo_dir: Path | None = None) -> None:
    """Start the renderer now if it is not, and parse the maps' geometry files, so that the first export
    does not pay for them (seconds): dashboard.exports.chauffer runs it in the background of the serving
    process. An export arriving meanwhile waits for the start under the same lock. A failure (no
    Chromium) raises as an export would, and leaves the next export to try again."""
    dossier = Path(geo_dir) if geo_dir is not None else GEO_DIR
    with _verrou:
        if not _moteur_pret:
            try:
                _demarrer_avec_reprise()
            except Exception:
                arreter_moteur()
                raise
    for chemin in sorted(dossier.glob("*.geojson")):  # parsed once, as the maps' exports read them
        geojson_local(PREFIXE_URL + chemin.name, dossier)


def arreter_moteur() -> None:
    """Stop the renderer (at exit, or after a failure so that the next export starts a new one)."""
    global _moteur_pret
    _moteur_pret = False
    # kaleido's stop waits for its server thread: never let a stuck Chromium block the caller.
    arret = threading.Thread(target=kaleido.stop_sync_server, kwargs={"silence_warnings": True}, daemon=True)
    arret.start()
    arret.join(10)


def _sous_garde(appel: Callable[[], bytes]) -> bytes:
    """Run a kaleido call in a helper thread and wait at most DELAI_GARDE_S for it."""
    resultat: list[Any] = []

    def executer() -> None:
        try:
            resultat.append(appel())
        except BaseException as exc:  # handed over to the caller's thread
            resultat.append(exc)

    fil = threading.Thread(target=executer, name="export-png", daemon=True)
    fil.start()
    fil.join(DELAI_GARDE_S)
    if not resultat:
        raise TimeoutError(f"le moteur de rendu n'a pas répondu en {DELAI_GARDE_S} s")
    if isinstance(resultat[0], BaseException):
        raise resultat[0]
    return resultat[0]


def _rendre(figure: dict, options: dict) -> bytes:
    """One image from the persistent renderer, started on first use; French RuntimeError on failure.
    plotly.js rejecting a figure leaves the renderer as it is; any other failure (Chromium gone, no
    answer in time) stops it, and the next export starts a new one."""
    with _verrou:
        try:
            if not _moteur_pret:
                _demarrer_avec_reprise()
            try:
                return _sous_garde(
                    lambda: kaleido.calc_fig_sync(figure, opts=options, topojson=url_topojson())
                )
            except (KaleidoError, JavascriptError) as exc:
                if not _page_du_moteur_incomplete(exc):
                    raise
                # Kaleido's own page half-loaded (seen once in CI on a loaded machine): not the figure's
                # fault. A new renderer, and the figure once more.
                arreter_moteur()
                _demarrer_avec_reprise()
                return _sous_garde(
                    lambda: kaleido.calc_fig_sync(figure, opts=options, topojson=url_topojson())
                )
        except (KaleidoError, JavascriptError) as exc:
            raison = f"figure refusée par plotly.js ({_raison(exc)})"
            raise RuntimeError(f"Export PNG impossible : {raison}") from exc
        except Exception as exc:  # choreographer, kaleido and our own start errors have no common base
            arreter_moteur()
            raise RuntimeError(f"Export PNG impossible : {_raison(exc)}") from exc


def _page_du_moteur_incomplete(exc: BaseException) -> bool:
    """Kaleido's page without its own scripts: `kaleido_scopes is not defined`, whatever the figure."""
    return "kaleido_scopes is not defined" in str(exc)


def _raison(exc: BaseException) -> str:
    texte = " ".join(str(exc).split()) or type(exc).__name__
    return texte if len(texte) <= 300 else texte[:299] + "…"


# --- Public API -----------------------------------------------------------------------------------


def png_figure(
    figure: dict,
    entete: EnteteExport,
    largeur: int = 1200,
    hauteur: int = 700,
    geo_dir: Path | None = None,
) -> bytes:
    """The figure (a plain plotly dict, as the callbacks build it) as PNG bytes of largeur × hauteur
    pixels, stamped with `entete`. ValueError for a bad size or geometry; RuntimeError("Export PNG
    impossible : …") when Chromium or kaleido fails."""
    _verifier(figure, largeur, hauteur)
    prete = figure_hors_ligne(figure_estampillee(figure, entete, largeur=largeur), geo_dir)
    return _rendre(prete, {"format": "png", "width": largeur, "height": hauteur, "scale": 1})


def _verifier(figure: dict, largeur: int, hauteur: int) -> None:
    """A plotly figure as a plain dict, and a sensible image size: French ValueError otherwise."""
    for nom, valeur in (("largeur", largeur), ("hauteur", hauteur)):
        if isinstance(valeur, bool) or not isinstance(valeur, int) or not TAILLE_MIN <= valeur <= TAILLE_MAX:
            raise ValueError(f"La {nom} de l'image doit être entre {TAILLE_MIN} et {TAILLE_MAX} pixels.")
    valide = (
        isinstance(figure, dict)
        and isinstance(figure.get("data", []), list)
        and all(isinstance(trace, dict) for trace in figure.get("data", []))
        and isinstance(figure.get("layout", {}), dict)
    )
    if not valide:
        raise ValueError(
            "Figure invalide pour l'export : un dict plotly {data: [...], layout: {...}} est attendu."
        )


def png_sans_estampille(figure: dict, largeur: int = 1000, hauteur: int = 450, echelle: int = 2) -> bytes:
    """The figure as PNG bytes without the stamp, for a document that stamps its pages itself (the
    committee's report): French number formatting, opaque background, `echelle` pixels per CSS pixel
    (sharp when printed). Same errors as png_figure."""
    _verifier(figure, largeur, hauteur)
    copie = copy.deepcopy(figure)
    layout = copie.setdefault("layout", {})
    layout.setdefault("separators", SEPARATEURS)
    layout.pop("modebar", None)
    if layout.get("paper_bgcolor") in (None, "rgba(0,0,0,0)", "transparent"):
        layout["paper_bgcolor"] = "white"
    options = {"format": "png", "width": largeur, "height": hauteur, "scale": echelle}
    return _rendre(figure_hors_ligne(copie), options)
