"""The UI's font (Source Sans 3, served from assets/polices/) in the static exports rendered by kaleido.

kaleido's page calls Plotly.toImage, which draws the figure as an SVG document into a canvas: an SVG drawn
as an image sees neither the page's fonts nor any file, and Chromium does not take woff2 files as system
fonts. So the font travels inside the SVG itself, as data: URLs in a <style>, and in the page too (plotly
measures its texts there, before drawing). `script_page` is the script kaleido's page runs after plotly.js.
The whole-page PDF (the deck) needs nothing of this: Chromium loads the app's own stylesheet there.
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache

from dashboard.settings import ROOT

FAMILLE = "Source Sans 3"
DOSSIER = ROOT / "assets" / "polices" / "source-sans-3-5.3.1"
GRAISSES = (400, 700)  # plotly writes regular and <b>; latin only: French needs nothing of latin-ext
PLAGE_LATIN = (
    "U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, U+0308, U+0329, "
    "U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD"
)


@lru_cache(maxsize=1)
def css_police() -> str:
    """@font-face rules whose sources are data: URLs (about 60 KB): usable inside an SVG image."""
    regles = []
    for graisse in GRAISSES:
        donnees = base64.b64encode((DOSSIER / f"source-sans-3-latin-{graisse}-normal.woff2").read_bytes())
        regles.append(
            f'@font-face{{font-family:"{FAMILLE}";font-style:normal;font-weight:{graisse};'
            f"src:url(data:font/woff2;base64,{donnees.decode('ascii')}) format('woff2');"
            f"unicode-range:{PLAGE_LATIN};}}"
        )
    return "".join(regles)


# Plotly.toImage, wrapped: the SVG it draws gets the font before it becomes an image. Same results as
# plotly's (a data: URL, or the bare data with imageDataOnly); formats other than png, jpeg, webp and svg
# (kaleido's full-json) go through untouched.
_SCRIPT = """
(function () {
  var css = %(css)s, famille = %(famille)s, graisses = %(graisses)s;
  var style = document.createElement("style");
  style.textContent = css;
  document.head.appendChild(style);
  function chargee() {
    return Promise.all(graisses.map(function (g) {
      return document.fonts.load(g + " 16px \\"" + famille + "\\"");
    }));
  }
  chargee();
  function avecPolice(svg) {
    return svg.replace(/<svg[^>]*>/, function (debut) {
      return debut + "<defs><style>" + css + "</style></defs>";
    });
  }
  var original = Plotly.toImage;
  Plotly.toImage = function (figure, options) {
    options = options || {};
    var format = options.format || "png";
    if (["png", "jpeg", "webp", "svg"].indexOf(format) < 0) { return original(figure, options); }
    var nu = Object.assign({}, options, {format: "svg", imageDataOnly: true});
    return chargee().then(function () { return original(figure, nu); }).then(function (svg) {
      svg = avecPolice(svg);
      if (format === "svg") {
        return options.imageDataOnly ? svg : "data:image/svg+xml," + encodeURIComponent(svg);
      }
      var racine = new DOMParser().parseFromString(svg, "image/svg+xml").documentElement;
      return Plotly.Snapshot.svgToImg({
        format: format, svg: svg, scale: 1, promise: true, canvas: document.createElement("canvas"),
        width: parseFloat(racine.getAttribute("width")), height: parseFloat(racine.getAttribute("height"))
      }).then(function (url) {
        return options.imageDataOnly ? url.replace(/^data:image\\/\\w+;base64,/, "") : url;
      });
    });
  };
})();
"""


@lru_cache(maxsize=1)
def script_page() -> str:
    """The <script> element for kaleido's page (after plotly.js)."""
    code = _SCRIPT % {
        "css": json.dumps(css_police()),
        "famille": json.dumps(FAMILLE),
        "graisses": json.dumps(list(GRAISSES)),
    }
    code = code.replace("</", "<\\/")  # nothing in it may close the script element
    return f"<script>{code}</script>"
