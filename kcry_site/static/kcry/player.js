// The work page's click-to-load player (kcry_site/pages/player.py, pages/_player.html).
//
// Until the visitor clicks, the page loads nothing from YouTube or Vimeo: the player is
// a plain link to the video. On click it becomes the privacy-enhanced embed, and every
// element with data-seek="<seconds>" (a comment's "jump to 3:07", a tear-map bar, one's
// own marks) loads the player if needed and seeks it through the players' documented
// postMessage interfaces. No third-party script runs in our page.
//
// Once the player is loaded, the tear map's form offers "I cried here": the player
// reports where it is (YouTube: after {"event":"listening"} it sends
// {"event":"infoDelivery","info":{"currentTime":…}}; Vimeo: after
// {"method":"addEventListener","value":"playProgress"} it sends
// {"event":"playProgress","data":{"seconds":…}}), and the button posts that second as a
// tear mark (JSON answer), then redraws the map from the page's own fragment. Messages
// are accepted only from the loaded player's frame and its embed origin.
(function () {
  "use strict";
  var LISTENER_ID = "kcry-player";
  var EMBEDS = {
    youtube: {
      origin: "https://www.youtube-nocookie.com",
      src: function (id, start) {
        return "https://www.youtube-nocookie.com/embed/" + encodeURIComponent(id) +
          "?enablejsapi=1&autoplay=1&start=" + start +
          "&origin=" + encodeURIComponent(window.location.origin);
      },
      seek: function (seconds) {
        return [
          { event: "command", func: "seekTo", args: [seconds, true] },
          { event: "command", func: "playVideo", args: [] },
        ];
      },
      subscribe: function () {
        return [{ event: "listening", id: LISTENER_ID, channel: "widget" }];
      },
      timeOf: function (data) {
        var info = data.event === "infoDelivery" && data.info;
        return info && typeof info.currentTime === "number" ? info.currentTime : null;
      },
    },
    vimeo: {
      origin: "https://player.vimeo.com",
      src: function (id, start) {
        return "https://player.vimeo.com/video/" + encodeURIComponent(id) +
          "?dnt=1&autoplay=1#t=" + start + "s";
      },
      seek: function (seconds) {
        return [{ method: "setCurrentTime", value: seconds }, { method: "play" }];
      },
      subscribe: function () {
        return [{ method: "addEventListener", value: "playProgress" }];
      },
      timeOf: function (data) {
        var progress = data.event === "playProgress" && data.data;
        return progress && typeof progress.seconds === "number" ? progress.seconds : null;
      },
    },
  };

  var figure = document.querySelector("[data-player]");
  if (!figure) return;
  var embed = EMBEDS[figure.getAttribute("data-provider")];
  var videoId = figure.getAttribute("data-video-id");
  if (!embed || !videoId) return;
  var iframe = null;
  var currentTime = null; // seconds, as last reported by the player
  var heard = false; // the player answered our subscription

  function guardClosed() {
    // Content notes first: a player inside a closed note guard is not offered yet.
    var guard = figure.closest("details");
    return guard !== null && !guard.open;
  }

  function send(messages) {
    if (iframe === null || !iframe.contentWindow) return;
    messages.forEach(function (message) {
      iframe.contentWindow.postMessage(JSON.stringify(message), embed.origin);
    });
  }

  function subscribe() {
    // The players ignore messages sent before they are ready: ask again until one answers.
    var tries = 0;
    (function again() {
      if (heard || iframe === null || tries++ > 20) return;
      send(embed.subscribe());
      window.setTimeout(again, 500);
    })();
  }

  window.addEventListener("message", function (event) {
    if (iframe === null || event.source !== iframe.contentWindow) return;
    if (event.origin !== embed.origin) return;
    var data = event.data;
    if (typeof data === "string") {
      try {
        data = JSON.parse(data);
      } catch (error) {
        return;
      }
    }
    if (!data || typeof data !== "object") return;
    heard = true;
    if (data.event === "ready") send(embed.subscribe()); // Vimeo: ready for listeners
    var seconds = embed.timeOf(data);
    if (seconds !== null && isFinite(seconds) && seconds >= 0) currentTime = seconds;
  });

  function load(start) {
    iframe = document.createElement("iframe");
    iframe.src = embed.src(videoId, Math.max(0, Math.floor(start || 0)));
    iframe.title = figure.querySelector("[data-player-start]").textContent.trim();
    iframe.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    iframe.setAttribute("allowfullscreen", "");
    iframe.referrerPolicy = "strict-origin-when-cross-origin";
    iframe.className = "player-frame";
    iframe.addEventListener("load", subscribe);
    var startLink = figure.querySelector("[data-player-start]");
    startLink.replaceWith(iframe);
    figure.classList.add("is-loaded");
    offerTearNow();
  }

  function seek(seconds) {
    if (iframe === null) {
      load(seconds); // the embed starts at that second
    } else {
      send(embed.seek(seconds));
      currentTime = seconds;
    }
    figure.scrollIntoView({ block: "nearest" });
  }

  // A link to "#t=185" (from /moments/) starts the player there once it is pressed; the
  // page itself still loads nothing from the video site before the click.
  var linked = /^#t=(\d{1,6})$/.exec(window.location.hash);
  var startAt = linked ? parseInt(linked[1], 10) : 0;

  figure.querySelector("[data-player-start]").addEventListener("click", function (event) {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    load(startAt);
  });

  // --- seek controls (delegated: the tear map is redrawn after a mark) -----------------

  function seekControl(target) {
    var control = target && target.closest ? target.closest("[data-seek]") : null;
    if (!control || !control.classList.contains("can-seek")) return null;
    return control;
  }

  function prepare(root) {
    root.querySelectorAll("[data-seek]").forEach(function (control) {
      if (isNaN(parseInt(control.getAttribute("data-seek"), 10))) return;
      control.classList.add("can-seek");
      if (control.tagName !== "A") {
        control.setAttribute("role", "button");
        control.setAttribute("tabindex", "0");
      }
    });
  }

  function go(control, event) {
    if (guardClosed()) return; // the plain link (if any) still works
    if (event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    seek(parseInt(control.getAttribute("data-seek"), 10));
  }

  document.addEventListener("click", function (event) {
    var control = seekControl(event.target);
    if (control) go(control, event);
  });
  document.addEventListener("keydown", function (event) {
    var control = seekControl(event.target);
    if (control && control.tagName !== "A" && (event.key === "Enter" || event.key === " ")) {
      go(control, event);
    }
  });
  prepare(document);

  // --- "I cried here" ------------------------------------------------------------------

  function moment(seconds) {
    var s = Math.floor(seconds);
    var hours = Math.floor(s / 3600);
    var minutes = Math.floor((s % 3600) / 60);
    var secs = s % 60;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return hours ? hours + ":" + pad(minutes) + ":" + pad(secs) : minutes + ":" + pad(secs);
  }

  function tearMap() {
    return document.querySelector("[data-tear-map]");
  }

  function status(text) {
    var line = tearMap() && tearMap().querySelector("[data-tear-status]");
    if (line) line.textContent = text;
  }

  function offerTearNow() {
    var map = tearMap();
    var button = map && map.querySelector("[data-tear-now]");
    if (!button || iframe === null) return;
    button.hidden = false;
    if (button.getAttribute("data-bound")) return;
    button.setAttribute("data-bound", "1");
    button.addEventListener("click", function () { cryHere(button); });
  }

  function redraw(note) {
    // The page's own fragment, so the bars, the summary and one's marks stay as the
    // server draws them (and in the page's language).
    return fetch(window.location.pathname, {
      headers: { Accept: "text/html" },
      credentials: "same-origin",
      cache: "no-store",
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-tear-map]");
        if (!fresh) throw new Error("no tear map");
        var old = tearMap();
        fresh = document.importNode(fresh, true);
        old.replaceWith(fresh);
        prepare(fresh);
        offerTearNow();
        status(note);
        var button = fresh.querySelector("[data-tear-now]");
        if (button) button.focus({ preventScroll: true });
      });
  }

  function cryHere(button) {
    var map = tearMap();
    var form = button.form || (map && map.querySelector("form[data-tear-add]"));
    if (!form) return;
    if (currentTime === null) {
      status(map.querySelector("[data-tear-status]").getAttribute("data-msg-unknown"));
      return;
    }
    var failed = map.querySelector("[data-tear-status]").getAttribute("data-msg-failed");
    form.querySelector("[name=at]").value = moment(currentTime);
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (answer) {
          if (!response.ok) {
            status(answer.error || failed);
            button.disabled = false;
            return;
          }
          return redraw(answer.message || "").catch(function () {
            window.location.reload();
          });
        });
      })
      .catch(function () {
        status(failed);
        button.disabled = false;
      });
  }
})();
