// Mock-interview page: countdown from the server's remaining time, autosave on unload,
// Ctrl+Enter to submit, focus in the answer box. The server owns the deadline; this only shows it.
(function () {
  "use strict";
  let timerHandle = null;

  function setup(root) {
    const stage = root.querySelector ? (root.id === "interview-stage" ? root : root.querySelector("#interview-stage")) : null;
    if (!stage) return;
    const form = stage.querySelector("[data-interview-form]");
    const box = form && form.querySelector("textarea[name=answer]");
    if (box) {
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
      box.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          form.requestSubmit();
        }
      });
    }
    startTimer(stage, form);
  }

  function startTimer(stage, form) {
    if (timerHandle) clearInterval(timerHandle);
    const timer = stage.querySelector(".timer");
    if (!timer || timer.dataset.remaining === "") return;
    // Count against the monotonic clock from the moment the server's figure arrived: changing the
    // computer's clock changes nothing, and a reload asks the server again.
    const endAt = performance.now() + Number(timer.dataset.remaining) * 1000;
    const announce = stage.querySelector("[data-timer-announce]");
    const warning = stage.querySelector("[data-timer-warning]");
    let warned = Number(timer.dataset.remaining) <= 60;
    let submitted = false;
    if (warned && warning) warning.hidden = false;
    function tick() {
      const left = Math.max(0, Math.ceil((endAt - performance.now()) / 1000));
      timer.textContent = window.mlprep.clock(left);
      if (left <= 60 && !warned) {
        warned = true;
        timer.classList.add("warning");
        if (warning) warning.hidden = false;
        if (announce) announce.textContent = "One minute left.";
      }
      if (left <= 60) timer.classList.add("warning");
      if (left === 0 && !submitted) {
        submitted = true;
        clearInterval(timerHandle);
        if (announce) announce.textContent = "Time is up. Submitting your answer.";
        if (form) {
          form.dataset.autoSubmitted = "1";
          form.requestSubmit();
        }
      }
    }
    tick();
    timerHandle = setInterval(tick, 250);
  }

  // Save the last keystrokes when the page is left or reloaded (the debounced autosave may not have run).
  window.addEventListener("pagehide", function () {
    const box = document.querySelector("#interview-stage textarea[name=answer]");
    // The token htmx sends (base.html's hx-headers): a stage swapped in by htmx has no token field.
    const token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
    if (!box || !token || !box.dataset.draftUrl) return;
    const data = new FormData();
    data.append("csrfmiddlewaretoken", token);
    data.append("answer", box.value);
    navigator.sendBeacon(box.dataset.draftUrl, data);
  });

  document.addEventListener("DOMContentLoaded", function () { setup(document); });
  document.body.addEventListener("htmx:load", function (event) { setup(event.detail.elt); });
})();
