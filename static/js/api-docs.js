// The API page: Swagger UI (static/vendor/swagger-ui) renders the OpenAPI document.
(function () {
  "use strict";
  const el = document.getElementById("swagger");
  if (!el || typeof window.SwaggerUIBundle !== "function") return;
  window.ui = window.SwaggerUIBundle({
    url: el.dataset.openapi,
    domNode: el,
    deepLinking: true,
    validatorUrl: null,
    defaultModelsExpandDepth: 0,
    tryItOutEnabled: false,
    persistAuthorization: false,
    onComplete: function () {
      // Swagger UI's server choice has no label (axe select-name)
      el.querySelectorAll("select#servers").forEach(function (select) {
        select.setAttribute("aria-label", "Server");
      });
    },
  });
})();
