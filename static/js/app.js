// Shared by the clocks of answer_box.js (stopwatch) and interview.js (countdown): 125 -> "2:05".
window.mlprep = Object.freeze({
  clock: function (seconds) {
    return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  },
});

// Every page: when an htmx request fails (the server errs, the session ended, the connection
// dropped), say so at the top of the page. htmx swaps nothing on an error, so what the user typed
// stays where it is; the message says so. It goes away once the same element's request succeeds.
(function () {
  "use strict";
  const KEPT = " What you typed is still here.";
  let failedElt = null;

  function messageFor(xhr, box, elt) {
    // Practice and review answers are kept in this browser until sent (answer_box.js).
    const inBrowser = Boolean(elt && elt.querySelector && elt.querySelector("textarea[data-local-draft]"));
    if (!xhr || xhr.status === 0) {
      return { text: "Could not reach the server, so nothing was sent." + KEPT + " Check your connection and try again." };
    }
    if (xhr.status === 401) {
      return {
        text: "You are logged out (the session ended, or you logged out in another tab), so nothing was saved." + (inBrowser
          ? " Your answer is kept in this browser: log in again and it will be back in the box."
          : KEPT + " Copy it, log in again in a new tab, then send it again here."),
        link: { href: box.dataset.loginUrl, label: "Log in in a new tab" },
      };
    }
    if (xhr.status === 403) {
      return { text: "This form had expired (you logged in or out in another tab), so nothing was saved." + (inBrowser
        ? " Reload the page: your answer is kept in this browser and comes back in the box."
        : KEPT + " Copy it, reload the page and send it again.") };
    }
    if (xhr.status === 404) {
      return { text: "This is no longer here, so nothing was saved. Reload the page to see where things stand." };
    }
    return { text: "Something went wrong on our side and nothing was saved." + KEPT + " Try again in a moment." };
  }

  function show(elt, xhr) {
    const box = document.getElementById("request-error");
    if (!box) return;
    const message = messageFor(xhr, box, elt);
    failedElt = elt;
    box.replaceChildren(document.createTextNode(message.text));
    if (message.link) {
      const a = document.createElement("a");
      a.href = message.link.href;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = message.link.label;
      box.append(" ", a);
    }
    box.hidden = false;
  }

  document.body.addEventListener("htmx:responseError", function (event) {
    show(event.detail.elt, event.detail.xhr);
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    show(event.detail.elt, null);
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    const box = document.getElementById("request-error");
    if (box && event.detail.successful && (event.detail.elt === failedElt || !document.contains(failedElt))) {
      box.hidden = true;
      failedElt = null;
    }
  });
})();

// Sign-up: the browser's time zone, so that the new account's days start at its midnight.
(function () {
  "use strict";
  const field = document.querySelector("form input[type=hidden][name=time_zone]");
  if (!field || field.value) return;
  try {
    field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) {
    // No Intl: the site's time zone stays; the profile page can set one.
  }
})();
