/* The toolbar's export button of every chart (dashboard.components.graphique.config_graphique).
   A dcc.Graph config is JSON: its extra button arrives as {name, title, passnumExport: <the id of the
   page's PNG export button>} without the click function plotly.js requires. Every figure goes through
   Plotly.newPlot or Plotly.react: both are wrapped here (as soon as plotly.js is loaded, which Dash does
   lazily) to give the button its icon and its click, which presses the page's export button: the server
   renders the stamped PNG (the same path as the visible "PNG" buttons). A figure may name another
   export of the page in layout.meta.export_png (the monthly chart in its cumulative mode). */
(function () {
  "use strict";

  // Dash's string form of a dict id: keys sorted, JSON.
  function idDash(objet) {
    return JSON.stringify(objet, Object.keys(objet).sort());
  }

  function cliquer(spec) {
    return function (gd) {
      var id = Object.assign({}, spec);
      var meta = gd && gd.layout && gd.layout.meta;
      if (meta && typeof meta.export_png === "string") {
        id.nom = meta.export_png;
      }
      var bouton = document.getElementById(idDash(id)) || document.getElementById(idDash(spec));
      if (bouton) {
        bouton.click();
      }
    };
  }

  function preparer(Plotly, config) {
    if (!config || !Array.isArray(config.modeBarButtonsToAdd)) {
      return config;
    }
    var icone = (Plotly.Icons && Plotly.Icons.camera) || undefined;
    return Object.assign({}, config, {
      modeBarButtonsToAdd: config.modeBarButtonsToAdd.map(function (bouton) {
        if (!bouton || typeof bouton !== "object" || !bouton.passnumExport) {
          return bouton;
        }
        return {
          name: bouton.name,
          title: bouton.title,
          icon: icone,
          click: cliquer(bouton.passnumExport),
        };
      }),
    });
  }

  function envelopper(Plotly) {
    if (!Plotly || Plotly.__passnumExport) {
      return Plotly;
    }
    ["newPlot", "react"].forEach(function (methode) {
      var origine = Plotly[methode];
      if (typeof origine !== "function") {
        return;
      }
      Plotly[methode] = function (gd, donnees, mise, config) {
        var args = Array.prototype.slice.call(arguments);
        if (donnees && !Array.isArray(donnees) && typeof donnees === "object") {
          // Plotly.react(gd, {data, layout, frames, config}): Dash's form.
          args[1] = Object.assign({}, donnees, { config: preparer(Plotly, donnees.config) });
        } else if (args.length >= 4) {
          args[3] = preparer(Plotly, config);
        }
        return origine.apply(this, args);
      };
    });
    Plotly.__passnumExport = true;
    return Plotly;
  }

  if (window.Plotly) {
    envelopper(window.Plotly);
    return;
  }
  var actuel;
  Object.defineProperty(window, "Plotly", {
    configurable: true,
    enumerable: true,
    get: function () {
      return actuel;
    },
    set: function (valeur) {
      actuel = envelopper(valeur);
    },
  });
})();
