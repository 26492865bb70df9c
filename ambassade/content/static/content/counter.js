// Live character counts of a suggested message; the server's count on save is the reference
// (ambassade/content/limits.py: the page hands its RULES over in data-rules, one per network
// the sharing app registered, in their order).
"use strict";
(() => {
  const URL = /https?:\/\/[^\s<>"]+/gi;
  const xWeight = (text) => {
    let total = 0;
    for (const char of text) {
      const code = char.codePointAt(0);
      const light = code <= 4351 || (code >= 8192 && code <= 8205) || (code >= 8208 && code <= 8223) || (code >= 8242 && code <= 8247);
      total += light ? 1 : 2;
    }
    return total;
  };
  const graphemes = (text) => {
    if (typeof Intl !== "undefined" && Intl.Segmenter) {
      return [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)].length;
    }
    return [...text].length;
  };
  const count = (text, rule) => {
    if (rule.short_mentions) text = text.replace(/(@[\w.]+)@[\w.-]+\.\w+/g, "$1");
    if (rule.graphemes) return graphemes(text);
    const urls = rule.url_length === null ? 0 : (text.match(URL) || []).length;
    if (urls) text = text.replace(URL, "");
    return (rule.weighted ? xWeight(text) : [...text].length) + (rule.url_length || 0) * urls;
  };
  document.addEventListener("DOMContentLoaded", () => {
    for (const output of document.querySelectorAll("[data-count-for]")) {
      const field = document.getElementById(output.dataset.countFor);
      const networkField = document.getElementById(output.dataset.networkField);
      if (!field) continue;
      let rules = [];
      try {
        rules = JSON.parse(output.dataset.rules || "[]");
      } catch {
        continue; // no rules, no live count: the server's count on save remains
      }
      const update = () => {
        const text = field.value + (output.dataset.url ? `\n\n${output.dataset.url}` : "");
        const chosen = networkField ? networkField.value : "any";
        const one = rules.filter((rule) => rule.code === chosen);
        output.replaceChildren(...(one.length ? one : rules).map((rule) => {
          const used = count(text, rule);
          const badge = document.createElement("span");
          badge.className = `badge ${used > rule.limit ? "badge-danger" : "badge-muted"}`;
          badge.textContent = `${rule.name} ${used}/${rule.limit}`;
          return badge;
        }));
      };
      field.addEventListener("input", update);
      if (networkField) networkField.addEventListener("change", update);
      update();
    }
  });
})();
