// The composer's live preview: as the person types or ticks an account, the server renders
// the preview fragment again (sharing/views_composer.py), so the page never counts or
// composes a post differently from the publishing task. Without this script the
// "Preview" button does the same with a full page.
"use strict";
(() => {
  const DELAY_MS = 350;
  document.addEventListener("DOMContentLoaded", () => {
    const region = document.getElementById("composer-preview");
    const form = region && region.closest("form");
    if (!form || !window.fetch) return;
    const button = form.querySelector("[data-preview-button]");
    if (button) button.hidden = true;
    let timer = 0;
    let sent = 0;
    const refresh = async () => {
      const number = ++sent;
      try {
        const answer = await fetch(region.dataset.previewUrl, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { "X-Requested-With": "fetch" },
        });
        // An answer to an older request must not replace a newer one.
        if (!answer.ok || number !== sent) return;
        const html = await answer.text();
        if (number !== sent) return;
        const parsed = new DOMParser().parseFromString(html, "text/html");
        region.replaceChildren(...parsed.body.childNodes);
      } catch (error) {
        if (button) button.hidden = false; // offline: the button still previews
      }
    };
    const later = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, DELAY_MS);
    };
    form.addEventListener("input", (event) => {
      if (event.target.name === "message") later();
    });
    form.addEventListener("change", (event) => {
      if (event.target.name === "accounts") later();
    });
  });
})();
