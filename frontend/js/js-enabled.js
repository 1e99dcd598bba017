// Loaded (not deferred) at the top of <body> by base.html, before anything is drawn: marks the
// page as having JavaScript, and GOV.UK Frontend as supported where ES modules are, so that the
// components' JavaScript-only styles apply without a flash. A file rather than an inline script
// because the Content Security Policy allows scripts only from this origin (script-src 'self').
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
