/* The reports page: while a version is queued or running, fetch the versions table again
   every few seconds and swap it in, so the status and the download link appear without a
   reload. Without JavaScript the page shows a "Refresh now" link instead. The status
   sentence is copied into a live region that stays in place, so screen readers hear it. */
(function () {
  "use strict";
  var container = document.getElementById("report-versions");
  if (!container || !window.fetch) { return; }
  var url = container.getAttribute("data-versions-url");
  var interval = parseInt(container.getAttribute("data-poll-interval"), 10) || 4000;
  var announcer = document.getElementById("versions-announce");
  var failures = 0;

  function inProgress() {
    var versions = container.querySelector("[data-in-progress]");
    return versions && versions.getAttribute("data-in-progress") === "true";
  }

  function announce() {
    var status = container.querySelector(".versions-status");
    var ready = container.querySelector(".versions-ready");
    if (announcer) {
      announcer.textContent = (inProgress() ? (status && status.textContent) : (ready && ready.textContent)) || "";
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        // A redirect means the session ended (login page): keep the table as it is.
        if (!response.ok || response.redirected) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (html) {
        failures = 0;
        container.innerHTML = html;
        announce();
        if (inProgress()) { window.setTimeout(poll, interval); }
      })
      .catch(function () {
        // A few failures in a row (e.g. logged out): stop; the refresh link still works.
        failures += 1;
        if (failures < 5) { window.setTimeout(poll, interval * 2); }
      });
  }

  if (inProgress()) { window.setTimeout(poll, interval); }
})();
