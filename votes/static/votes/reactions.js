// Progressive enhancement of a list's reaction buttons. Without JavaScript each button
// posts and the page comes back; with it, the press posts in the background and the
// counts, the total and which button is yours are updated from the JSON answer.
// Pressing your current reaction again takes it back (the server decides).
// The messages come from the section's data-msg-* attributes, translated by the template.
(function () {
  "use strict";

  function submit(event) {
    var form = event.target.closest("[data-reaction-form]");
    if (!form || !window.fetch || !window.FormData) return;
    var section = form.closest("[data-reactions]");
    if (!section) return;
    event.preventDefault();
    if (section.getAttribute("aria-busy") === "true") return;
    var body = new FormData(form);
    var submitter = event.submitter;
    if (submitter && submitter.name) body.set(submitter.name, submitter.value);
    var line = section.querySelector("[data-reaction-status]");
    function say(text) { if (line) line.textContent = text; }
    section.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: body,
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" },
      credentials: "same-origin"
    })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (answer) {
        section.removeAttribute("aria-busy");
        var data = answer.data;
        if (!answer.ok) {
          if (data.login_url) { window.location.href = data.login_url; return; }
          say(data.error || section.getAttribute("data-msg-failed"));
          return;
        }
        form.querySelectorAll("button[name=reaction]").forEach(function (button) {
          var count = button.querySelector("[data-reaction-count]");
          if (count && button.value in data.counts) count.textContent = String(data.counts[button.value]);
          button.setAttribute("aria-pressed", button.value === data.reaction ? "true" : "false");
          button.removeAttribute("title");
        });
        var total = section.querySelector("[data-reaction-total]");
        if (total && data.total_text) total.textContent = data.total_text;
        say(data.message);
      })
      .catch(function () {
        section.removeAttribute("aria-busy");
        say(section.getAttribute("data-msg-network"));
      });
  }

  document.addEventListener("submit", submit);
})();
