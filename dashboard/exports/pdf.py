"""The briefing deck as one PDF: its page (`impression=1`: every slide, one per A4 landscape page) printed
by headless Chromium driven over the DevTools protocol (choreographer, kaleido's own driver), once every
slide and every chart is drawn — Chromium's --print-to-pdf prints as soon as the page loads, before Dash
has rendered it. Callers print within the process's bounded counter (dashboard.exports.limites.guichet).

One Chromium per process, kept between prints (started by the first print, or in the background at start
by dashboard.exports.chauffer): starting one costs seconds, and a kept one has the app's scripts in its
cache, compiled. Prints take turns in it (a lock): each prints in a new tab, and the app's cookies and
storage are cleared before and after, so that no print ever runs with another's session. Any failure
stops it; the next print starts a new one.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import contextlib
import os
import threading
from collections.abc import Coroutine
from typing import Any
from urllib.parse import urlsplit

from dashboard.exports.chromium import NavigateurBoucleLocale, chemin_chromium

# Ready to print: every slide in the page and every chart drawn (dcc.Graph loads plotly lazily: a
# chart exists as a .dash-graph before plotly has drawn anything in it).
PRET = """(() => {
  const diapos = document.querySelectorAll('#presentation .diapo');
  const conteneurs = document.querySelectorAll('#presentation .dash-graph');
  const graphiques = [...document.querySelectorAll('#presentation .js-plotly-plot')];
  const dessine = g => g._fullLayout && g.querySelector('.main-svg') &&
    (!(g._fullData || []).some(t => t.type === 'choropleth') || g.querySelector('.choroplethlocation'));
  return diapos.length === %d && graphiques.length === conteneurs.length && graphiques.every(dessine);
})()"""
# Then the fonts loaded and two frames painted (plotly draws at once: our figures have no transitions).
PEINT = (
    "document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))"
)
DELAI_PEINTURE_S = 2
DELAI_DEMARRAGE_S = 30
DELAI_SONDE_S = 10  # the kept browser asked whether it answers, before each print
DELAI_ARRET_S = 10
# What a print leaves in the browser for the app's origin (never its HTTP cache: the scripts stay).
DONNEES_DU_SITE = "cookies,local_storage,session_storage,indexeddb,service_workers,cache_storage"

_verrou = threading.Lock()  # one print at a time in the process's Chromium, and its start and stop
_imprimeur: _Imprimeur | None = None
_arret_enregistre = False


class _Imprimeur:
    """A headless Chromium (choreographer's Browser) kept open, driven from its own event loop thread."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.boucle = asyncio.new_event_loop()
        self.fil = threading.Thread(target=self.boucle.run_forever, name="imprimeur-pdf", daemon=True)
        self.fil.start()
        self.navigateur: Any = None
        try:
            self.navigateur = self.executer(self._ouvrir(), DELAI_DEMARRAGE_S)
        except BaseException:
            self.fermer()
            raise

    async def _ouvrir(self):
        from choreographer import Browser

        navigateur = Browser(path=chemin_chromium(), browser_cls=NavigateurBoucleLocale, headless=True)
        await navigateur.open()
        return navigateur

    def executer(self, coroutine: Coroutine, delai_s: float):
        """Run `coroutine` in the browser's loop and wait at most delai_s for it (TimeoutError after)."""
        futur = asyncio.run_coroutine_threadsafe(asyncio.wait_for(coroutine, delai_s), self.boucle)
        return futur.result(delai_s + 5)

    def vivant(self) -> bool:
        """Its loop runs and the browser answers (threads killed from outside — dash's test runner kills
        every thread started while it served — leave a browser nobody drives or listens to)."""
        if not self.fil.is_alive():
            return False
        try:
            return "error" not in self.executer(
                self.navigateur.send_command("Browser.getVersion"), DELAI_SONDE_S
            )
        except Exception:
            return False

    def fermer(self) -> None:
        try:
            if self.navigateur is not None and self.fil.is_alive():
                self.executer(self.navigateur.close(), DELAI_ARRET_S)
            elif self.navigateur is not None:  # nobody to close it politely: its process is stopped
                self.navigateur.subprocess.terminate()
        except Exception:  # a browser already gone: nothing left to close
            pass
        finally:
            self.boucle.call_soon_threadsafe(self.boucle.stop)


def demarrer_imprimeur() -> None:
    """Start this process's Chromium for the PDFs if it is not (a failure raises)."""
    with _verrou:
        _imprimeur_pret()


def _imprimeur_pret() -> _Imprimeur:
    """The process's Chromium, started if need be (under _verrou), stopped at exit. One inherited through
    a fork is not this process's, nor one whose loop is gone: a new one is started."""
    global _imprimeur, _arret_enregistre
    if _imprimeur is not None and _imprimeur.pid == os.getpid() and not _imprimeur.vivant():
        arreter_imprimeur()
    if _imprimeur is None or _imprimeur.pid != os.getpid():
        _imprimeur = _Imprimeur()
    if not _arret_enregistre:
        atexit.register(arreter_imprimeur)
        _arret_enregistre = True
    return _imprimeur


def arreter_imprimeur() -> None:
    """Stop this process's Chromium for the PDFs (at exit, or after a failure)."""
    global _imprimeur
    imprimeur, _imprimeur = _imprimeur, None
    if imprimeur is not None and imprimeur.pid == os.getpid():
        imprimeur.fermer()


def pdf_du_deck(url: str, nb_diapos: int, delai_s: float = 60) -> bytes:
    """The PDF of the deck at `url` (an address of the app on the loopback). RuntimeError when Chromium is
    missing, crashes or is too slow (the caller answers 503)."""
    if not _verrou.acquire(timeout=delai_s):
        raise RuntimeError("Export PDF impossible : l'impression précédente n'est pas finie")
    try:
        imprimeur = _imprimeur_pret()
        return imprimeur.executer(_imprimer(imprimeur.navigateur, url, nb_diapos), delai_s)
    except Exception as exc:
        arreter_imprimeur()  # the next print starts a new Chromium
        raise RuntimeError(f"Export PDF impossible : {exc!r}") from exc
    finally:
        _verrou.release()


async def _imprimer(navigateur, url: str, nb_diapos: int) -> bytes:
    origine = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    onglet = await navigateur.create_tab("about:blank")
    try:
        await _effacer(onglet, origine)
        await onglet.send_command(
            "Emulation.setDeviceMetricsOverride",
            params={"width": 1123, "height": 794, "deviceScaleFactor": 1, "mobile": False},
        )
        await onglet.send_command("Page.navigate", params={"url": url})
        for _ in range(600):
            reponse = await onglet.send_command(
                "Runtime.evaluate", params={"expression": PRET % nb_diapos, "returnByValue": True}
            )
            if reponse.get("result", {}).get("result", {}).get("value") is True:
                break
            await asyncio.sleep(0.05)
        else:
            raise RuntimeError("la présentation ne s'est pas affichée à temps")
        with contextlib.suppress(TimeoutError):  # a page that paints no frame more: printed as it is
            await asyncio.wait_for(
                onglet.send_command("Runtime.evaluate", params={"expression": PEINT, "awaitPromise": True}),
                DELAI_PEINTURE_S,
            )
        pdf = await onglet.send_command(
            "Page.printToPDF",
            params={"landscape": True, "printBackground": True, "preferCSSPageSize": True},
        )
        return base64.b64decode(pdf["result"]["data"])
    finally:
        try:
            await _effacer(onglet, origine)
        finally:
            await navigateur.close_tab(onglet.target_id)


async def _effacer(onglet, origine: str) -> None:
    """The app's cookies and storage in the browser, gone (before and after each print): a print acts
    only with its own link. (Chromium answers this command only from a page, not from the browser.)"""
    parametres = {"origin": origine, "storageTypes": DONNEES_DU_SITE}
    reponse = await onglet.send_command("Storage.clearDataForOrigin", params=parametres)
    if "error" in reponse:
        raise RuntimeError(f"Storage.clearDataForOrigin : {reponse['error']}")
