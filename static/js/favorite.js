/* Favourite hearts: the form posts without a reload and the heart updates in place. Without script,
 * or when the request fails, the form submits normally and the page comes back with the new state. */
(() => {
  "use strict";

  const announce = (text) => {
    const region = document.getElementById("announcer");
    if (region) region.textContent = text;
  };

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("[data-favorite]")) return;
    event.preventDefault();
    const button = form.querySelector("button");
    if (button.getAttribute("aria-busy") === "true") return;
    button.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(`favourite failed: ${response.status}`);
      const { favorite } = await response.json();
      // The same track can appear twice on a page (the big player and a row): keep every heart in step.
      for (const other of document.querySelectorAll("form[data-favorite]")) {
        if (other.action !== form.action) continue;
        other.querySelector("button").setAttribute("aria-pressed", String(favorite));
        other.querySelector("input[name=favorite]").value = favorite ? "0" : "1";
      }
      const title = form.closest("[data-track]")?.dataset.title || "Track";
      announce(favorite ? `${title} added to your favourites` : `${title} removed from your favourites`);
    } catch (error) {
      form.submit();
    } finally {
      button.removeAttribute("aria-busy");
    }
  });
})();
