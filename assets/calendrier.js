/* Calendrier des remontées: each grid drawn (or redrawn by a filter) opens on its latest months, at the
   right end of its horizontal scroll — on a phone, the months that matter first. Once per table drawn:
   the reader's own scrolling is never undone. */
(function () {
  function alaFin(racine) {
    racine.querySelectorAll(".cal-defilant > table").forEach(function (table) {
      if (!table.calendrierPlace) {
        table.calendrierPlace = true;
        table.parentElement.scrollLeft = table.parentElement.scrollWidth;
      }
    });
  }
  new MutationObserver(function () { alaFin(document); })
    .observe(document.documentElement, { childList: true, subtree: true });
})();
