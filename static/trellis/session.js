// Health information must not outlive the session in the browser. htmx's history cache is
// off (htmx-config in base.html); this also clears whatever this site stored earlier, and
// everything it stored once no one is signed in (after sign-out or the idle timeout).
(function () {
  "use strict";
  function clearStorage() {
    try {
      window.sessionStorage.clear();
      window.localStorage.clear();
    } catch (e) {
      // Storage can be disabled by the browser: then there is nothing to clear.
    }
  }
  try {
    window.sessionStorage.removeItem("htmx-history-cache");
    window.localStorage.removeItem("htmx-history-cache");
  } catch (e) {
    // As above.
  }
  if (document.body && document.body.dataset.signedIn !== "true") {
    clearStorage();
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-sign-out")) {
      clearStorage();
    }
  });
})();
