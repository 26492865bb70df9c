// Live character counts of a suggested message; the server's count on save is the reference
// (ambassade/content/limits.py holds the same rules).
"use strict";
(() => {
  const LIMITS = { linkedin: 3000, x: 280, bluesky: 300, mastodon: 500 };
  // Brand names, the same in every language (content/models.py Network).
  const NAMES = { linkedin: "LinkedIn", x: "X", bluesky: "Bluesky", mastodon: "Mastodon" };
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
  const count = (text, network) => {
    const urls = (text.match(URL) || []).length;
    if (network === "x") return xWeight(text.replace(URL, "")) + 23 * urls;
    if (network === "mastodon") {
      const short = text.replace(/(@[\w.]+)@[\w.-]+\.\w+/g, "$1");
      return [...short.replace(URL, "")].length + 23 * (short.match(URL) || []).length;
    }
    if (network === "bluesky") return graphemes(text);
    return [...text].length;
  };
  document.addEventListener("DOMContentLoaded", () => {
    for (const output of document.querySelectorAll("[data-count-for]")) {
      const field = document.getElementById(output.dataset.countFor);
      const networkField = document.getElementById(output.dataset.networkField);
      if (!field) continue;
      const update = () => {
        const text = field.value + (output.dataset.url ? `\n\n${output.dataset.url}` : "");
        const chosen = networkField ? networkField.value : "any";
        const networks = chosen in LIMITS ? [chosen] : Object.keys(LIMITS);
        output.replaceChildren(...networks.map((network) => {
          const used = count(text, network);
          const badge = document.createElement("span");
          badge.className = `badge ${used > LIMITS[network] ? "badge-danger" : "badge-muted"}`;
          badge.textContent = `${NAMES[network]} ${used}/${LIMITS[network]}`;
          return badge;
        }));
      };
      field.addEventListener("input", update);
      if (networkField) networkField.addEventListener("change", update);
      update();
    }
  });
})();
