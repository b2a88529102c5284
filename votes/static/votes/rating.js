// Progressive enhancement of the tear-rating forms on a work page: the forms work
// without JavaScript (POST, then redirect back); with it, they post in the background
// and the panel's figures, histogram and "your rating" words are updated in place from
// the JSON answer (`stats` and `text`). When the panel's shape changes (the work's first
// rating or its last one withdrawn, the member's own rating given or withdrawn, which
// adds or takes away the withdraw form), the page's fresh panel is fetched instead.
(function () {
  "use strict";

  function status(panel, text) {
    var line = panel.querySelector("[data-rating-status]");
    if (line) line.textContent = text;
  }

  function setText(panel, selector, text) {
    var node = panel.querySelector(selector);
    if (node) node.textContent = text;
  }

  // True when the panel's markup already has a place for every figure of the answer.
  function sameShape(panel, data) {
    var hasFigures = !!panel.querySelector("[data-rating-mean]");
    var hasWithdraw = !!panel.querySelector("[data-rating-withdraw]");
    return hasFigures === data.stats.count > 0 && hasWithdraw === (data.tears !== null);
  }

  function updateInPlace(panel, data) {
    var stats = data.stats;
    var text = data.text;
    setText(panel, "[data-rating-mean]", text.mean);
    setText(panel, "[data-rating-count]", text.count);
    setText(panel, "[data-rating-tissues]", text.tissues);
    setText(panel, "[data-rating-legend]", text.legend);
    setText(panel, "[data-rating-submit]", text.button);
    var rated = panel.querySelector("[data-rating-date]");
    if (rated && text.rated) {
      rated.textContent = text.rated.text;
      rated.setAttribute("datetime", text.rated.datetime);
    }
    var top = 1;
    Object.keys(stats.histogram).forEach(function (value) {
      top = Math.max(top, stats.histogram[value]);
    });
    panel.querySelectorAll("[data-rating-bar]").forEach(function (row) {
      var value = row.getAttribute("data-rating-bar");
      var count = stats.histogram[value] || 0;
      var svg = row.querySelector("svg");
      var rect = row.querySelector("rect");
      if (svg && rect) {
        var full = Number(svg.getAttribute("width")) || 0;
        rect.setAttribute("width", String(Math.round(full * count / top)));
      }
      var cell = row.querySelector("td.num");
      if (cell && cell.firstChild) {
        cell.firstChild.nodeValue = count + " ";
        var share = cell.querySelector(".meta");
        if (share) share.textContent = "(" + text.percent[Number(value)] + "%)";
      }
    });
    panel.querySelectorAll("input[name=tears]").forEach(function (input) {
      input.checked = data.tears !== null && Number(input.value) === data.tears;
    });
  }

  function refetchPanel(panel, message) {
    // The work page's own panel, as a reload would show it (the answer above is saved).
    return fetch(window.location.pathname, {
      headers: { "Accept": "text/html" },
      credentials: "same-origin"
    })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.querySelector("[data-rating-panel]");
        if (!fresh) { status(panel, message); return panel; }
        fresh = document.importNode(fresh, true);
        // Scripts in parsed HTML do not run again; this one is already listening.
        fresh.querySelectorAll("script").forEach(function (script) { script.remove(); });
        panel.replaceWith(fresh);
        status(fresh, message);
        return fresh;
      })
      .catch(function () { status(panel, message); return panel; });
  }

  function submit(event) {
    var form = event.target.closest("[data-rating-form]");
    if (!form || !window.fetch) return;
    event.preventDefault();
    var panel = form.closest("[data-rating-panel]");
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (button) { button.disabled = true; });
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" },
      credentials: "same-origin"
    })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (answer) {
        if (!answer.ok) {
          if (answer.data.login_url) { window.location.href = answer.data.login_url; return; }
          status(panel, answer.data.error || "Your rating was not saved.");
          buttons.forEach(function (button) { button.disabled = false; });
          return;
        }
        var data = answer.data;
        if (sameShape(panel, data)) {
          updateInPlace(panel, data);
          status(panel, data.message);
          buttons.forEach(function (button) { button.disabled = false; });
          var checked = panel.querySelector("input[name=tears]:checked");
          (checked || panel.querySelector("h2")).focus({ preventScroll: true });
          return;
        }
        return refetchPanel(panel, data.message).then(function (fresh) {
          var checked = fresh.querySelector("input[name=tears]:checked");
          (checked || fresh.querySelector("h2")).focus({ preventScroll: true });
        });
      })
      .catch(function () {
        status(panel, "Network trouble: your rating was not saved. Please try again.");
        buttons.forEach(function (button) { button.disabled = false; });
      });
  }

  document.addEventListener("submit", submit);
})();
