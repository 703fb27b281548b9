/* The creator studio and the custom-edit panel.
 *
 * Example prompts fill the prompt box; the instrument chips can be searched. The prompt form posts with
 * fetch and shows the new job at once (without script it posts and redirects). While any job on the page
 * is queued or running, its state is polled about once a second: progress bars and stage words move in
 * place, and a take that finishes turns into a row with the audition player.
 */
(() => {
  "use strict";

  const POLL_MS = 1000;
  const HIDDEN_POLL_MS = 5000;
  let timer = 0;

  const announce = (text) => {
    const region = document.getElementById("announcer");
    if (region) region.textContent = text;
  };

  const fromHTML = (html) => {
    const box = document.createElement("template");
    box.innerHTML = html.trim();
    return box.content.firstElementChild;
  };

  const json = async (url, options = {}) => {
    const response = await fetch(url, {
      credentials: "same-origin",
      ...options,
      headers: { Accept: "application/json", ...(options.headers || {}) },
    });
    let data = {};
    try {
      data = await response.json();
    } catch (error) {
      data = {};
    }
    return { ok: response.ok, status: response.status, data };
  };

  /* --- the prompt form ------------------------------------------------------------------------- */

  function bindForm(form) {
    if (!form) return;
    const prompt = form.querySelector("textarea[name=prompt]");
    for (const link of form.querySelectorAll("[data-example]")) {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        prompt.value = link.dataset.example;
        prompt.focus();
      });
    }
    bindInstruments(form);
    form.addEventListener("submit", (event) => submitForm(event, form));
  }

  function bindInstruments(form) {
    const filter = form.querySelector("[data-instrument-filter]");
    const count = form.querySelector("[data-instrument-count]");
    const none = form.querySelector("[data-instrument-none]");
    const boxes = [...form.querySelectorAll("input[name=instruments]")];
    const recount = () => {
      const n = boxes.filter((box) => box.checked).length;
      if (!count) return;
      count.textContent = String(n);
      count.hidden = n === 0;
    };
    for (const box of boxes) box.addEventListener("change", recount);
    const clear = form.querySelector("[data-instrument-clear]");
    if (clear) {
      clear.addEventListener("click", () => {
        for (const box of boxes) box.checked = false;
        recount();
      });
    }
    if (!filter) return;
    filter.addEventListener("input", () => {
      const words = filter.value.trim().toLowerCase();
      let shown = 0;
      for (const group of form.querySelectorAll("[data-instrument-group]")) {
        let inGroup = 0;
        for (const chip of group.querySelectorAll("[data-instrument]")) {
          const match = !words || chip.dataset.instrument.includes(words);
          chip.hidden = !match;
          if (match) inGroup += 1;
        }
        group.hidden = inGroup === 0;
        shown += inGroup;
      }
      if (none) none.hidden = shown > 0;
    });
    // Enter in the search box would submit the whole form.
    filter.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();
    });
  }

  async function submitForm(event, form) {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    const note = form.querySelector("[data-submit-note]");
    if (button.disabled) return;
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    if (note) note.textContent = "Queuing…";
    let answer;
    try {
      answer = await json(form.action, { method: "POST", body: new FormData(form) });
    } catch (error) {
      form.submit(); // the network failed: let the browser post it the ordinary way
      return;
    }
    button.disabled = false;
    form.removeAttribute("aria-busy");
    if (answer.status === 201 && answer.data.html) {
      addJob(answer.data.html);
      showQuota(answer.data.quota);
      if (note) note.textContent = answer.data.message;
      announce(answer.data.message);
      clearErrors(form);
      poll();
      return;
    }
    if (answer.data.form) {
      const box = form.parentElement;
      box.innerHTML = answer.data.form;
      const fresh = box.querySelector("[data-studio-form]");
      bindForm(fresh);
      const first = fresh.querySelector("#quota-error, [aria-invalid=true], .field-invalid input, .field-invalid textarea, .field-invalid select");
      if (first) first.focus();
      return;
    }
    form.submit();
  }

  // The allowance card follows the jobs: what is queued or running, and the audio asked for today.
  function showQuota(quota) {
    if (!quota) return;
    for (const node of document.querySelectorAll("[data-quota]")) {
      const value = quota[node.dataset.quota];
      if (value !== undefined) node.textContent = String(value);
    }
  }

  function clearErrors(form) {
    for (const node of form.querySelectorAll(".field-error, .errorlist")) node.remove();
    for (const node of form.querySelectorAll(".field-invalid")) node.classList.remove("field-invalid");
    for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  }

  function addJob(html) {
    const list = document.querySelector("[data-jobs]");
    if (!list) return;
    const job = fromHTML(html);
    list.prepend(job);
    const empty = document.querySelector("[data-jobs-empty]");
    if (empty) empty.hidden = true;
    bindJob(job);
  }

  /* --- cancel and retry ------------------------------------------------------------------------ */

  function bindJob(job) {
    for (const form of job.querySelectorAll("form[data-job-action]")) {
      if (form.dataset.bound) continue;
      form.dataset.bound = "1";
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        let answer;
        try {
          answer = await json(form.action, { method: "POST", body: new FormData(form) });
        } catch (error) {
          form.submit();
          return;
        }
        if (!answer.data.html) {
          form.submit();
          return;
        }
        const fresh = fromHTML(answer.data.html);
        job.replaceWith(fresh);
        bindJob(fresh);
        document.dispatchEvent(new Event("player:scan"));
        if (answer.data.error) showJobError(fresh, answer.data.error);
        else announce(fresh.dataset.status === "cancelled" ? "Job cancelled." : "Job queued again.");
        poll();
        job = fresh;
      });
    }
  }

  function showJobError(job, text) {
    const head = job.querySelector("[data-job-head] .job-what");
    if (!head) return;
    const p = document.createElement("p");
    p.className = "job-error";
    p.setAttribute("role", "alert");
    p.textContent = text;
    head.append(p);
  }

  /* --- live progress --------------------------------------------------------------------------- */

  function activeIds() {
    return [...document.querySelectorAll("[data-job][data-active=true]")].map((job) => job.dataset.job);
  }

  function poll() {
    clearTimeout(timer);
    if (!activeIds().length) return;
    timer = setTimeout(tick, document.hidden ? HIDDEN_POLL_MS : POLL_MS);
  }

  async function tick() {
    const ids = activeIds();
    const list = document.querySelector("[data-status-url]");
    if (!ids.length || !list) return;
    let answer;
    try {
      answer = await json(`${list.dataset.statusUrl}?ids=${ids.join(",")}`);
    } catch (error) {
      poll(); // a dropped request: look again next time
      return;
    }
    if (answer.ok) {
      showQuota(answer.data.quota);
      const seen = new Set();
      for (const state of answer.data.jobs || []) {
        seen.add(state.id);
        update(state);
      }
      // Jobs the server no longer answers for (deleted) stop being followed.
      for (const id of ids) {
        if (!seen.has(id)) {
          const job = document.querySelector(`[data-job="${id}"]`);
          if (job) job.dataset.active = "false";
        }
      }
    }
    poll();
  }

  function update(state) {
    const job = document.querySelector(`[data-job="${state.id}"]`);
    if (!job) return;
    let added = false;
    const head = job.querySelector("[data-job-head]");
    if (head && head.dataset.status !== state.status) {
      // Replaced only when the status moves, so a button under the pointer or the focus stays put.
      head.replaceWith(fromHTML(state.head));
      bindJob(job);
      if (state.status === "failed") announce(`A job failed: ${state.error_message}`);
    } else if (head && state.status === "running") {
      const words = head.querySelector(".job-status");
      if (words) words.textContent = state.stage_label;
    }
    job.dataset.status = state.status;
    job.className = job.className.replace(/\bjob-\w+\b/, `job-${state.status}`);
    job.dataset.active = String(state.active);
    for (const item of state.variations) {
      const row = job.querySelector(`[data-variation="${item.index}"]`);
      if (!row) continue;
      if (item.html && row.dataset.status !== item.status) {
        const fresh = fromHTML(item.html);
        row.replaceWith(fresh);
        if (item.status === "done") {
          added = true;
          announce(`${fresh.dataset.title || "A take"} is ready to play.`);
        }
        continue;
      }
      if (item.html) continue;
      row.dataset.status = item.status;
      const bar = row.querySelector("[data-progress]");
      const stage = row.querySelector("[data-stage]");
      const percent = row.querySelector("[data-percent]");
      const value = Math.round(item.progress * 100);
      if (bar) {
        bar.value = value;
        bar.textContent = `${value}%`;
      }
      if (stage) stage.textContent = item.label;
      if (percent) percent.textContent = `${value}%`;
      row.className = `variation variation-${item.status}`;
    }
    if (added) document.dispatchEvent(new Event("player:scan"));
  }

  function init() {
    bindForm(document.querySelector("[data-studio-form]"));
    for (const job of document.querySelectorAll("[data-job]")) bindJob(job);
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) poll();
    });
    poll();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
