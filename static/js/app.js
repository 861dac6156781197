/* Cadans: the little JavaScript the app needs beyond htmx. No inline scripts (CSP). */
(function () {
  "use strict";

  function showMessage(text) {
    var box = document.getElementById("meldingen");
    if (!box) { return; }
    var p = document.createElement("p");
    p.className = "melding melding-fout";
    p.setAttribute("role", "alert");
    p.textContent = text;
    box.replaceChildren(p);
  }

  // A failed htmx request must never be a silent no-op.
  document.addEventListener("htmx:responseError", function (evt) {
    var status = evt.detail.xhr.status;
    if (status === 401) { return; } // HX-Redirect to the login page follows
    showMessage("Er ging iets mis (" + status + "). Probeer het opnieuw of vernieuw de pagina.");
  });
  document.addEventListener("htmx:sendError", function () {
    showMessage("De server is niet bereikbaar. Controleer de verbinding en probeer het opnieuw.");
  });
})();
