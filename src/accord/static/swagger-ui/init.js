// Accord: start Swagger UI on /api/docs from the vendored bundle (a file, as the CSP forbids inline scripts).
window.addEventListener("load", function () {
  "use strict";
  window.ui = window.SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
