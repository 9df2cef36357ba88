/* Accessibility fixes that Dash components do not expose as props.
   dcc.Upload renders a hidden <input type="file"> with no name: give it the drop zone's text, so screen
   readers announce what the control is for (RGAA 11.1, WCAG 4.1.2). */
(function () {
  function nommerDepots(racine) {
    racine.querySelectorAll(".zone-depot input[type=file]:not([aria-label])").forEach(function (champ) {
      var zone = champ.closest(".zone-depot");
      champ.setAttribute("aria-label", (zone.textContent || "Choisir un fichier").trim());
    });
  }
  /* A table that scrolls sideways inside its box (a phone) must be reachable by keyboard to be scrolled
     (RGAA 7.3 / 12.8, axe-core scrollable-region-focusable). */
  function defilementsAuClavier(racine) {
    racine.querySelectorAll(".table-responsive:not([tabindex])").forEach(function (boite) {
      boite.setAttribute("tabindex", "0");
    });
  }
  new MutationObserver(function () { nommerDepots(document); defilementsAuClavier(document); })
    .observe(document.documentElement, { childList: true, subtree: true });
})();
