// The browsable API page: Swagger UI from the app's own static files, reading /openapi.json.
window.addEventListener("load", function () {
  window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger", deepLinking: true });
});
