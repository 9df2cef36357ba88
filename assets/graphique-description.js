/* The text alternative of every chart (RGAA 1.1 and 1.6): each time plotly.js draws a chart, its values are
   written out in French — each point's own hover text (the figures' customdata, already formatted by the
   server: « Distribués en janvier 2021 : 1 234 »), or its label and value — in a hidden paragraph that the
   chart names with aria-describedby. Maps are left out: theirs are the summary sentence, the legend and
   the table (dashboard.components.nationale). The paragraphs live outside Dash's tree, which never sees them. */
(function () {
  "use strict";

  var ZONE = "descriptions-graphiques";
  var CARTES = { choropleth: true, scattergeo: true, choroplethmap: true, scattermap: true };
  var nombre = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });

  function zone() {
    var z = document.getElementById(ZONE);
    if (!z) {
      z = document.createElement("div");
      z.id = ZONE;
      z.hidden = true;
      document.body.appendChild(z);
    }
    return z;
  }

  function texte(v) {
    if (typeof v === "number") { return nombre.format(v); }
    if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}/.test(v)) { return v.slice(5, 7) + "/" + v.slice(0, 4); }
    return String(v).replace(/<br>/g, " ").replace(/<[^>]+>/g, "");
  }

  function point(trace, i) {
    var survol = trace.customdata && trace.customdata[i];
    if (typeof survol === "string" && survol) { return texte(survol); }
    var horizontal = trace.orientation === "h" || trace.type === "funnel";
    var etiquette = horizontal ? trace.y && trace.y[i] : trace.x && trace.x[i];
    var valeur = horizontal ? trace.x && trace.x[i] : trace.y && trace.y[i];
    return texte(etiquette === undefined ? i + 1 : etiquette) + " : " + (valeur === null ? "—" : texte(valeur));
  }

  // The figure drawn (gd.data, gd.layout), or one about to be drawn (a chart out of view whose drawing
  // waits: assets/recoloration-carte.js).
  function decrire(gd, data, layout) {
    data = data || gd.data;
    layout = layout || gd.layout;
    var traces = (data || []).filter(function (t) { return t.visible !== false && !CARTES[t.type]; });
    if (!traces.length) { return; }
    var titre = layout && layout.title && (layout.title.text || layout.title);
    var phrases = traces.map(function (t) {
      var n = Math.max((t.x || []).length, (t.y || []).length);
      var points = [];
      for (var i = 0; i < n; i++) { points.push(point(t, i)); }
      return (t.name ? texte(t.name) + " — " : "") + points.join(" ; ") + ".";
    });
    var id = "description-" + (gd.parentElement && gd.parentElement.id ? gd.parentElement.id : Math.random().toString(36).slice(2));
    var p = document.getElementById(id);
    if (!p) {
      p = document.createElement("p");
      p.id = id;
      zone().appendChild(p);
    }
    p.textContent = (typeof titre === "string" && titre ? texte(titre) + ". " : "") + "Valeurs du graphique : " + phrases.join(" ");
    gd.setAttribute("role", "figure");
    gd.setAttribute("aria-describedby", id);
    if (!gd.getAttribute("aria-label")) { gd.setAttribute("aria-label", "Graphique (valeurs décrites en texte)"); }
  }

  function suivre() {
    document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
      if (gd.dataset.descriptionSuivie || typeof gd.on !== "function") { return; }
      gd.dataset.descriptionSuivie = "1";
      gd.on("plotly_afterplot", function () { decrire(gd); });
      decrire(gd);
    });
  }

  window.passnumDecrireGraphique = decrire;
  new MutationObserver(suivre).observe(document.documentElement, { childList: true, subtree: true });
})();
