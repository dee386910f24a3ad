/* A form previewed in the CMS is never sent (a static file: the Content-Security-Policy refuses inline handlers). */
document.querySelectorAll("form[data-preview-only]").forEach(function (form) {
  form.addEventListener("submit", function (event) { event.preventDefault(); });
});
