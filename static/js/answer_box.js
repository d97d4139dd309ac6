// Practice and review answer boxes (textarea[data-local-draft]). What is typed is kept in this
// browser until it is sent, so a reload, a closed tab, a dropped connection or an ended session
// loses nothing; Ctrl+Enter (Cmd+Enter) sends. Mock interviews keep their drafts on the server
// instead (interview.js). A draft is keyed by the account and the page, goes once the answer is
// accepted, after 30 days, or when this browser logs out (forms marked data-clears-drafts).
// Beside the question, a stopwatch counts the time on this answer against the suggested time
// (templates/interviews/_stopwatch.html); it stops when the answer is accepted and never blocks it.
(function () {
  "use strict";
  const PREFIX = "mlprep:draft:";
  const MAX_AGE_MS = 30 * 24 * 3600 * 1000;
  const SAVE_DELAY_MS = 300;
  let leaving = false;  // logging out: no later save (a pending one, the page's last) brings a draft back

  function store() {
    try {
      return window.localStorage;  // null, or a throw, when the browser refuses storage
    } catch (e) {
      return null;
    }
  }

  function read(storage, key) {
    try {
      const draft = JSON.parse(storage.getItem(key) || "null");
      return draft && typeof draft.text === "string" && typeof draft.at === "number" ? draft : null;
    } catch (e) {
      return null;
    }
  }

  function write(storage, key, text) {
    if (leaving) return;
    try {
      if (text.trim()) storage.setItem(key, JSON.stringify({ text: text, at: Date.now() }));
      else storage.removeItem(key);
    } catch (e) {
      // Storage full or refused: the answer is still in the box; nothing else to do.
    }
  }

  function ourKeys(storage) {
    const keys = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key && key.startsWith(PREFIX)) keys.push(key);
    }
    return keys;
  }

  function prune(storage) {
    const now = Date.now();
    ourKeys(storage).forEach(function (key) {
      const draft = read(storage, key);
      if (!draft || now - draft.at > MAX_AGE_MS) storage.removeItem(key);
    });
  }

  function showRestored(box, storage, key, draft) {
    const note = document.createElement("p");
    note.className = "draft-note";
    note.setAttribute("role", "status");
    note.dataset.draftNote = "";
    const when = new Date(draft.at).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
    note.append("Your unsent answer from " + when + " is back in the box. ");
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "link";
    discard.textContent = "Discard it";
    discard.addEventListener("click", function () {
      box.value = "";
      storage.removeItem(key);
      note.remove();
      box.focus();
    });
    note.append(discard);
    box.before(note);
  }

  function bind(box, storage) {
    if (box.dataset.localDraftBound) return;
    box.dataset.localDraftBound = "1";
    const key = PREFIX + box.dataset.localDraft;
    const form = box.form;
    const draft = read(storage, key);
    if (draft && !box.value) {
      box.value = draft.text;
      showRestored(box, storage, key, draft);
    } else if (box.value) {
      write(storage, key, box.value);  // the server sent the text back (a form error): keep it
    }
    let timer = null;
    function save() {
      clearTimeout(timer);
      // A box the swap took away was sent: saving it now would bring back an accepted answer.
      if (document.contains(box)) write(storage, key, box.value);
    }
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(save, SAVE_DELAY_MS);
    });
    // The last keystrokes, when the page is left before the delay ran out.
    window.addEventListener("pagehide", save);
    if (form) {
      form.addEventListener("submit", save);
      box.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          form.requestSubmit();
        }
      });
    }
  }

  function startStopwatch(watch) {
    if (watch.dataset.started) return;
    watch.dataset.started = "1";
    const shown = watch.querySelector("[data-stopwatch-time]");
    const over = watch.querySelector("[data-stopwatch-over]");
    const suggested = Number(watch.dataset.suggested) || 0;
    const began = performance.now();  // monotonic: changing the computer's clock changes nothing
    let handle = null;
    function tick() {
      // Stopped once the answer box beside it has gone (the feedback came back).
      if (!watch.parentElement || !watch.parentElement.querySelector("textarea[data-local-draft]")) {
        clearInterval(handle);
        over.hidden = true;
        return;
      }
      const seconds = Math.floor((performance.now() - began) / 1000);
      shown.textContent = window.mlprep.clock(seconds);
      const late = suggested > 0 && seconds > suggested;
      shown.classList.toggle("warning", late);
      over.hidden = !late;
    }
    watch.hidden = false;
    tick();
    handle = setInterval(tick, 250);
  }

  function setup(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("[data-stopwatch]").forEach(startStopwatch);
    const storage = store();
    if (!storage) return;
    root.querySelectorAll("textarea[data-local-draft]").forEach(function (box) { bind(box, storage); });
  }

  // An answer sent with htmx: once the swap has taken its form away (the feedback came back), the
  // answer was accepted and its draft goes. A form sent back with an error keeps its box, and the draft.
  // (A form swapped away gets its afterRequest on the nearest element left, so the form that asked
  // is looked up as requestConfig.elt, not detail.elt.)
  const pending = new Map();  // the requesting element -> its draft's key
  function requester(event) {
    return event.detail.requestConfig ? event.detail.requestConfig.elt : event.detail.elt;
  }
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    const elt = requester(event);
    const box = elt && elt.querySelector && elt.querySelector("textarea[data-local-draft]");
    if (box) pending.set(elt, box.dataset.localDraft);
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    const elt = requester(event);
    const name = pending.get(elt);
    pending.delete(elt);
    const storage = store();
    if (name === undefined || !storage || !event.detail.successful) return;
    const stillThere = Array.from(document.querySelectorAll("textarea[data-local-draft]"))
      .some(function (box) { return box.dataset.localDraft === name; });
    if (!stillThere) storage.removeItem(PREFIX + name);
  });

  // Logging out (or deleting the account) in this browser takes every draft with it.
  document.addEventListener("submit", function (event) {
    const storage = store();
    if (storage && event.target.matches && event.target.matches("form[data-clears-drafts]")) {
      leaving = true;
      ourKeys(storage).forEach(function (key) { storage.removeItem(key); });
    }
  });

  const storage = store();
  if (storage) prune(storage);
  setup(document);
  document.body.addEventListener("htmx:load", function (event) { setup(event.detail.elt); });
})();
