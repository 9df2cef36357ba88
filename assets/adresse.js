// Browser-side callbacks of the pages (dash_clientside.passnum): the one way a page writes its state in
// the address bar, with history.replaceState (a Dash URL change would make the pages router re-render).
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  passnum: Object.assign({}, (window.dash_clientside || {}).passnum, {
    remplacerAdresse: function (adresse) {
      // Only on the page that computed it: a late answer must not rewrite the next page's address.
      if (typeof adresse === "string" && adresse.startsWith("/")) {
        const cible = new URL(adresse, window.location.origin);
        if (cible.pathname === window.location.pathname) {
          window.history.replaceState(null, "", cible.pathname + cible.search);
        }
      }
      return window.dash_clientside.no_update;
    },
  }),
});
