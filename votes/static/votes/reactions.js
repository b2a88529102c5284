// Progressive enhancement of a list's reaction buttons. Without JavaScript each button
// posts and the page comes back; with it, the press posts in the background and the
// counts, the total and which button is yours are updated from the JSON answer.
// Pressing your current reaction again takes it back (the server decides).
// The messages come from the section's data-msg-* attributes, translated by the template.
// The post itself is votes/post.js (kcryPost), loaded before this script.
(function () {
  "use strict";

  function submit(event) {
    var form = event.target.closest("[data-reaction-form]");
    if (!form || !window.fetch || !window.FormData || !window.kcryPost) return;
    var section = form.closest("[data-reactions]");
    if (!section) return;
    event.preventDefault();
    var body = new FormData(form);
    var submitter = event.submitter;
    if (submitter && submitter.name) body.set(submitter.name, submitter.value);
    var line = section.querySelector("[data-reaction-status]");
    function say(text) { if (line) line.textContent = text; }
    window.kcryPost(section, form.action, body, function (data) {
      form.querySelectorAll("button[name=reaction]").forEach(function (button) {
        var count = button.querySelector("[data-reaction-count]");
        if (count && button.value in data.counts) count.textContent = String(data.counts[button.value]);
        button.setAttribute("aria-pressed", button.value === data.reaction ? "true" : "false");
        button.removeAttribute("title");
      });
      var total = section.querySelector("[data-reaction-total]");
      if (total && data.total_text) total.textContent = data.total_text;
      say(data.message);
    }, say);
  }

  document.addEventListener("submit", submit);
})();
