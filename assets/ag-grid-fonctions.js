/* Functions called by the AG Grid table of the national view (dash-ag-grid looks them up here).
   Numbers stay numbers (so sorting is numeric); only their display is French. */
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

dagfuncs.formatFr = function (valeur, genre) {
  if (valeur === null || valeur === undefined || Number.isNaN(valeur)) {
    return "—";
  }
  var options = {
    pourcent: { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 },
    euros: { style: "currency", currency: "EUR", maximumFractionDigits: 0 },
    centimes: { style: "currency", currency: "EUR", minimumFractionDigits: 2, maximumFractionDigits: 2 },
    decimal: { minimumFractionDigits: 1, maximumFractionDigits: 1 },
    centiemes: { minimumFractionDigits: 2, maximumFractionDigits: 2 },
    entier: { maximumFractionDigits: 0 },
  }[genre] || { maximumFractionDigits: 0 };
  // The number as written (a string is an exact decimal for Intl.NumberFormat), rounded half away from
  // zero like the server (dashboard.domain.formatage.arrondi): 2,675 → 2,68, not the binary 2,67.
  return new Intl.NumberFormat("fr-FR", options).format(String(valeur));
};

/* Cell renderer of the "Nom" column: a link to the territory's or laureate's page (data.lien, built by
   the server). React elements, never HTML strings: a name can never inject markup. */
var dagcomponentfuncs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

dagcomponentfuncs.LienFiche = function (props) {
  if (!props.data || !props.data.lien) {
    return props.value === null || props.value === undefined ? "" : String(props.value);
  }
  return React.createElement("a", { href: props.data.lien }, String(props.value));
};

/* The national table's box fitted to its rows (pages/national.py, AJUSTER_TABLEAU): its header, its
   rows (room for the "no row" message when none) and a horizontal scrollbar when the columns overflow;
   at most HAUTEUR_MAX, more rows scroll inside. Called with the number of rows found, at each block the
   server sends; measured once the grid is drawn (its headers wrapped to the columns' widths). */
window.dash_clientside = window.dash_clientside || {};
var HAUTEUR_MAX = 560; // px, as dashboard/components/tableau.py

function hauteurTableau(grille, api, lignes) {
  var entete = grille.querySelector(".ag-header");
  var ligne = api.getSizesForCurrentTheme().rowHeight || 42;
  var barre = grille.querySelector(".ag-body-horizontal-scroll:not(.ag-scrollbar-invisible)");
  var hauteur = entete.offsetHeight + Math.max(lignes, 2) * ligne + (barre ? barre.offsetHeight : 0) + 2;
  return Math.min(HAUTEUR_MAX, Math.ceil(hauteur)) + "px";
}

window.dash_clientside.passnumTableau = {
  ajusterHauteur: async function (lignes) {
    var rien = window.dash_clientside.no_update;
    if (typeof lignes !== "number") {
      return rien;
    }
    var api = await dash_ag_grid.getApiAsync("tableau");
    await new Promise(function (fini) {
      requestAnimationFrame(function () {
        requestAnimationFrame(fini);
      });
    });
    var grille = document.getElementById("tableau");
    if (!api || !grille || !grille.querySelector(".ag-header")) {
      return rien;
    }
    // A narrow screen scrolls the columns sideways: the keyboard must reach that region too.
    grille.querySelectorAll(".ag-center-cols-viewport").forEach(function (zone) {
      if (!zone.hasAttribute("tabindex")) {
        zone.setAttribute("tabindex", "0");
        zone.setAttribute("aria-label", "Colonnes du tableau (défilement horizontal)");
      }
    });
    return { height: hauteurTableau(grille, api, lignes) };
  },
};
