/* A callback refused because the server is saturated (503 or 429, JSON {erreur, message}, Retry-After:
   dashboard/web/portier.py) leaves the page as it was; Dash's renderer would only log it. Here the
   French message is shown in a notice at the bottom of the screen, read out by screen readers, and
   taken away once the advised delay has passed. */
(function () {
  var original = window.fetch;
  if (!original) { return; }

  function avis() {
    var element = document.getElementById("avis-surcharge");
    if (!element) {
      element = document.createElement("div");
      element.id = "avis-surcharge";
      element.className = "alert alert-warning shadow position-fixed bottom-0 start-50 translate-middle-x mb-3";
      element.setAttribute("role", "status");
      element.setAttribute("aria-live", "polite");
      element.hidden = true;
      document.body.appendChild(element);
    }
    return element;
  }

  var minuterie = null;
  function montrer(message, secondes) {
    var element = avis();
    element.textContent = message;
    element.hidden = false;
    clearTimeout(minuterie);
    minuterie = setTimeout(function () { element.hidden = true; }, Math.max(2, secondes) * 1000);
  }

  window.fetch = function (ressource, options) {
    var adresse = typeof ressource === "string" ? ressource : (ressource && ressource.url) || "";
    var promesse = original.apply(this, arguments);
    if (adresse.indexOf("/_dash-update-component") === -1) { return promesse; }
    return promesse.then(function (reponse) {
      if (reponse.status === 503 || reponse.status === 429) {
        var secondes = parseInt(reponse.headers.get("Retry-After") || "5", 10) || 5;
        reponse.clone().json().then(function (corps) {
          montrer((corps && corps.message) || "Service momentanément indisponible : réessayez dans quelques secondes.", secondes);
        }, function () {
          montrer("Service momentanément indisponible : réessayez dans quelques secondes.", secondes);
        });
      }
      return reponse;
    });
  };
})();
