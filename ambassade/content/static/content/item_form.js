// The item form shows the job and event fields only for those kinds (all stay without JS).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const kind = document.getElementById("id_kind");
  const sections = document.querySelectorAll("[data-for-kind]");
  if (!kind || !sections.length) return;
  const update = () => {
    for (const section of sections) section.hidden = section.dataset.forKind !== kind.value;
  };
  kind.addEventListener("change", update);
  update();
});
