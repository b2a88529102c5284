// Progressive enhancement of the tear-rating forms on a work page: the forms work
// without JavaScript (POST, then redirect back); with it, they post in the background
// and the rating panel is replaced in place by the server's fresh HTML.
(function () {
  "use strict";

  function status(panel, text) {
    var line = panel.querySelector("[data-rating-status]");
    if (line) line.textContent = text;
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
        var holder = document.createElement("div");
        holder.innerHTML = answer.data.html;
        var fresh = holder.firstElementChild;
        panel.replaceWith(fresh);
        status(fresh, answer.data.message);
        var checked = fresh.querySelector("input[name=tears]:checked");
        (checked || fresh.querySelector("h2")).focus({ preventScroll: true });
      })
      .catch(function () {
        status(panel, "Network trouble: your rating was not saved. Please try again.");
        buttons.forEach(function (button) { button.disabled = false; });
      });
  }

  document.addEventListener("submit", submit);
})();
