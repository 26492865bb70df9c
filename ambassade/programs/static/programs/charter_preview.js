// Live preview of the charter while it is written: the server renders and sanitises the
// Markdown (programs/charter.py), so what is shown here is exactly what people will read.
// Without JavaScript the "Preview" button does the same through a form submission.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-preview-url]");
  if (!form) return;
  const token = form.querySelector("input[name=csrfmiddlewaretoken]");
  for (const field of form.querySelectorAll("textarea[data-preview]")) {
    const target = document.getElementById(field.dataset.preview);
    if (!target) continue;
    let timer = null;
    let asked = 0;
    const refresh = async () => {
      const body = new FormData();
      body.append("text", field.value);
      if (token) body.append("csrfmiddlewaretoken", token.value);
      const mine = ++asked;
      try {
        const response = await fetch(form.dataset.previewUrl, {
          method: "POST",
          body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": token ? token.value : "" },
        });
        // An older answer arriving after a newer one is dropped.
        if (response.ok && mine === asked) target.innerHTML = await response.text();
      } catch (error) {
        // Offline or server down: the preview simply stays as it was.
      }
    };
    field.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 350);
    });
    refresh();
  }
});
