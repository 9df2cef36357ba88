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

// The layout's request says which page is being opened (dashboard/web/coque.py, ENTETE_ADRESSE): the server
// can put the page into the layout, instead of Dash pages asking for it once the layout has arrived.
(function () {
  "use strict";
  var original = window.fetch;
  if (!original) {
    return;
  }
  window.fetch = function (ressource, options) {
    var adresse = typeof ressource === "string" ? ressource : (ressource && ressource.url) || "";
    if (!/\/_dash-layout(\?|$)/.test(adresse)) {
      return original.apply(this, arguments);
    }
    var avec = Object.assign({}, options);
    var entetes = new Headers((options && options.headers) || {});
    entetes.set("X-Passnum-Adresse", window.location.href);
    avec.headers = entetes;
    return original.call(this, ressource, avec);
  };
})();
