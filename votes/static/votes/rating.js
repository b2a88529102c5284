// Progressive enhancement of the tear-rating panel on a work page.
//
// Without JavaScript each tear value is a submit button: one click posts the rating and
// the page comes back with "Undo". With it, the click posts in the background, the panel's
// figures are updated in place from the answer's JSON figures (`stats`: count, mean,
// histogram; `texts`: the plural sentences in the page's language), and the status line
// offers "Undo", which posts the answer's `previous` rating (or withdraws a new one).
// The messages come from the panel's data-msg-* attributes, translated by the template.
// The post itself is votes/post.js (kcryPost), loaded before this script.
(function () {
  "use strict";

  function message(panel, key) {
    return panel.getAttribute("data-msg-" + key) || "";
  }

  function roundHalfEven(x) {
    // Python's round(), so the percentages match the server-drawn panel.
    var r = Math.round(x);
    if (Math.abs(x % 1) === 0.5 && r % 2 !== 0) r -= 1;
    return r;
  }

  function status(panel, text, undo) {
    var line = panel.querySelector("[data-rating-status]");
    if (!line) return;
    line.textContent = text;
    if (undo) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link-button undo-button";
      button.textContent = message(panel, "undo");
      button.addEventListener("click", function () {
        var form = panel.querySelector("form.tear-form[data-rating-form]");
        var data = new FormData();
        var token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
        if (token) data.append("csrfmiddlewaretoken", token.value);
        data.append("tears", undo.previous === null ? "" : String(undo.previous));
        // The Undo button goes away with the new status: keep the focus in the panel.
        var pressed = panel.querySelector("button[name=tears][aria-pressed=true]");
        post(panel, form.action, data);
        (pressed || panel.querySelector("h2")).focus({ preventScroll: true });
      });
      line.appendChild(document.createTextNode(" "));
      line.appendChild(button);
    }
  }

  function showFigures(panel, stats, texts) {
    var n = stats.count || 0;
    panel.querySelectorAll("[data-stat-shown]").forEach(function (el) { el.hidden = !n; });
    var empty = panel.querySelector("[data-stat-empty]");
    if (empty) empty.hidden = !!n;
    var mean = panel.querySelector("[data-stat=mean]");
    if (mean) mean.textContent = n ? Number(stats.mean).toFixed(2) : "";
    var count = panel.querySelector("[data-stat=count]");
    if (count && texts) count.textContent = texts.count;
    var total = panel.querySelector("[data-stat=total]");
    if (total && texts) total.textContent = texts.total;
    var table = panel.querySelector("[data-bar-width]");
    var barWidth = table ? Number(table.getAttribute("data-bar-width")) : 160;
    var values = Object.keys(stats.histogram).map(function (key) { return stats.histogram[key]; });
    var top = Math.max.apply(null, values.concat([0])) || 1;
    panel.querySelectorAll("tr[data-tears]").forEach(function (row) {
      var c = stats.histogram[row.getAttribute("data-tears")] || 0;
      row.querySelector("[data-bar-count]").textContent = String(c);
      row.querySelector("[data-bar-percent]").textContent = String(n ? roundHalfEven(100 * c / n) : 0);
      var rect = row.querySelector("rect");
      if (rect) rect.setAttribute("width", String(roundHalfEven(barWidth * c / top)));
    });
  }

  function showOwn(panel, tears) {
    var label = "";
    panel.querySelectorAll("button[name=tears]").forEach(function (button) {
      var mine = tears !== null && button.value === String(tears);
      button.setAttribute("aria-pressed", mine ? "true" : "false");
      if (mine) label = button.getAttribute("data-label");
    });
    var legend = panel.querySelector("[data-own-legend]");
    if (legend) legend.textContent = message(panel, "your-rating") + (label ? ": " + label : "");
    var withdraw = panel.querySelector(".withdraw-form");
    if (withdraw) withdraw.hidden = tears === null;
    // A server-drawn "Undo" (from a save without JavaScript) is out of date now.
    var stale = panel.querySelector(".undo-form");
    if (stale) stale.remove();
  }

  function post(panel, url, body) {
    window.kcryPost(panel, url, body, function (data) {
      showFigures(panel, data.stats, data.texts);
      showOwn(panel, data.tears);
      var changed = data.previous !== data.tears;
      status(panel, data.message, changed ? { previous: data.previous } : null);
    }, function (text) {
      status(panel, text);
    });
  }

  function submit(event) {
    var form = event.target.closest("[data-rating-form]");
    if (!form || !window.fetch || !window.FormData || !window.kcryPost) return;
    var panel = form.closest("[data-rating-panel]");
    if (!panel) return;
    event.preventDefault();
    var body = new FormData(form);
    var submitter = event.submitter;
    if (submitter && submitter.name) body.set(submitter.name, submitter.value);
    post(panel, form.action, body);
  }

  document.addEventListener("submit", submit);
})();
