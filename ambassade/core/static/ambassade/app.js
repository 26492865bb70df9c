// Small enhancements only: every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Forms marked data-autosubmit (the language switch) submit as soon as the choice changes.
  for (const form of document.querySelectorAll("form[data-autosubmit]")) {
    const button = form.querySelector("[data-autosubmit-button]");
    if (button) button.classList.add("visually-hidden");
    form.addEventListener("change", () => form.requestSubmit());
  }
  // A new API token is selected when focused, ready to copy.
  for (const input of document.querySelectorAll("[data-select-on-focus]")) {
    input.addEventListener("focus", () => input.select());
  }
});
// The installable app: pages that link a manifest register the service worker, which keeps
// the shell and an offline page (core/app_views.py). Without it everything still works.
if ("serviceWorker" in navigator && document.querySelector("link[rel=manifest]")) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => undefined);
  });
}
