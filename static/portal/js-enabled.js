/* GOV.UK Frontend's body classes, set before the page is drawn. Loaded (not inline) so that the
   Content-Security-Policy can refuse every inline script. */
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
