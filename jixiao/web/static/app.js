// Every htmx request carries the session's CSRF token (the synchronizer token of
// the signed-in session, printed on <body data-csrf>); plain forms carry it as a
// hidden field. No other script runs on the pages.
document.addEventListener("htmx:configRequest", function (event) {
  var token = document.body.dataset.csrf;
  if (token) { event.detail.headers["X-CSRF-Token"] = token; }
});
// A refused save (412) or a blocked submit (422) still swaps its answer in, so the
// user sees why and nothing typed is lost.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status === 412 || status === 422 || status === 409 || status === 403) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
