/* dcc.Graph loads Dash's full plotly.js (4,8 MB) when it mounts before window.Plotly is there: its
   address (window._dashPlotlyJSURL, set by Dash's renderer) is kept to the reduced plotly.js the page
   already fetches (meta passnum-plotly, dashboard/web/scripts.py). */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="passnum-plotly"]');
  if (!meta) {
    return;
  }
  var url = meta.getAttribute("content");
  Object.defineProperty(window, "_dashPlotlyJSURL", {
    configurable: true,
    get: function () {
      return url;
    },
    set: function () {},
  });
})();
