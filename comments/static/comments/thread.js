// Reply, Edit and Flag in place. Without JavaScript each of these links opens a page with
// its form, and that stays the one source of the forms: with it, a click fetches that
// page, takes its form and shows it under the comment. The form posts in the background
// (Accept: application/json); field errors show in the form, and a failed or stale post
// (403, 429, a network error) keeps the typed text. A posted reply or edit opens the
// comment where it now stands (its URL from the answer); a flag just says thank you.
// An empty comment is refused before anything is sent, in every comment form.
// The messages come from the data-msg-* attributes of the thread, translated by the
// template (comments/_script_messages.html).
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser || !window.FormData) return;

  function message(element, name) {
    var holder = element.closest("[data-comment-messages]") ||
      document.querySelector("[data-comment-messages]");
    return holder ? holder.getAttribute("data-msg-" + name) || "" : "";
  }

  function plainClick(event) {
    return event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey && !event.altKey;
  }

  // Ids (and what points at them) get a suffix, so that the form under a comment never
  // clashes with the thread's own comment form, or with another open form.
  function renameIds(form, suffix) {
    form.querySelectorAll("[id]").forEach(function (element) { element.id += suffix; });
    form.querySelectorAll("label[for]").forEach(function (label) { label.htmlFor += suffix; });
    form.querySelectorAll("[aria-describedby]").forEach(function (element) {
      var ids = element.getAttribute("aria-describedby").split(/\s+/).filter(Boolean);
      element.setAttribute("aria-describedby", ids.map(function (id) { return id + suffix; }).join(" "));
    });
  }

  function close(box) {
    var link = box.kcryLink;
    box.remove();
    if (link) link.setAttribute("aria-expanded", "false");
    return link;
  }

  function open(link) {
    var article = link.closest("article.comment");
    var kind = link.getAttribute("data-comment-action");
    var current = article.querySelector(":scope > .comment-inline");
    if (current) {
      var sameKind = current.getAttribute("data-kind") === kind;
      close(current);
      if (sameKind) { link.focus(); return; }
    }
    if (link.getAttribute("aria-busy") === "true") return;
    link.setAttribute("aria-busy", "true");
    fetch(link.href, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
      .then(function (response) {
        // Anything but the form page itself (an error, the log-in page): go there.
        if (!response.ok || response.redirected) throw new Error("no form");
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var found = page.querySelector(".comment-page form[method=post]");
        if (!found) throw new Error("no form");
        var form = document.importNode(found, true);
        var heading = page.querySelector(".comment-page h1");
        if (heading) form.setAttribute("aria-label", heading.textContent.trim());
        form.setAttribute("data-inline-form", kind);
        renameIds(form, "-" + kind + "-" + article.id);
        var box = document.createElement("div");
        box.className = "comment-inline";
        box.setAttribute("data-kind", kind);
        box.kcryLink = link;
        box.appendChild(form);
        article.appendChild(box);
        link.setAttribute("aria-expanded", "true");
        var first = form.querySelector("textarea, input:not([type=hidden])");
        if (first) first.focus();
      })
      .catch(function () { window.location.href = link.href; })
      .then(function () { link.removeAttribute("aria-busy"); });
  }

  function statusLine(form) {
    var line = form.querySelector(":scope > [data-inline-status]");
    if (!line) {
      line = document.createElement("p");
      line.className = "inline-status";
      line.setAttribute("data-inline-status", "");
      line.setAttribute("role", "alert");
      form.insertBefore(line, form.firstChild);
    }
    return line;
  }

  function clearErrors(form) {
    form.querySelectorAll("[data-inline-error]").forEach(function (list) { list.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (field) { field.removeAttribute("aria-invalid"); });
    var line = form.querySelector(":scope > [data-inline-status]");
    if (line) line.remove();
  }

  function say(form, text, isError) {
    var line = statusLine(form);
    line.textContent = text;
    line.classList.toggle("message-error", Boolean(isError));
  }

  // errors: {field name: [messages]} as comments.views.form_errors_json answers.
  function showErrors(form, errors, summary) {
    clearErrors(form);
    say(form, summary, true);
    Object.keys(errors || {}).forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (!field || name === "__all__") return;
      var first = field.length !== undefined && !field.tagName ? field[0] : field;
      if (!first || first.type === "hidden") return;
      var list = document.createElement("ul");
      list.className = "errorlist";
      list.setAttribute("data-inline-error", "");
      errors[name].forEach(function (text) {
        var item = document.createElement("li");
        item.textContent = text;
        list.appendChild(item);
      });
      var group = first.type === "radio" ? first.closest("fieldset") : null;
      if (group) {
        var legend = group.querySelector("legend");
        group.insertBefore(list, legend ? legend.nextSibling : group.firstChild);
        group.querySelectorAll("input[type=radio]").forEach(function (radio) {
          radio.setAttribute("aria-invalid", "true");
        });
      } else {
        first.parentNode.insertBefore(list, first);
        first.setAttribute("aria-invalid", "true");
      }
    });
  }

  function post(form) {
    if (form.getAttribute("aria-busy") === "true") return;
    var button = form.querySelector("button[type=submit], button:not([type])");
    form.setAttribute("aria-busy", "true");
    if (button) button.disabled = true;
    clearErrors(form);
    say(form, message(form, "sending"), false);
    function done() {
      form.removeAttribute("aria-busy");
      if (button) button.disabled = false;
    }
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" },
      credentials: "same-origin"
    })
      .then(function (response) {
        return response.json().then(
          function (data) { return { status: response.status, ok: response.ok, data: data || {} }; },
          function () { return { status: response.status, ok: false, data: {} }; }
        );
      })
      .then(function (answer) {
        var data = answer.data;
        if (answer.ok && data.comment && data.comment.url) {
          // The reply or the edited comment where it now stands, on whatever page.
          window.location.assign(data.comment.url);
          return;
        }
        done();
        if (answer.ok) {
          var box = form.closest(".comment-inline");
          var note = document.createElement("p");
          note.className = "message";
          note.setAttribute("role", "status");
          note.textContent = message(form, "flagged");
          var link = close(box);
          (link ? link.closest("article.comment") : document.body).appendChild(note);
          return;
        }
        var text = data.error || message(form, "failed");
        if (!data.errors || answer.status !== 400) text += " " + message(form, "kept");
        showErrors(form, data.errors, text);
      })
      .catch(function () {
        done();
        showErrors(form, {}, message(form, "network") + " " + message(form, "kept"));
      });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-comment-action]");
    if (link && plainClick(event)) {
      event.preventDefault();
      open(link);
      return;
    }
    var cancel = event.target.closest(".comment-inline [data-comment-cancel]");
    if (cancel && plainClick(event)) {
      event.preventDefault();
      var back = close(cancel.closest(".comment-inline"));
      if (back) back.focus();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var inline = form.hasAttribute("data-inline-form");
    if (!inline && !form.classList.contains("comment-form")) return;
    var body = form.querySelector("textarea[name=body]");
    if (body && !body.value.trim()) {
      event.preventDefault();
      showErrors(form, { body: [message(form, "empty")] }, message(form, "empty"));
      body.focus();
      return;
    }
    if (!inline) return; // the thread's own comment form posts as a page
    event.preventDefault();
    post(form);
  });
})();
