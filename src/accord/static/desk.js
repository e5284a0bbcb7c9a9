// The case page and call mode (issue 20): the coach guards Send, notes save as you type, a call timer,
// Ctrl+Enter for save and next, and links that open the folded step or form they point at.
(function () {
  "use strict";
  function cookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }

  // The coach guards the send: a blocking finding keeps Send off until a reason is typed (the server
  // refuses it anyway; this says so before the click).
  function guardSend() {
    var button = document.getElementById("send-reply");
    if (!button) { return; }
    var head = document.querySelector("#coach .coachhead");
    var blocking = head ? parseInt(head.dataset.blocking || "0", 10) : 0;
    var reason = document.getElementById("override-reason");
    var box = document.getElementById("override-box");
    var hint = document.getElementById("send-hint");
    var needReason = blocking > 0 && !(reason && reason.value.trim());
    button.disabled = needReason;
    if (box) { box.classList.toggle("needed", blocking > 0); }
    if (hint) { hint.textContent = needReason ? "Change the reply, or give a reason to send it anyway." : ""; }
  }

  // Open what a link points at: the facts form, a step folded inside its stage.
  function openTarget(id) {
    var el = document.getElementById(id);
    if (!el) { return; }
    for (var node = el; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") { node.open = true; }
    }
    var inner = el.querySelector("details");
    if (inner) { inner.open = true; }
  }

  // Call mode: notes saved as you type (debounced fetch with the CSRF header).
  function autosaveNotes() {
    var area = document.getElementById("call-notes");
    if (!area || !area.dataset.saveUrl) { return; }
    var status = document.getElementById("notes-status");
    var timer = null;
    var saved = area.value;
    function save() {
      timer = null;
      if (area.value === saved) { return; }
      var text = area.value;
      var body = new URLSearchParams({ notes: text, csrftoken: cookie("csrftoken") });
      fetch(area.dataset.saveUrl, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "x-csrftoken": cookie("csrftoken"), "X-Autosave": "1" }
      }).then(function (r) {
        if (!r.ok) { throw new Error(String(r.status)); }
        return r.text();
      }).then(function (msg) {
        saved = text;
        if (status) { status.textContent = msg; }
      }).catch(function (err) {
        if (status) { status.textContent = "Not saved yet (" + err.message + "); keep typing or press Save notes."; }
      });
    }
    area.addEventListener("input", function () {
      if (status) { status.textContent = "Saving…"; }
      clearTimeout(timer);
      timer = setTimeout(save, 800);
    });
    area.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        clearTimeout(timer);
        var next = document.getElementById("call-next");
        if (next && area.form) { area.form.requestSubmit(next); }
      }
    });
  }

  // Call mode: how long the call has run (kept across the steps of one call in this tab).
  function callTimer() {
    var clock = document.getElementById("call-timer");
    if (!clock) { return; }
    var key = "accord:" + clock.dataset.key;
    var start = 0;
    try { start = parseInt(sessionStorage.getItem(key) || "0", 10); } catch (err) { start = 0; }
    if (!start) {
      start = Date.now();
      try { sessionStorage.setItem(key, String(start)); } catch (err) { /* private mode */ }
    }
    function tick() {
      var s = Math.max(0, Math.floor((Date.now() - start) / 1000));
      var m = Math.floor(s / 60);
      clock.textContent = m + ":" + String(s % 60).padStart(2, "0");
    }
    tick();
    setInterval(tick, 1000);
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("[data-open]");
    if (link) { openTarget(link.dataset.open); }
  });
  document.addEventListener("input", function (e) {
    if (e.target && e.target.id === "override-reason") { guardSend(); }
  });
  document.addEventListener("htmx:afterSwap", function (e) {
    guardSend();
    var trigger = e.detail.requestConfig && e.detail.requestConfig.elt;
    if (trigger && trigger.dataset && trigger.dataset.goto) {
      var target = document.querySelector(trigger.dataset.goto);
      if (target) { target.scrollIntoView(); }
      var body = document.getElementById("reply-body");
      if (body) { body.focus(); }
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    if (location.hash.length > 1) { openTarget(location.hash.slice(1)); }
    guardSend();
    autosaveNotes();
    callTimer();
  });
})();
