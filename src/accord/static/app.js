// Accord's small helpers: CSRF header for htmx, readable errors, "/" to search, note autosave.
(function () {
  "use strict";
  function cookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }
  function flash(text) {
    var box = document.getElementById("flash");
    if (!box) { return; }
    box.textContent = text;
    box.hidden = false;
    clearTimeout(box._t);
    box._t = setTimeout(function () { box.hidden = true; }, 8000);
  }
  document.addEventListener("htmx:configRequest", function (e) {
    var token = cookie("csrftoken");
    if (token) { e.detail.headers["x-csrftoken"] = token; }
  });
  document.addEventListener("htmx:beforeSwap", function (e) {
    // A request that ended on the sign-in page (session expired): go there instead of swapping it in.
    var url = e.detail.xhr.responseURL || "";
    if (url && new URL(url).pathname === "/login") {
      e.detail.shouldSwap = false;
      window.location.assign(url);
    }
  });
  document.addEventListener("htmx:responseError", function (e) {
    var xhr = e.detail.xhr;
    var doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    var p = doc.querySelector("main p");
    flash(p ? p.textContent : "Something went wrong (" + xhr.status + ").");
  });
  document.addEventListener("htmx:sendError", function () { flash("The server could not be reached."); });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      var box = document.getElementById("global-search");
      if (box) { e.preventDefault(); box.focus(); box.select(); }
    }
  });
  function autosave(root) {
    (root || document).querySelectorAll("textarea[data-autosave]").forEach(function (area) {
      if (area.dataset.bound) { return; }
      area.dataset.bound = "1";
      var key = "accord:" + area.dataset.autosave;
      try { if (!area.value && localStorage.getItem(key)) { area.value = localStorage.getItem(key); } } catch (err) { return; }
      area.addEventListener("input", function () { try { localStorage.setItem(key, area.value); } catch (err) { /* full */ } });
      area.form && area.form.addEventListener("htmx:afterRequest", function (ev) {
        if (ev.detail.successful) { try { localStorage.removeItem(key); } catch (err) { /* ignore */ } }
      });
    });
  }
  function charts() {
    if (!window.Chart) { return; }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = JSON.parse(canvas.dataset.chart);
      var colors = ["#5b6b7f", "#2d7ea8", "#c27c0e", "#c0362c"];
      new window.Chart(canvas, {
        type: "bar",
        data: { labels: spec.labels, datasets: spec.series.map(function (s, i) {
          return { label: s.label, data: s.data, backgroundColor: colors[i % colors.length], maxBarThickness: 48 };
        }) },
        options: { responsive: true, maintainAspectRatio: false, animation: false,
          scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
      });
    });
  }
  function awaitTriage() {
    // A case page showing "triage pending" asks every 2 s whether triage is done, then swaps in the
    // refreshed messages (#messages) without reloading the page, so nothing typed elsewhere is lost.
    var found = window.location.pathname.match(/^\/cases\/(ACC-\d+)$/);
    if (!found || !document.querySelector("#messages .triage.pending")) { return; }
    var tries = 0;
    var timer = setInterval(function () {
      tries += 1;
      if (tries > 60) { clearInterval(timer); return; }
      fetch("/cases/" + found[1] + "/triage-ready", { credentials: "same-origin" }).then(function (answer) {
        if (answer.status !== 200) { return; }
        clearInterval(timer);
        return fetch(window.location.pathname, { credentials: "same-origin" }).then(function (page) {
          return page.text();
        }).then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("messages");
          var current = document.getElementById("messages");
          if (fresh && current) {
            current.replaceWith(fresh);
            if (window.htmx) { window.htmx.process(fresh); }
          }
        });
      }).catch(function () { /* offline for a moment: ask again next time */ });
    }, 2000);
  }
  document.addEventListener("DOMContentLoaded", function () { autosave(document); charts(); awaitTriage(); });
  document.addEventListener("htmx:load", function (e) { autosave(e.detail.elt); });
})();
