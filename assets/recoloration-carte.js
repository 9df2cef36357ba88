/* The national map repainted without redrawing its geography (issue 20).

   A filter change sends the map a Patch of its values only (dashboard.figures.carte.correctif: z,
   colour scale, hover values) when its structure is unchanged. Plotly.react would then recompute
   every shape's polygons and path (calc + geo plot), hundreds of milliseconds for the same outlines.
   Here the map's Plotly.react is intercepted: when the new figure differs from the drawn one only in
   those value fields, the drawn figure's state is brought up to date (its data, full data and
   computed points, which hover, clicks and any later redraw read) and each shape's fill is set from
   the new class, as plotly's choropleth style does. Anything else (new locations, geometry, layout,
   circle sizes) goes through the real Plotly.react.

   The Patch is even applied before Dash's renderer gets it: as soon as the callback's response is
   read (guetterReponses), the map is recoloured and painted, and the renderer's work on the other
   outputs follows one frame later.

   The other charts of a page with a map (funnel, timeline…) are drawn one frame later when they are
   updated: the map and the KPIs are painted first instead of waiting for them.

   Loaded after graphique-export.js (alphabetical order of assets), whose Plotly wrapper it keeps. */
(function () {
  "use strict";

  var ID_CARTE = "carte";
  // What a filter change may change in a trace (mirror of CHAMPS_VALEURS in dashboard/figures/carte.py).
  var VALEURS_CHOROPLETHE = ["z", "zmin", "zmax", "colorscale", "customdata", "hovertemplate"];
  var VALEURS_AUTRES = ["customdata", "hovertemplate"];

  function estCarte(gd) {
    return !!gd && (gd.id === ID_CARTE || (typeof gd.closest === "function" && !!gd.closest("#" + ID_CARTE)));
  }

  function champsValeurs(trace) {
    return trace && trace.type === "choropleth" ? VALEURS_CHOROPLETHE : VALEURS_AUTRES;
  }

  // The trace without its value fields (nor plotly's own uid): two traces of the same structure give
  // the same text.
  function structureTrace(trace) {
    var valeurs = champsValeurs(trace);
    var reste = {};
    Object.keys(trace || {})
      .sort()
      .forEach(function (cle) {
        if (valeurs.indexOf(cle) === -1 && cle !== "uid") {
          reste[cle] = trace[cle];
        }
      });
    return JSON.stringify(reste);
  }

  function structure(data, layout) {
    return {
      traces: (data || []).map(structureTrace),
      layout: JSON.stringify(layout || {}),
    };
  }

  // --- Colours, as plotly computes them (Colorscale.makeColorScaleFuncFromTrace) ---------------------

  function rgba(couleur) {
    var c = String(couleur).trim();
    var m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(c);
    if (m) {
      var h = m[1].length === 3 ? m[1].replace(/(.)/g, "$1$1") : m[1];
      return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16), 1];
    }
    m = /^rgba?\(([^)]+)\)$/i.exec(c);
    if (m) {
      var p = m[1].split(",").map(function (x) {
        return parseFloat(x);
      });
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    }
    return null; // a colour name: left to plotly
  }

  function texteCouleur(c) {
    var r = Math.round(c[0]);
    var g = Math.round(c[1]);
    var b = Math.round(c[2]);
    var a = Math.round(c[3] * 100) / 100;
    return a === 1 ? "rgb(" + r + ", " + g + ", " + b + ")" : "rgba(" + r + ", " + g + ", " + b + ", " + a + ")";
  }

  // A linear, clamped scale from z to colour (d3's polylinear scale: a value on a repeated domain
  // point takes the segment on its right). null when a colour is not understood.
  function fonctionCouleur(trace) {
    var echelle = trace.colorscale;
    var min = trace.zmin;
    var max = trace.zmax;
    if (!Array.isArray(echelle) || echelle.length < 2 || trace.reversescale || !isFinite(min) || !isFinite(max)) {
      return null;
    }
    var domaine = [];
    var couleurs = [];
    for (var i = 0; i < echelle.length; i++) {
      var c = rgba(echelle[i][1]);
      if (!c) {
        return null;
      }
      domaine.push(min + echelle[i][0] * (max - min));
      couleurs.push(c);
    }
    var dernier = domaine.length - 1;
    return function (z) {
      if (!(z > domaine[0])) {
        return texteCouleur(couleurs[0]);
      }
      if (!(z < domaine[dernier])) {
        return texteCouleur(couleurs[dernier]);
      }
      var j = 1;
      while (j < dernier && domaine[j] <= z) {
        j++;
      }
      var a = domaine[j - 1];
      var b = domaine[j];
      var t = b > a ? (z - a) / (b - a) : 0;
      var ca = couleurs[j - 1];
      var cb = couleurs[j];
      return texteCouleur([0, 1, 2, 3].map(function (k) {
        return ca[k] + (cb[k] - ca[k]) * t;
      }));
    };
  }

  // --- The recolouring ------------------------------------------------------------------------------

  // Checks everything first, changes nothing unless the whole figure can be recoloured in place.
  // Returns the list of changes to apply, or null (then the real Plotly.react draws).
  function preparer(gd, data, layout) {
    var dessin = gd.__passnumCarte;
    if (!dessin || !gd._fullData || !gd.calcdata || !Array.isArray(data)) {
      return null;
    }
    var nouvelle = structure(data, layout);
    if (nouvelle.layout !== dessin.layout || nouvelle.traces.length !== dessin.traces.length) {
      return null;
    }
    var travaux = [];
    for (var i = 0; i < data.length; i++) {
      var trace = data[i];
      var complete = gd._fullData[i];
      var points = gd.calcdata[i];
      if (nouvelle.traces[i] !== dessin.traces[i] || !complete || complete.index !== i || !points) {
        return null;
      }
      if (trace.type !== "choropleth") {
        travaux.push({ trace: trace, complete: complete, points: null });
        continue;
      }
      var z = trace.z || [];
      if (complete.visible !== true || z.length !== points.length || !points[0] || !points[0].node3) {
        return null;
      }
      for (var j = 0; j < points.length; j++) {
        // A shape plotly left out (no location, no value) would have to appear: the real react.
        if (points[j].loc === null || points[j].loc === undefined || typeof z[j] !== "number" || !isFinite(z[j])) {
          return null;
        }
      }
      var couleur = fonctionCouleur(trace);
      if (!couleur) {
        return null;
      }
      travaux.push({ trace: trace, complete: complete, points: points, couleur: couleur });
    }
    return travaux;
  }

  function recolorer(gd, data, travaux) {
    travaux.forEach(function (travail) {
      var trace = travail.trace;
      var complete = travail.complete;
      champsValeurs(trace).forEach(function (cle) {
        if (cle in trace) {
          complete[cle] = trace[cle];
        } else {
          delete complete[cle];
        }
      });
      complete._input = trace;
      if (!travail.points) {
        return;
      }
      var points = travail.points;
      for (var j = 0; j < points.length; j++) {
        points[j].z = trace.z[j];
      }
      var chemins = points[0].node3.node().querySelectorAll("path.choroplethlocation");
      for (var k = 0; k < chemins.length; k++) {
        var point = chemins[k].__data__;
        if (point) {
          var fill = travail.couleur(point.z);
          // Values already applied when the response arrived (guetterReponses): nothing to touch.
          if (chemins[k].getAttribute("fill") !== fill) {
            chemins[k].setAttribute("fill", fill);
          }
        }
      }
    });
    gd.data = data;
  }

  // The new values on the drawn map, if only values changed: true when done.
  function appliquer(Plotly, gd, data, layout) {
    var travaux = preparer(gd, data, layout);
    if (!travaux) {
      return false;
    }
    recolorer(gd, data, travaux);
    gd.__passnumCarte.data = data;
    if (gd._hoverdata && Plotly.Fx) {
      Plotly.Fx.unhover(gd); // a label still open would show the old value
    }
    if (typeof gd.emit === "function") {
      gd.emit("plotly_afterplot");
    }
    return true;
  }

  // --- As soon as the response arrives ---------------------------------------------------------------
  // Dash's renderer hands the new figure to the map only after it has rendered every output of the
  // callback (KPIs, table columns, charts…), painted them, and run the graph's effects: ≈ 50–80 ms on
  // this machine. The map's Patch of values is applied here as soon as its response is read, on a copy
  // of the drawn data; the renderer's Plotly.react that follows finds the same values and touches
  // nothing. Only the response to the latest request for the map is applied (an older one, overtaken by
  // a newer click, is left to the renderer, which drops it too); anything but a Patch of value
  // assignments is left to the renderer.
  var demandes = 0;

  function donneesCorrigees(donnees, operations) {
    var data = donnees.map(function (trace) {
      return Object.assign({}, trace);
    });
    for (var i = 0; i < operations.length; i++) {
      var op = operations[i];
      var lieu = op && op.location;
      if (!op || op.operation !== "Assign" || !Array.isArray(lieu) || lieu.length < 3 || lieu[0] !== "data") {
        return null;
      }
      var noeud = data[lieu[1]];
      if (!noeud) {
        return null;
      }
      for (var k = 2; k < lieu.length - 1; k++) {
        if (!noeud[lieu[k]] || typeof noeud[lieu[k]] !== "object") {
          return null;
        }
        noeud[lieu[k]] = Object.assign({}, noeud[lieu[k]]);
        noeud = noeud[lieu[k]];
      }
      noeud[lieu[lieu.length - 1]] = op.params ? op.params.value : undefined;
    }
    return data;
  }

  function appliquerReponse(corps) {
    var figure = corps && corps.response && corps.response[ID_CARTE] && corps.response[ID_CARTE].figure;
    if (!figure || figure.__dash_patch_update !== "__dash_patch_update" || !Array.isArray(figure.operations)) {
      return false;
    }
    var gd = document.querySelector("#" + ID_CARTE + " .js-plotly-plot");
    var dessin = gd && gd.__passnumCarte;
    if (!dessin || !dessin.data || !window.Plotly) {
      return false;
    }
    var data = donneesCorrigees(dessin.data, figure.operations);
    return !!data && appliquer(window.Plotly, gd, data, dessin.layoutDessine);
  }

  function guetterReponses() {
    var original = window.fetch;
    if (!original || original.__passnumCarte) {
      return;
    }
    var guetteur = function (ressource, options) {
      var promesse = original.apply(this, arguments);
      var adresse = typeof ressource === "string" ? ressource : (ressource && ressource.url) || "";
      var envoi = options && typeof options.body === "string" ? options.body : "";
      if (adresse.indexOf("/_dash-update-component") === -1 || envoi.indexOf(ID_CARTE + ".figure") === -1) {
        return promesse;
      }
      var numero = ++demandes;
      return promesse.then(function (reponse) {
        if (!reponse.ok || numero !== demandes) {
          return reponse;
        }
        return reponse
          .clone()
          .json()
          .then(function (corps) {
            if (numero !== demandes || !appliquerReponse(corps)) {
              return reponse;
            }
            // The map's new fills are painted before the renderer's work on the other outputs (one
            // frame later): it would otherwise hold the frame back.
            return new Promise(function (suite) {
              window.requestAnimationFrame(function () {
                window.setTimeout(function () {
                  suite(reponse);
                }, 0);
              });
            });
          })
          .catch(function () {
            return reponse;
          });
      });
    };
    guetteur.__passnumCarte = true;
    window.fetch = guetteur;
  }
  guetterReponses();

  // --- The other charts of a page with a map --------------------------------------------------------
  // An update of a chart next to the map is drawn two frames later (the map's frame is painted first);
  // one out of view (below the fold: funnel and timeline on a large screen) is only drawn when it comes
  // into view, or before printing: its plotly drawing (≈ 20–40 ms each) would otherwise hold back the
  // next click on a filter. Its text alternative is written at once (graphique-description.js).
  var MARGE_VUE = "300px 0px"; // drawn a little before it is scrolled into view

  function autresGraphiques(react) {
    var plusTard = new WeakMap(); // per chart: its last deferred drawing, to keep them in order
    var visibles = new WeakMap(); // per chart: in view at the last report of the observer
    var enAttente = new Map(); // chart → its latest update not drawn yet (out of view)
    var observateur =
      typeof window.IntersectionObserver === "function"
        ? new window.IntersectionObserver(
            function (entrees) {
              entrees.forEach(function (entree) {
                visibles.set(entree.target, entree.isIntersecting);
                if (entree.isIntersecting) {
                  dessinerAttente(entree.target);
                }
              });
            },
            { rootMargin: MARGE_VUE }
          )
        : null;

    function enchainer(gd, attendre, dessin) {
      var suite = (plusTard.get(gd) || Promise.resolve()).then(attendre).then(function () {
        // The page may have changed meanwhile: a chart no longer in it is not drawn.
        return document.body.contains(gd) ? dessin() : gd;
      });
      plusTard.set(gd, suite);
      return suite;
    }

    function deuxImages() {
      return new Promise(function (fait) {
        // Two frames: the one with the map is painted before this chart is drawn.
        window.requestAnimationFrame(function () {
          window.requestAnimationFrame(function () {
            window.setTimeout(fait, 0);
          });
        });
      });
    }

    function dessinerAttente(gd) {
      var attente = enAttente.get(gd);
      if (!attente) {
        return;
      }
      enAttente.delete(gd);
      enchainer(gd, null, attente);
    }

    function suivre(gd) {
      if (observateur && !visibles.has(gd)) {
        visibles.set(gd, true); // until the observer's first report
        observateur.observe(gd);
      }
    }

    // Charts gone from the page (another page of the app) are no longer observed.
    function oublier() {
      enAttente.forEach(function (_dessin, gd) {
        if (!document.body.contains(gd)) {
          enAttente.delete(gd);
          observateur.unobserve(gd);
        }
      });
    }

    window.addEventListener("beforeprint", function () {
      Array.from(enAttente.keys()).forEach(function (gd) {
        var dessin = enAttente.get(gd);
        enAttente.delete(gd);
        dessin();
      });
    });

    return function (self, args, gd, data, layout) {
      if (!gd || !gd._fullLayout || !document.getElementById(ID_CARTE)) {
        var premier = react.apply(self, args);
        if (gd && gd.nodeType === 1) {
          suivre(gd);
        }
        return premier;
      }
      suivre(gd);
      var dessin = function () {
        return react.apply(self, args);
      };
      if (visibles.get(gd) === false) {
        oublier();
        enAttente.set(gd, dessin);
        if (typeof window.passnumDecrireGraphique === "function") {
          window.passnumDecrireGraphique(gd, data, layout);
        }
        return Promise.resolve(gd);
      }
      enAttente.delete(gd);
      return enchainer(gd, deuxImages, dessin);
    };
  }

  // After a drill the new map replaces the old one under a still mouse: plotly would keep the label of
  // the territory just clicked floating over it.
  function effacerSurvol(Plotly, gd) {
    if (Plotly.Fx) {
      Plotly.Fx.unhover(gd);
      window.requestAnimationFrame(function () {
        Plotly.Fx.unhover(gd);
      });
    }
  }

  function envelopper(Plotly) {
    if (!Plotly || Plotly.__passnumCarte || typeof Plotly.react !== "function") {
      return Plotly;
    }
    var react = Plotly.react;
    var autre = autresGraphiques(react);

    Plotly.react = function (gd, donnees) {
      var args = arguments;
      var figure = donnees && !Array.isArray(donnees) && typeof donnees === "object" ? donnees : null;
      var data = figure ? figure.data : donnees;
      var layout = figure ? figure.layout : arguments[2];
      if (!estCarte(gd)) {
        return autre(this, args, gd, data, layout);
      }
      if (gd.__passnumEnCours) {
        // A drawing of the map is still in progress (its GeoJSON on the way, the first view of the
        // page): this update waits for it, then recolours in place if only values changed, instead
        // of a second full drawing on top of the first.
        var moi = this;
        return gd.__passnumEnCours.then(function () {
          return Plotly.react.apply(moi, args);
        });
      }
      if (appliquer(Plotly, gd, data, layout)) {
        return Promise.resolve(gd);
      }
      var dessin = structure(data, layout);
      // The layout as sent (plotly writes its own fields into the object it draws).
      var layoutEnvoye = JSON.parse(dessin.layout);
      gd.__passnumCarte = null; // until this drawing is done
      var enCours = Promise.resolve(react.apply(this, args)).then(function (resultat) {
        dessin.data = data;
        dessin.layoutDessine = layoutEnvoye;
        gd.__passnumCarte = dessin;
        effacerSurvol(Plotly, gd);
        return resultat;
      });
      var fin = function () {
        if (gd.__passnumEnCours === enCours) {
          gd.__passnumEnCours = null;
        }
      };
      gd.__passnumEnCours = enCours;
      enCours.then(fin, fin);
      return enCours;
    };
    Plotly.__passnumCarte = true;
    return Plotly;
  }

  if (window.Plotly) {
    envelopper(window.Plotly);
    return;
  }
  // Dash loads plotly.js lazily: wrap it when it arrives, after any wrapper set before this one.
  var precedent = Object.getOwnPropertyDescriptor(window, "Plotly");
  var actuel;
  Object.defineProperty(window, "Plotly", {
    configurable: true,
    enumerable: true,
    get: function () {
      return precedent && precedent.get ? precedent.get() : actuel;
    },
    set: function (valeur) {
      if (precedent && precedent.set) {
        precedent.set(valeur);
        envelopper(precedent.get());
      } else {
        actuel = envelopper(valeur);
      }
    },
  });
})();
