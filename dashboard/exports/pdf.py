"""The briefing deck as one PDF: its page (`impression=1`: every slide, one per A4 landscape page) printed
by headless Chromium driven over the DevTools protocol (choreographer, kaleido's own driver), once every
slide and every chart is drawn — Chromium's --print-to-pdf prints as soon as the page loads, before Dash
has rendered it. Callers print within the process's bounded counter (dashboard.exports.limites.guichet)."""

from __future__ import annotations

import asyncio
import base64

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


def pdf_du_deck(url: str, nb_diapos: int, delai_s: float = 60) -> bytes:
    """The PDF of the deck at `url` (an address of the app on the loopback). RuntimeError when Chromium is
    missing, crashes or is too slow (the caller answers 503)."""
    try:
        return asyncio.run(asyncio.wait_for(_imprimer(url, nb_diapos), timeout=delai_s))
    except Exception as exc:
        raise RuntimeError(f"Export PDF impossible : {exc!r}") from exc


async def _imprimer(url: str, nb_diapos: int) -> bytes:
    from choreographer import Browser

    async with Browser(
        path=chemin_chromium(), browser_cls=NavigateurBoucleLocale, headless=True
    ) as navigateur:
        onglet = await navigateur.create_tab("about:blank")
        await onglet.send_command(
            "Emulation.setDeviceMetricsOverride",
            params={"width": 1123, "height": 794, "deviceScaleFactor": 1, "mobile": False},
        )
        await onglet.send_command("Page.navigate", params={"url": url})
        for _ in range(300):
            reponse = await onglet.send_command(
                "Runtime.evaluate", params={"expression": PRET % nb_diapos, "returnByValue": True}
            )
            if reponse.get("result", {}).get("result", {}).get("value") is True:
                break
            await asyncio.sleep(0.1)
        else:
            raise RuntimeError("la présentation ne s'est pas affichée à temps")
        await asyncio.sleep(0.5)  # let plotly finish its transitions
        pdf = await onglet.send_command(
            "Page.printToPDF",
            params={"landscape": True, "printBackground": True, "preferCSSPageSize": True},
        )
        return base64.b64decode(pdf["result"]["data"])
