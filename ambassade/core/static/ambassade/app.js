// Small enhancements only: every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // A new API token is selected when focused, ready to copy.
  for (const input of document.querySelectorAll("[data-select-on-focus]")) {
    input.addEventListener("focus", () => input.select());
  }
});
