// The work page's click-to-load player (kcry_site/pages/player.py, pages/_player.html).
//
// Until the visitor clicks, the page loads nothing from YouTube or Vimeo: the player is
// a plain link to the video. On click it becomes the privacy-enhanced embed, and every
// element with data-seek="<seconds>" (a comment's tear moment, a tear-map bar, one's own
// marks) loads the player if needed and seeks it through the players' documented
// postMessage interfaces. No third-party script runs in our page.
(function () {
  "use strict";
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
    },
  };

  var figure = document.querySelector("[data-player]");
  if (!figure) return;
  var embed = EMBEDS[figure.getAttribute("data-provider")];
  var videoId = figure.getAttribute("data-video-id");
  if (!embed || !videoId) return;
  var iframe = null;

  function guardClosed() {
    // Content notes first: a player inside a closed note guard is not offered yet.
    var guard = figure.closest("details");
    return guard !== null && !guard.open;
  }

  function load(start) {
    iframe = document.createElement("iframe");
    iframe.src = embed.src(videoId, Math.max(0, Math.floor(start || 0)));
    iframe.title = figure.querySelector("[data-player-start]").textContent.trim();
    iframe.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    iframe.setAttribute("allowfullscreen", "");
    iframe.referrerPolicy = "strict-origin-when-cross-origin";
    iframe.className = "player-frame";
    var startLink = figure.querySelector("[data-player-start]");
    startLink.replaceWith(iframe);
    figure.classList.add("is-loaded");
  }

  function seek(seconds) {
    if (iframe === null) {
      load(seconds); // the embed starts at that second
    } else {
      embed.seek(seconds).forEach(function (message) {
        iframe.contentWindow.postMessage(JSON.stringify(message), embed.origin);
      });
    }
    figure.scrollIntoView({ block: "nearest" });
  }

  figure.querySelector("[data-player-start]").addEventListener("click", function (event) {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    load(0);
  });

  document.querySelectorAll("[data-seek]").forEach(function (control) {
    var seconds = parseInt(control.getAttribute("data-seek"), 10);
    if (isNaN(seconds)) return;
    control.classList.add("can-seek");
    if (control.tagName !== "A") {
      control.setAttribute("role", "button");
      control.setAttribute("tabindex", "0");
    }
    function go(event) {
      if (guardClosed()) return; // the plain link (if any) still works
      if (event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      seek(seconds);
    }
    control.addEventListener("click", go);
    control.addEventListener("keydown", function (event) {
      if (control.tagName !== "A" && (event.key === "Enter" || event.key === " ")) go(event);
    });
  });
})();
