// "Use my location" on the finder (docs/finder.md): the browser's position fills the form's
// hidden lat/lon fields for this one search and is never stored. Without JavaScript or
// geolocation the button stays hidden and the ZIP code does the job.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var button = document.querySelector("[data-use-location]");
    if (!button || !("geolocation" in navigator)) return;
    var form = button.closest("form");
    var status = form.querySelector("[data-location-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = button.dataset.finding || "…";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          form.querySelector("[name=lat]").value = position.coords.latitude.toFixed(4);
          form.querySelector("[name=lon]").value = position.coords.longitude.toFixed(4);
          form.querySelector("[name=zip]").value = "";
          form.submit();
        },
        function () {
          status.textContent = button.dataset.failed || "";
        },
        { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
      );
    });
  });
})();

// The comparison's "Print" button (no inline script: CSP).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });
})();
