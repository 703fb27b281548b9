/* The audition player.
 *
 * Every element marked data-track holds a play button, a waveform canvas and a preview <audio>.
 * One preview plays at a time across the page. The waveform is drawn from the track's peaks JSON,
 * shows progress, and seeks by click, drag or arrow keys. The space bar plays or pauses the current
 * track (or the first one on the page) unless focus is on a control that uses the key itself.
 */
(() => {
  "use strict";

  const players = [];
  let current = null;

  const style = getComputedStyle(document.documentElement);
  const colour = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  const PLAYED = colour("--accent", "#4f46e5");
  const REST = "#c3c8d2";
  const HOVER = "rgba(79, 70, 229, 0.38)";
  const STEP_S = 5;

  const clock = (seconds) => {
    const s = Math.max(0, Math.round(seconds || 0));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  };

  const announce = (text) => {
    const region = document.getElementById("announcer");
    if (region) region.textContent = text;
  };

  class Player {
    constructor(root) {
      this.root = root;
      this.button = root.querySelector("[data-play]");
      this.canvas = root.querySelector("[data-wave]");
      this.audio = root.querySelector("[data-audio]");
      this.time = root.querySelector("[data-time]");
      this.title = root.dataset.title || "this track";
      this.knownDuration = parseFloat(root.dataset.duration) || 0;
      this.peaks = null;
      this.hover = null;
      this.pending = null;
      this.frame = 0;
      if (!this.audio) return;
      this.audio.controls = false;
      this.bindAudio();
      this.bindControls();
    }

    length() {
      const d = this.audio && this.audio.duration;
      return Number.isFinite(d) && d > 0 ? d : this.knownDuration;
    }

    position() {
      if (this.pending !== null) return this.pending;
      return this.audio ? this.audio.currentTime : 0;
    }

    isPlaying() {
      return this.audio && !this.audio.paused && !this.audio.ended;
    }

    bindAudio() {
      const a = this.audio;
      a.addEventListener("loadedmetadata", () => {
        if (this.pending !== null) {
          a.currentTime = Math.min(this.pending, this.length());
          this.pending = null;
        }
        this.draw();
      });
      a.addEventListener("play", () => {
        for (const other of players) if (other !== this && other.audio) other.audio.pause();
        makeCurrent(this);
        this.sync();
        this.loop();
      });
      a.addEventListener("pause", () => this.sync());
      a.addEventListener("ended", () => this.sync());
      a.addEventListener("timeupdate", () => this.syncPosition());
      a.addEventListener("seeked", () => this.draw());
      a.addEventListener("error", () => {
        if (!this.button) return;
        this.button.disabled = true;
        this.button.title = "Preview unavailable";
        this.sync();
      });
    }

    bindControls() {
      if (this.button) this.button.addEventListener("click", () => this.toggle());
      const c = this.canvas;
      if (!c) return;
      let dragging = false;
      c.addEventListener("pointerdown", (event) => {
        dragging = true;
        c.setPointerCapture(event.pointerId);
        this.seekTo(this.fractionAt(event) * this.length());
      });
      c.addEventListener("pointermove", (event) => {
        this.hover = this.fractionAt(event);
        if (dragging) this.seekTo(this.hover * this.length());
        else this.draw();
      });
      c.addEventListener("pointerup", () => {
        dragging = false;
        if (!this.isPlaying()) this.play();
      });
      c.addEventListener("pointerleave", () => {
        this.hover = null;
        this.draw();
      });
      c.addEventListener("keydown", (event) => this.onKey(event));
    }

    onKey(event) {
      const len = this.length();
      const moves = {
        ArrowRight: STEP_S, ArrowUp: STEP_S, ArrowLeft: -STEP_S, ArrowDown: -STEP_S,
        PageUp: len / 10, PageDown: -len / 10,
      };
      if (event.key in moves) this.seekTo(this.position() + moves[event.key]);
      else if (event.key === "Home") this.seekTo(0);
      else if (event.key === "End") this.seekTo(Math.max(0, len - 1));
      else if (event.key === " " || event.key === "Enter") this.toggle();
      else return;
      event.preventDefault();
      event.stopPropagation();
    }

    fractionAt(event) {
      const box = this.canvas.getBoundingClientRect();
      return Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
    }

    seekTo(seconds) {
      const target = Math.min(Math.max(0, seconds), this.length());
      if (this.audio.readyState >= 1) {
        this.pending = null;
        this.audio.currentTime = target;
      } else {
        // Metadata not loaded yet: remember the spot and apply it once the browser knows the file.
        this.pending = target;
      }
      this.syncPosition();
      this.draw();
    }

    play() {
      if (!this.audio || (this.button && this.button.disabled)) return;
      for (const other of players) if (other !== this && other.audio) other.audio.pause();
      makeCurrent(this);
      this.audio.preload = "auto";
      const started = this.audio.play();
      if (started) started.catch(() => this.sync());
    }

    toggle() {
      if (this.isPlaying()) {
        this.audio.pause();
        announce(`Paused ${this.title}`);
      } else {
        this.play();
        announce(`Playing ${this.title}`);
      }
    }

    sync() {
      const playing = this.isPlaying();
      if (this.button) this.button.setAttribute("aria-pressed", String(playing));
      this.root.classList.toggle("is-playing", playing);
      this.syncPosition();
      this.draw();
    }

    syncPosition() {
      const pos = this.position();
      const len = this.length();
      if (this.canvas) {
        this.canvas.setAttribute("aria-valuenow", String(Math.round(pos)));
        this.canvas.setAttribute("aria-valuetext", `${clock(pos)} of ${clock(len)}`);
      }
      if (this.time) this.time.textContent = current === this ? clock(pos) : "";
    }

    loop() {
      cancelAnimationFrame(this.frame);
      const tick = () => {
        this.draw();
        if (this.isPlaying()) this.frame = requestAnimationFrame(tick);
      };
      this.frame = requestAnimationFrame(tick);
    }

    async loadPeaks() {
      const url = this.canvas && this.canvas.dataset.peaks;
      if (!url || this.peaks) return;
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (!response.ok) return;
        const data = await response.json();
        const peaks = Array.isArray(data.peaks) ? data.peaks : [];
        const top = Math.max(0.05, ...peaks);
        this.peaks = peaks.map((p) => p / top);
        this.draw();
      } catch (error) {
        // The waveform stays a flat line; playback does not depend on it.
      }
    }

    draw() {
      const c = this.canvas;
      if (!c) return;
      const width = c.clientWidth;
      const height = c.clientHeight;
      if (!width || !height) return;
      const ratio = window.devicePixelRatio || 1;
      if (c.width !== Math.round(width * ratio) || c.height !== Math.round(height * ratio)) {
        c.width = Math.round(width * ratio);
        c.height = Math.round(height * ratio);
      }
      const ctx = c.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, width, height);
      const bar = 2;
      const step = 3;
      const count = Math.max(1, Math.floor(width / step));
      const len = this.length();
      const progress = len ? this.position() / len : 0;
      const peaks = this.peaks;
      for (let i = 0; i < count; i++) {
        let value = 0.06;
        if (peaks && peaks.length) {
          const from = Math.floor((i * peaks.length) / count);
          const to = Math.max(from + 1, Math.floor(((i + 1) * peaks.length) / count));
          for (let j = from; j < to && j < peaks.length; j++) value = Math.max(value, peaks[j]);
        }
        const h = Math.max(2, value * (height - 4));
        const x = i * step;
        const at = (x + bar / 2) / width;
        ctx.fillStyle = at <= progress ? PLAYED : this.hover !== null && at <= this.hover ? HOVER : REST;
        ctx.fillRect(x, (height - h) / 2, bar, h);
      }
    }
  }

  function makeCurrent(player) {
    if (current === player) return;
    const previous = current;
    current = player;
    if (previous) {
      previous.root.classList.remove("is-current");
      previous.syncPosition();
    }
    player.root.classList.add("is-current");
    player.syncPosition();
  }

  const usesSpace = "input, textarea, select, button, summary, audio, [contenteditable], [role=slider], [role=button], [role=checkbox], [role=radio]";

  document.addEventListener("keydown", (event) => {
    if (event.key !== " " || event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    const target = event.target;
    if (target instanceof Element && target.closest(usesSpace)) return;
    const player = current || players.find((p) => p.audio);
    if (!player) return;
    event.preventDefault();
    player.toggle();
  });

  const resized = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const player = players.find((p) => p.canvas === entry.target);
      if (player) player.draw();
    }
  });

  function init() {
    // Rows a page's script removed are forgotten; rows it added since the last look get a player.
    for (let i = players.length - 1; i >= 0; i--) {
      if (!players[i].root.isConnected) {
        if (players[i].audio) players[i].audio.pause();
        if (current === players[i]) current = null;
        players.splice(i, 1);
      }
    }
    for (const root of document.querySelectorAll("[data-track]")) {
      if (players.some((p) => p.root === root)) continue;
      const player = new Player(root);
      players.push(player);
      if (!player.canvas) continue;
      resized.observe(player.canvas);
      player.draw();
      // A page holds one page of results: each peaks file is a few kilobytes, so fetch them all now.
      player.loadPeaks();
    }
  }

  // A page that adds rows after loading (the studio, as renders finish) dispatches "player:scan".
  document.addEventListener("player:scan", init);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
