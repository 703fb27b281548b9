/* Browse filters: a ticked facet applies at once, empty fields stay out of the shareable URL, and
 * the control that was changed gets focus back after the page reloads with the new results. */
(() => {
  "use strict";

  const form = document.querySelector("[data-search-form]");
  if (!form) return;
  const panel = document.querySelector("[data-filters]");
  const REFOCUS_KEY = "cuemarket:refocus";

  form.addEventListener("formdata", (event) => {
    const data = event.formData;
    for (const name of new Set(data.keys())) {
      if (data.getAll(name).every((value) => value === "")) data.delete(name);
    }
  });

  let timer = 0;
  document.addEventListener("change", (event) => {
    const control = event.target;
    if (!(control instanceof HTMLElement) || control.form !== form) return;
    const instant = control.type === "checkbox" || control.type === "radio" || control.tagName === "SELECT";
    if (!instant) return;
    sessionStorage.setItem(REFOCUS_KEY, JSON.stringify({ name: control.name, value: control.value }));
    clearTimeout(timer);
    // A short pause lets several boxes be ticked in a row before the results reload.
    timer = setTimeout(() => form.requestSubmit(), 350);
  });

  let saved = null;
  try {
    saved = JSON.parse(sessionStorage.getItem(REFOCUS_KEY) || "null");
  } catch (error) {
    saved = null;
  }
  sessionStorage.removeItem(REFOCUS_KEY);

  const narrow = window.matchMedia("(max-width: 1000px)").matches;
  const hasErrors = panel && panel.querySelector(".field-error");
  if (panel && narrow && !saved && !hasErrors) panel.open = false;

  if (saved) {
    const selector = `[form="${form.id}"][name="${CSS.escape(saved.name)}"]`;
    const target = [...document.querySelectorAll(selector)].find(
      (el) => el.tagName === "SELECT" || el.value === saved.value
    );
    if (target) target.focus();
    const count = document.getElementById("results-count");
    if (count) document.getElementById("announcer").textContent = count.textContent.trim().replace(/\s+/g, " ");
  }
})();
