// The search box (dashboard/components/recherche.py): an accessible combobox over Dash components.
// The server fills the listbox as the user types (debounced by the field); this script gives the field its
// ARIA roles, moves the highlighted option (↓ ↑), picks it (Entrée, click), closes the list (Échap, focus
// leaving the box). Picking opens the entity's page (mode "aller") or hands its identifier to the page
// (mode "ajouter": the dcc.Store `<id>-choix`). Entrée pressed before the results of what is typed have
// arrived picks the first of them when they arrive.
(function () {
  "use strict";

  function boiteDe(element) {
    return element && element.closest ? element.closest(".rch") : null;
  }
  function saisieDe(boite) {
    return boite.querySelector(".rch-saisie");
  }
  function listeDe(boite) {
    return boite.querySelector(".rch-liste");
  }
  function popupDe(boite) {
    return boite.querySelector(".rch-popup");
  }
  function optionsDe(boite) {
    const liste = listeDe(boite);
    return liste ? Array.from(liste.querySelectorAll('[role="option"]')) : [];
  }
  function aJour(boite) {
    // The list answers what the field holds now (not an older text).
    const liste = listeDe(boite);
    return Boolean(liste) && liste.dataset.requete === saisieDe(boite).value;
  }
  function dc() {
    return window.dash_clientside;
  }

  function naviguer(adresse) {
    // What dcc.Link does: the pages router follows, without reloading the page.
    window.history.pushState({}, "", adresse);
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  }

  function ouvrir(boite) {
    const popup = popupDe(boite);
    const vide = boite.querySelector(".rch-vide");
    if (!popup || !(optionsDe(boite).length || vide)) {
      return;
    }
    popup.hidden = false;
    saisieDe(boite).setAttribute("aria-expanded", "true");
  }

  function fermer(boite) {
    const popup = popupDe(boite);
    if (popup) {
      popup.hidden = true;
    }
    saisieDe(boite).setAttribute("aria-expanded", "false");
  }

  function comparaisonAvec(identifiant) {
    // From /comparer, the entity joins those compared; from an entity's page, it is compared with it.
    const chemin = window.location.pathname;
    let deja = [];
    if (chemin === "/comparer") {
      deja = (new URLSearchParams(window.location.search).get("ids") || "").split(",");
    } else {
      const fiche = chemin.match(/^\/(?:territoire\/(region|departement|epci)\/([0-9AB]+)|porteur\/([0-9]{9}))\/?$/);
      if (fiche) {
        deja = [fiche[3] ? "porteur:" + fiche[3] : fiche[1] + ":" + fiche[2]];
      }
    }
    deja = deja.filter(function (i) {
      return i && i !== identifiant;
    });
    return "/comparer?ids=" + deja.concat([identifiant]).join(",");
  }

  function actions(boite, option) {
    boite.querySelectorAll("a.rch-action").forEach(function (lien) {
      const cle = lien.dataset.rchAction;
      const adresse =
        cle === "comparaison" ? comparaisonAvec(option.dataset.identifiant) : option.dataset[cle];
      lien.setAttribute("href", adresse || "#");
      const textes = {
        fiche: "Ouvrir la fiche de ",
        comparaison: "Ajouter à la comparaison : ",
        carte: "Voir sur la carte : ",
      };
      lien.setAttribute("aria-label", (textes[cle] || "") + option.dataset.nom);
    });
  }

  function activer(boite, indice) {
    const options = optionsDe(boite);
    const saisie = saisieDe(boite);
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === indice ? "true" : "false");
      option.classList.toggle("rch-active", i === indice);
    });
    boite.rchActif = indice;
    if (indice >= 0 && options[indice]) {
      saisie.setAttribute("aria-activedescendant", options[indice].id);
      actions(boite, options[indice]);
      if (!popupDe(boite).hidden) {
        options[indice].scrollIntoView({ block: "nearest" });
      }
    } else {
      saisie.removeAttribute("aria-activedescendant");
    }
  }

  function dire(boite, texte) {
    dc().set_props(saisieDe(boite).id + "-etat", { children: texte });
  }

  function choisir(boite, option) {
    const saisie = saisieDe(boite);
    boite.rchEnAttente = false;
    fermer(boite);
    dc().set_props(saisie.id, { value: "" });
    if (boite.dataset.rchMode === "ajouter") {
      dc().set_props(saisie.id + "-choix", {
        data: { identifiant: option.dataset.identifiant, n: Date.now() },
      });
    } else {
      saisie.blur();
      naviguer(option.dataset.fiche);
    }
  }

  function valider(boite) {
    const saisie = saisieDe(boite);
    if (!saisie.value.trim()) {
      saisie.focus();
      dire(boite, "Tapez le nom, le code ou le SIREN d'un territoire ou d'un lauréat.");
      return;
    }
    if (!aJour(boite)) {
      boite.rchEnAttente = true; // picked when the results of this text arrive
      return;
    }
    const options = optionsDe(boite);
    if (options.length) {
      choisir(boite, options[Math.max(boite.rchActif || 0, 0)]);
    } else {
      ouvrir(boite); // says there is nothing
    }
  }

  function arrivee(boite) {
    const saisie = saisieDe(boite);
    if (!saisie || !listeDe(boite)) {
      return;
    }
    const options = optionsDe(boite);
    const courante = aJour(boite);
    activer(boite, courante && options.length ? 0 : -1);
    if (!courante || !saisie.value.trim()) {
      fermer(boite);
      return;
    }
    if (boite.rchEnAttente) {
      boite.rchEnAttente = false;
      if (options.length) {
        choisir(boite, options[0]);
        return;
      }
    }
    if (boite.contains(document.activeElement)) {
      ouvrir(boite);
      activer(boite, options.length ? 0 : -1);
    }
  }

  function preparer(saisie) {
    const boite = boiteDe(saisie);
    if (!boite || !saisie.id) {
      return;
    }
    if (!saisie.dataset.rchPret) {
      saisie.dataset.rchPret = "1";
      saisie.setAttribute("role", "combobox");
      saisie.setAttribute("aria-autocomplete", "list");
      saisie.setAttribute("aria-expanded", "false");
      saisie.setAttribute("aria-controls", saisie.id + "-liste");
      saisie.setAttribute("aria-describedby", saisie.id + "-aide");
    }
    const resultats = document.getElementById(saisie.id + "-resultats");
    if (resultats && boite.rchResultats !== resultats) {
      // childList only: the attributes this script sets do not call it back
      boite.rchResultats = resultats;
      new MutationObserver(function () {
        arrivee(boite);
      }).observe(resultats, { childList: true, subtree: true, characterData: true });
    }
  }

  // Every box, as soon as Dash renders it (a live collection: checking it costs nothing).
  const saisies = document.getElementsByClassName("rch-saisie");
  function toutPreparer() {
    for (let i = 0; i < saisies.length; i++) {
      preparer(saisies[i]);
    }
  }
  new MutationObserver(toutPreparer).observe(document.body, { childList: true, subtree: true });
  toutPreparer();

  document.addEventListener("keydown", function (ev) {
    const saisie = ev.target;
    if (!(saisie instanceof HTMLInputElement) || !saisie.classList.contains("rch-saisie")) {
      return;
    }
    const boite = boiteDe(saisie);
    if (!boite) {
      return;
    }
    preparer(saisie);
    const options = optionsDe(boite);
    const ouverte = !popupDe(boite).hidden;
    const actif = typeof boite.rchActif === "number" ? boite.rchActif : -1;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!options.length || !aJour(boite)) {
        return;
      }
      ev.preventDefault();
      if (!ouverte) {
        ouvrir(boite);
        activer(boite, Math.max(actif, 0));
      } else if (ev.key === "ArrowDown") {
        activer(boite, (actif + 1) % options.length);
      } else {
        activer(boite, actif <= 0 ? options.length - 1 : actif - 1);
      }
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      valider(boite);
    } else if (ev.key === "Escape" && ouverte) {
      ev.preventDefault(); // the list closes, the text stays
      fermer(boite);
    }
  });

  document.addEventListener("focusin", function (ev) {
    const boite = boiteDe(ev.target);
    if (boite && ev.target.classList.contains("rch-saisie")) {
      preparer(ev.target);
      if (aJour(boite) && ev.target.value.trim()) {
        ouvrir(boite);
      }
    }
  });

  document.addEventListener("focusout", function (ev) {
    const boite = boiteDe(ev.target);
    if (boite && !boite.contains(ev.relatedTarget)) {
      fermer(boite);
    }
  });

  // The mouse: an option keeps the focus in the field, then is picked.
  document.addEventListener("mousedown", function (ev) {
    if (ev.target.closest && ev.target.closest(".rch-option")) {
      ev.preventDefault();
    }
  });

  document.addEventListener("click", function (ev) {
    if (!ev.target.closest) {
      return;
    }
    const option = ev.target.closest(".rch-option");
    if (option) {
      choisir(boiteDe(option), option);
      return;
    }
    const bouton = ev.target.closest(".rch-valider");
    if (bouton) {
      valider(boiteDe(bouton));
      return;
    }
    const lien = ev.target.closest("a.rch-action");
    const nouvelOnglet = ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey || ev.button !== 0;
    if (lien && !nouvelOnglet && lien.getAttribute("href").startsWith("/")) {
      ev.preventDefault();
      const boite = boiteDe(lien);
      fermer(boite);
      dc().set_props(saisieDe(boite).id, { value: "" });
      naviguer(lien.getAttribute("href"));
    }
  });
})();
