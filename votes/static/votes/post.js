// The one background post of votes' panels (rating.js, reactions.js load after it).
//
// kcryPost(box, url, body, done, say) posts the form data `body` to `url` asking for JSON,
// with `box` marked busy meanwhile (a press while it is busy is ignored). On success it
// calls done(data); a refusal that carries `login_url` goes to log in; any other refusal
// says the answer's `error` (else the box's data-msg-failed), and a failed request the
// box's data-msg-network, through say(text).
(function () {
  "use strict";
  if (window.kcryPost) return;

  window.kcryPost = function (box, url, body, done, say) {
    // Busy, not disabled: disabling the clicked button would take the keyboard focus away.
    if (box.getAttribute("aria-busy") === "true") return;
    box.setAttribute("aria-busy", "true");
    function idle() {
      box.removeAttribute("aria-busy");
    }
    fetch(url, {
      method: "POST",
      body: body,
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" },
      credentials: "same-origin"
    })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (answer) {
        idle();
        if (!answer.ok) {
          if (answer.data.login_url) { window.location.href = answer.data.login_url; return; }
          say(answer.data.error || box.getAttribute("data-msg-failed") || "");
          return;
        }
        done(answer.data);
      })
      .catch(function () {
        idle();
        say(box.getAttribute("data-msg-network") || "");
      });
  };
})();
