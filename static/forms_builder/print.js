/* The print page's "Print" button (a static file: the Content-Security-Policy refuses inline handlers). */
document.querySelectorAll("[data-print-page]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
