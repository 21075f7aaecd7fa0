// Rootward console: live progress of the audit on the Accounts page. The
// page works without it (reload to see new results); with it, rows and
// counts change as accounts finish. Served from the binary; no inline code.
(function () {
  "use strict";
  var box = document.getElementById("audit-status");
  if (!box || box.dataset.running !== "true") { return; }
  var generation = box.dataset.generation;
  var seq = Number(box.dataset.seq || 0);
  var filtered = box.dataset.filtered === "true";
  // Rendered before the accounts were listed: reload once they are.
  var unlisted = box.dataset.phase === "listing";
  function set(id, text) {
    var el = document.getElementById(id);
    if (el) { el.textContent = String(text); }
  }
  function poll() {
    fetch("/accounts/progress?since=" + seq, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (p) {
        if (String(p.generation) !== generation || (unlisted && p.phase !== "listing")) { location.reload(); return; }
        seq = p.seq;
        set("audit-done", p.done);
        set("audit-total", p.total);
        var bar = document.getElementById("audit-progress");
        if (bar) { bar.max = Math.max(p.total, 1); bar.value = p.done; }
        Object.keys(p.counts).forEach(function (k) {
          var el = document.querySelector('[data-count="' + k + '"]');
          if (el) { el.textContent = String(p.counts[k]); }
        });
        p.rows.forEach(function (row) {
          var tr = document.querySelector('tr[data-account="' + row.account_id + '"]');
          if (!tr) { return; }
          var cell = tr.querySelector("td.class");
          if (cell) {
            var badge = document.createElement("span");
            badge.className = "badge " + row["class"];
            badge.textContent = row["class"];
            cell.replaceChildren(badge);
          }
          var detail = tr.querySelector("td.detail");
          if (detail) {
            detail.textContent = row.error_code ? "" : new DOMParser().parseFromString(row.summary, "text/html").body.textContent;
            if (row.error_code) {
              var code = document.createElement("code");
              code.className = "error-code";
              code.textContent = row.error_code;
              detail.replaceChildren(code);
            }
          }
        });
        if (p.phase === "done" || p.phase === "failed") {
          if (filtered || p.phase === "failed" || p.total === 0) { location.reload(); return; }
          box.dataset.running = "false";
          box.replaceChildren();
          var done = document.createElement("p");
          done.className = "muted";
          done.setAttribute("role", "status");
          done.textContent = "Audit of " + p.total + " accounts done.";
          box.appendChild(done);
          var pending = document.querySelector('[data-count="pending"]');
          if (pending && pending.closest("li")) { pending.closest("li").remove(); }
          return;
        }
        setTimeout(poll, 300);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 200);
})();
