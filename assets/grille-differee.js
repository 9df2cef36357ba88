/* AG Grid after the map (dashboard/web/scripts.py). Its bundle (1,3 MB, then 0,9 MB of its chunk) is
   no longer a script of the page: `window.dash_ag_grid` is this stand-in. Its AgGrid keeps the grid's
   box and loads the bundle once the page's map has been drawn, or when the visitor scrolls the grid
   near the screen, or after a few seconds; then it draws the real grid inside, with the same props
   (Dash resolves `window.dash_ag_grid.AgGrid` at each render: it stays this one, the grid is not
   mounted twice). getApiAsync waits for the bundle (clientside callbacks of pages/national.py). */
(function () {
  "use strict";

  var meta = document.querySelector('meta[name="passnum-grille"]');
  if (!meta || window.dash_ag_grid || !window.React) {
    return;
  }
  var React = window.React;
  var url = meta.getAttribute("content");
  var chargement = null;
  var ATTENTE_MAX = 15000; // ms after the stand-in appears: the grid comes even if the map never does

  // The real module's functions go on the stand-in, which stays `window.dash_ag_grid`: Dash keeps
  // resolving the same AgGrid (no remount of the grid), which draws the real one inside.
  function charger() {
    if (!chargement) {
      chargement = new Promise(function (ok, ko) {
        var script = document.createElement("script");
        script.src = url;
        script.onload = function () {
          var reel = window.dash_ag_grid;
          if (!reel || reel === remplacant || !reel.AgGrid) {
            ko(new Error("Le tableau (AG Grid) n'a pas été défini par " + url));
            return;
          }
          Object.keys(reel).forEach(function (cle) {
            if (cle !== "AgGrid") {
              remplacant[cle] = reel[cle];
            }
          });
          AgGrid.dashPersistence = reel.AgGrid.dashPersistence;
          AgGrid.defaultProps = reel.AgGrid.defaultProps;
          remplacant.reel = reel;
          window.dash_ag_grid = remplacant;
          ok(reel);
        };
        script.onerror = function () {
          chargement = null;
          ko(new Error("Le tableau (AG Grid) n'a pas pu être chargé : " + url));
        };
        document.head.appendChild(script);
      });
    }
    return chargement;
  }

  // The page's map has been drawn with its data (plotly_afterplot of a figure with traces whose
  // shapes are there: after its GeoJSON arrived), or there is no map on this page.
  var carteDessinee = false;
  function formesDessinees(graphe) {
    var data = graphe.data || [];
    var choroplethe = data.some(function (trace) {
      return trace.type === "choropleth";
    });
    return data.length > 0 && (!choroplethe || !!graphe.querySelector("path.choroplethlocation"));
  }
  function cartePeinte() {
    var carte = document.getElementById("carte");
    if (!carte) {
      return true;
    }
    var graphe = carte.classList.contains("js-plotly-plot") ? carte : carte.querySelector(".js-plotly-plot");
    if (graphe && typeof graphe.on === "function" && !graphe.__passnumGrille) {
      graphe.__passnumGrille = true;
      graphe.on("plotly_afterplot", function () {
        carteDessinee = carteDessinee || formesDessinees(graphe);
      });
    }
    return carteDessinee;
  }

  function quandPret(boite, suite) {
    var fait = false;
    var debut = Date.now();
    var observateur = null;
    function partir() {
      if (fait) {
        return;
      }
      fait = true;
      window.removeEventListener("scroll", observer);
      if (observateur) {
        observateur.disconnect();
      }
      // one more frame: the map's paint goes to the screen before the grid's script is evaluated
      requestAnimationFrame(function () {
        setTimeout(suite, 0);
      });
    }
    // The visitor scrolls down to the table before the map is there: the grid comes when it nears the
    // screen (not before a scroll: while the page fills up, the table starts near the top).
    function observer() {
      window.removeEventListener("scroll", observer);
      if (fait || !boite || !("IntersectionObserver" in window)) {
        return;
      }
      observateur = new IntersectionObserver(
        function (entrees) {
          if (entrees.some(function (e) { return e.isIntersecting; })) {
            partir();
          }
        },
        { rootMargin: "200px" }
      );
      observateur.observe(boite);
    }
    window.addEventListener("scroll", observer, { passive: true });
    (function guetter() {
      if (fait) {
        return;
      }
      if (cartePeinte() || Date.now() - debut > ATTENTE_MAX) {
        partir();
      } else {
        setTimeout(guetter, 50);
      }
    })();
  }

  function AgGrid(props) {
    var boite = React.useRef(null);
    var etat = React.useState(remplacant.reel || null);
    var module = etat[0];
    var poser = etat[1];
    React.useEffect(function () {
      if (module) {
        return undefined;
      }
      var actif = true;
      quandPret(boite.current, function () {
        charger().then(function (m) {
          if (actif) {
            poser(function () {
              return m;
            });
          }
        }, function (erreur) {
          console.error(erreur.message);
        });
      });
      return function () {
        actif = false;
      };
    }, [module]);
    if (module) {
      return React.createElement(module.AgGrid, props);
    }
    return React.createElement("div", {
      ref: boite,
      id: typeof props.id === "string" ? props.id : undefined,
      className: ["ag-grid-en-attente", props.className].filter(Boolean).join(" "),
      style: props.style,
      "aria-busy": "true",
    });
  }

  AgGrid.dashRenderType = true; // as the real AgGrid: Dash tells it who caused each render

  var remplacant = {
    AgGrid: AgGrid,
    getApiAsync: function (id) {
      return charger().then(function (m) {
        return m.getApiAsync(id);
      });
    },
    getApi: function () {
      throw new Error("AG Grid n'est pas encore chargé : utiliser getApiAsync");
    },
  };
  window.dash_ag_grid = remplacant;
})();
