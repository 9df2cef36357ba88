/* Briefing mode (/presentation): keyboard, buttons and timer, all in the browser (no server round trip).
   ← / PageUp: previous · → / space / PageDown: next · Home / End · f: full screen · Esc: leave full
   screen, else pause · p: pause or resume the timer · h or ?: show or hide the controls. The slide
   number stays in the address (diapo=N).
   In full screen the page carries the class `presentation-plein-ecran` and the control bar is hidden
   (03-presentation.css) until the mouse moves, a key h/? is pressed or the keyboard focus enters it
   (class `commandes-visibles`); it hides again after DELAI_COMMANDES ms without a move. */
(function () {
  "use strict";
  var etat = null;
  var DELAI_COMMANDES = 2500;
  var minuterieCommandes = null;

  function racine() { return document.getElementById("presentation"); }
  function barre() { var r = racine(); return r && r.querySelector(".presentation-commandes"); }

  function enPleinEcran() {
    return !!document.fullscreenElement ||
      (window.matchMedia && window.matchMedia("(display-mode: fullscreen)").matches);
  }

  // Full screen: the slide alone; the controls come back on a move, a key or the keyboard focus.
  function suivrePleinEcran() {
    var r = racine();
    if (!r) { return; }
    var plein = enPleinEcran();
    r.classList.toggle("presentation-plein-ecran", plein);
    if (plein) {
      var b = barre();
      if (b && b.contains(document.activeElement)) { document.activeElement.blur(); }
      cacherCommandes();
    } else {
      r.classList.remove("commandes-visibles");
    }
    window.dispatchEvent(new Event("resize")); // the slide's charts take the new height
  }

  function cacherCommandes() {
    var r = racine();
    if (minuterieCommandes) { window.clearTimeout(minuterieCommandes); minuterieCommandes = null; }
    if (r) { r.classList.remove("commandes-visibles"); }
  }

  function montrerCommandes() {
    var r = racine();
    if (!r || !r.classList.contains("presentation-plein-ecran")) { return; }
    r.classList.add("commandes-visibles");
    if (minuterieCommandes) { window.clearTimeout(minuterieCommandes); }
    minuterieCommandes = window.setTimeout(function attendre() {
      var b = barre();
      if (b && (b.matches(":hover") || b.contains(document.activeElement))) {
        minuterieCommandes = window.setTimeout(attendre, DELAI_COMMANDES);
        return;
      }
      cacherCommandes();
    }, DELAI_COMMANDES);
  }

  function basculerCommandes() {
    var r = racine();
    if (r && r.classList.contains("commandes-visibles")) { cacherCommandes(); } else { montrerCommandes(); }
  }

  function diapos() { return document.querySelectorAll("#presentation .diapo"); }

  function annoncer(texte) {
    var zone = document.getElementById("presentation-annonce");
    if (!zone) {
      zone = document.createElement("div");
      zone.id = "presentation-annonce";
      zone.className = "visually-hidden";
      zone.setAttribute("aria-live", "polite");
      document.getElementById("presentation").appendChild(zone);
    }
    zone.textContent = texte;
  }

  function montrer(numero) {
    var liste = diapos();
    if (!liste.length) { return; }
    numero = Math.max(1, Math.min(liste.length, numero));
    etat.courante = numero;
    liste.forEach(function (d, i) {
      var visible = i + 1 === numero;
      d.hidden = !visible;
      d.classList.toggle("diapo-courante", visible);
    });
    var adresse = new URL(window.location.href);
    adresse.searchParams.set("diapo", String(numero));
    window.history.replaceState(null, "", adresse.pathname + "?" + adresse.searchParams.toString().replace(/%2C/g, ",").replace(/%3A/g, ":"));
    annoncer(liste[numero - 1].getAttribute("aria-label"));
    window.dispatchEvent(new Event("resize")); // plotly sizes the charts of a slide just shown
    agrandirTextes(liste[numero - 1]);
    etat.reste = etat.auto;
    afficherMinuteur();
  }

  // Chart text in proportion to the screen, like the page's own text (22 px at 1920, 45 px in 4K).
  function agrandirTextes(diapo) {
    if (!window.Plotly) { return; }
    var taille = Math.round(Math.max(16, window.innerWidth / 85));
    var etroit = window.innerWidth < 700; // a phone: a funnel's labels go inside its bars, never cut
    diapo.querySelectorAll(".js-plotly-plot").forEach(function (graphique) {
      if (!graphique._fullLayout || graphique._fullLayout.font.size === taille) { return; }
      window.Plotly.relayout(graphique, { "font.size": taille });
      window.Plotly.restyle(graphique, { "textfont.size": taille });
      (graphique.data || []).forEach(function (trace, i) {
        if (trace.type === "funnel" && etroit) { window.Plotly.restyle(graphique, { textposition: "inside" }, [i]); }
      });
    });
  }

  function afficherMinuteur() {
    var minuteur = document.getElementById("presentation-minuteur");
    if (!minuteur) { return; }
    if (!etat.auto) { minuteur.textContent = etat.courante + " / " + diapos().length; return; }
    minuteur.textContent = etat.pause
      ? "En pause — p pour reprendre"
      : "Suivante dans " + etat.reste + " s — p : pause";
  }

  function pleinEcran() {
    var cible = document.getElementById("presentation");
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (cible && cible.requestFullscreen) { cible.requestFullscreen().catch(function () {}); }
  }

  function touche(evenement) {
    var racine = document.getElementById("presentation");
    if (!racine || !document.getElementById("presentation-etat")) { return; }
    if (!etat || etat.racine !== racine) { demarrer(racine); }
    var cible = evenement.target;
    if (cible && /^(INPUT|TEXTAREA|SELECT)$/.test(cible.tagName)) { return; }
    var geres = {
      ArrowRight: function () { montrer(etat.courante + 1); },
      PageDown: function () { montrer(etat.courante + 1); },
      " ": function () { montrer(etat.courante + 1); },
      ArrowLeft: function () { montrer(etat.courante - 1); },
      PageUp: function () { montrer(etat.courante - 1); },
      Home: function () { montrer(1); },
      End: function () { montrer(diapos().length); },
      f: pleinEcran,
      F: pleinEcran,
      h: basculerCommandes,
      H: basculerCommandes,
      "?": basculerCommandes,
      p: function () { etat.pause = !etat.pause; afficherMinuteur(); },
      Escape: function () {
        if (document.fullscreenElement) { document.exitFullscreen(); } else { etat.pause = true; afficherMinuteur(); }
      }
    };
    var action = geres[evenement.key];
    if (action && !(cible && cible.tagName === "BUTTON" && evenement.key === " ")) {
      evenement.preventDefault();
      action();
    }
  }

  function demarrer(racine) {
    var donnees = document.getElementById("presentation-etat");
    etat = {
      courante: parseInt(donnees.dataset.courante, 10) || 1,
      auto: parseInt(donnees.dataset.auto, 10) || 0,
      pause: false,
      reste: 0,
      racine: racine
    };
    document.getElementById("presentation-precedente").addEventListener("click", function () { montrer(etat.courante - 1); });
    document.getElementById("presentation-suivante").addEventListener("click", function () { montrer(etat.courante + 1); });
    document.getElementById("presentation-plein-ecran").addEventListener("click", pleinEcran);
    barre().addEventListener("focusin", montrerCommandes);
    suivrePleinEcran();
    montrer(etat.courante);
  }

  document.addEventListener("keydown", touche);
  document.addEventListener("fullscreenchange", suivrePleinEcran);
  // A real move only: Chromium sends a "fake" mousemove at the same place when the layout changes (as
  // on entering full screen), which must not bring the controls back.
  var dernierPointeur = null;
  document.addEventListener("mousemove", function (evenement) {
    var ici = evenement.screenX + "," + evenement.screenY;
    if (ici === dernierPointeur) { return; }
    dernierPointeur = ici;
    montrerCommandes();
  }, { passive: true });
  if (window.matchMedia) {
    var f11 = window.matchMedia("(display-mode: fullscreen)"); // the browser's own full screen (F11)
    if (f11.addEventListener) { f11.addEventListener("change", suivrePleinEcran); }
  }
  // Start as soon as Dash draws the deck (the one-second timer below also catches it).
  new MutationObserver(function () {
    var racine = document.getElementById("presentation");
    if (racine && document.getElementById("presentation-etat") && (!etat || etat.racine !== racine)) {
      demarrer(racine);
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
  window.setInterval(function () {
    var racine = document.getElementById("presentation");
    if (!racine) { etat = null; return; }
    if (!document.getElementById("presentation-etat")) { return; }
    if (!etat || etat.racine !== racine) { demarrer(racine); return; }
    var courante = diapos()[etat.courante - 1];
    if (courante) { agrandirTextes(courante); } // charts drawn after the slide was shown
    if (!etat.auto || etat.pause) { return; }
    etat.reste -= 1;
    if (etat.reste <= 0) {
      if (etat.courante < diapos().length) { montrer(etat.courante + 1); } else { etat.pause = true; afficherMinuteur(); }
    } else {
      afficherMinuteur();
    }
  }, 1000);
})();
