// Small enhancements only: every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // The console's menu folds away behind its button (shown only when this file runs);
  // the choice is remembered on this device.
  const toggle = document.querySelector("[data-sidebar-toggle]");
  if (toggle) {
    const apply = (collapsed) => {
      document.body.classList.toggle("sidebar-collapsed", collapsed);
      toggle.setAttribute("aria-expanded", String(!collapsed));
      toggle.textContent = collapsed ? toggle.dataset.labelShow : toggle.dataset.labelHide;
    };
    apply(localStorage.getItem("ambassade.sidebar") === "collapsed");
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      const collapsed = toggle.getAttribute("aria-expanded") === "true";
      localStorage.setItem("ambassade.sidebar", collapsed ? "collapsed" : "open");
      apply(collapsed);
    });
  }
  // A new API token is selected when focused, ready to copy.
  for (const input of document.querySelectorAll("[data-select-on-focus]")) {
    input.addEventListener("focus", () => input.select());
  }
  // A long list of checkboxes (data-searchable) gets a box that filters it as you type;
  // ticked names stay visible. Without this file the whole list shows.
  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  let searchables = 0;
  for (const fieldset of document.querySelectorAll("fieldset[data-searchable]")) {
    const options = Array.from(fieldset.querySelectorAll("input[type=checkbox]"));
    const legend = fieldset.querySelector("legend");
    if (!options.length || !legend) continue;
    searchables += 1;
    const id = `choice-filter-${searchables}`;
    const wrapper = document.createElement("div");
    wrapper.className = "choice-filter";
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = fieldset.dataset.filterLabel || "";
    const box = document.createElement("input");
    box.type = "search";
    box.id = id;
    box.autocomplete = "off";
    wrapper.append(label, box);
    legend.after(wrapper);
    box.addEventListener("input", () => {
      const wanted = fold(box.value.trim());
      for (const option of options) {
        const row = option.closest("div") || option.parentElement;
        const text = fold(row.textContent || "");
        row.hidden = Boolean(wanted) && !option.checked && !text.includes(wanted);
      }
    });
  }
});
// The installable app: pages that link a manifest register the service worker, which keeps
// the shell and an offline page (core/app_views.py). Without it everything still works.
if ("serviceWorker" in navigator && document.querySelector("link[rel=manifest]")) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => undefined);
  });
}
