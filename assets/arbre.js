/* The React component of dashboard/components/arbre.py: a static HTML subtree given as data
   ({t: tag, p: attributes, c: children}), drawn as one component. A callback that redraws the KPIs, the
   legend or the « Enveloppe » card changes one property; React then changes only the texts and the
   attributes that differ, instead of Dash mounting (and dispatching for) every element again.
   Only the elements and attributes of the Python side's lists are drawn (React escapes every value). */
(function () {
  "use strict";

  var ATTRIBUTS = /^(className|id|style|title|role|hidden|tabIndex|colSpan|rowSpan|scope|lang|href|aria-[a-z]+|data-[a-z-]+)$/;
  var BALISES = /^(div|span|p|ul|ol|li|dl|dt|dd|h[1-6]|section|strong|em|b|i|code|small|abbr|details|summary|table|thead|tbody|tr|td|th|caption|br|a|sup|sub)$/;
  var LIEN_SUR = /^(\/|#|https?:\/\/)/;

  function element(noeud) {
    if (noeud === null || noeud === undefined || typeof noeud === "boolean") {
      return null;
    }
    if (typeof noeud !== "object") {
      return String(noeud);
    }
    if (Array.isArray(noeud)) {
      return window.React.createElement.apply(null, [window.React.Fragment, null].concat(noeud.map(element)));
    }
    var balise = String(noeud.t || "");
    if (!BALISES.test(balise)) {
      return null;
    }
    var attributs = {};
    var p = noeud.p || {};
    Object.keys(p).forEach(function (cle) {
      if (ATTRIBUTS.test(cle) && !(cle === "href" && !LIEN_SUR.test(String(p[cle])))) {
        attributs[cle] = p[cle];
      }
    });
    var enfants = noeud.c === undefined || noeud.c === null ? [] : Array.isArray(noeud.c) ? noeud.c : [noeud.c];
    return window.React.createElement.apply(null, [balise, attributs].concat(enfants.map(element)));
  }

  function Arbre(props) {
    var racine = props.arbre;
    var enfants = Array.isArray(racine) ? racine : racine === undefined || racine === null ? [] : [racine];
    return window.React.createElement.apply(
      null,
      ["div", { id: props.id, className: props.className }].concat(enfants.map(element))
    );
  }

  window.passnum_arbre = { Arbre: Arbre };
})();
