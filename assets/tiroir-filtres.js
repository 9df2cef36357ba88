/* The filter drawer of the national view on narrow screens (< 992 px): the « Filtres » button opens it
   (Bootstrap's .offcanvas-lg, whose JavaScript this app does not load), Esc, its close button or the
   backdrop close it, the focus stays inside while it is open and goes back to the button after.
   Document-level listeners: Dash may redraw the page under them. Also: a removed filter tag hands the
   focus to the row of tags, so a keyboard user does not lose their place. */
(function () {
  "use strict";
  var LARGE = window.matchMedia("(min-width: 992px)");
  var FOCUSABLES = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), " +
    "select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";
  var fond = null;

  function tiroir() { return document.getElementById("filtres-tiroir"); }
  function bouton() { return document.getElementById("filtres-ouvrir"); }
  function ouvert() { var t = tiroir(); return !!t && t.classList.contains("show"); }

  function focusables(racine) {
    return Array.prototype.filter.call(racine.querySelectorAll(FOCUSABLES), function (e) {
      return e.getClientRects().length > 0;
    });
  }

  function ouvrir() {
    var t = tiroir();
    if (!t || LARGE.matches) { return; }
    t.classList.add("show");
    t.setAttribute("role", "dialog");
    t.setAttribute("aria-modal", "true");
    if (bouton()) { bouton().setAttribute("aria-expanded", "true"); }
    fond = document.createElement("div");
    fond.className = "offcanvas-backdrop fade show";
    fond.addEventListener("click", function () { fermer(true); });
    document.body.appendChild(fond);
    document.body.style.overflow = "hidden";
    var premier = focusables(t)[0];
    (premier || t).focus();
  }

  function fermer(rendreFocus) {
    var t = tiroir();
    if (t) {
      t.classList.remove("show");
      t.removeAttribute("role");
      t.removeAttribute("aria-modal");
    }
    if (fond) { fond.remove(); fond = null; }
    document.body.style.overflow = "";
    var b = bouton();
    if (b) {
      b.setAttribute("aria-expanded", "false");
      if (rendreFocus) { b.focus(); }
    }
  }

  document.addEventListener("click", function (ev) {
    var cible = ev.target instanceof Element ? ev.target : null;
    if (!cible) { return; }
    if (cible.closest("#filtres-ouvrir")) { ouvrir(); return; }
    if (cible.closest("#filtres-fermer")) { fermer(true); return; }
    if (cible.closest(".etiquette-filtre")) {
      var rangee = document.getElementById("filtres-actifs");
      if (rangee) { rangee.focus(); }
    }
  });

  document.addEventListener("keydown", function (ev) {
    if (!ouvert()) { return; }
    if (ev.key === "Escape") {
      ev.preventDefault();
      fermer(true);
      return;
    }
    if (ev.key !== "Tab") { return; }
    var liste = focusables(tiroir());
    if (!liste.length) { ev.preventDefault(); return; }
    var premier = liste[0], dernier = liste[liste.length - 1];
    var dedans = tiroir().contains(document.activeElement);
    if (ev.shiftKey && (document.activeElement === premier || !dedans)) {
      ev.preventDefault();
      dernier.focus();
    } else if (!ev.shiftKey && (document.activeElement === dernier || !dedans)) {
      ev.preventDefault();
      premier.focus();
    }
  });

  // Wider than 992 px the panel is the sidebar again: no drawer state left behind.
  LARGE.addEventListener("change", function (ev) { if (ev.matches && ouvert()) { fermer(false); } });
})();
