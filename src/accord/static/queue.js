// The queue's keys (issue 20): j/k move through the cases, Enter opens one, ? shows the shortcuts.
(function () {
  "use strict";
  var current = -1;
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("#queue-table tbody tr[data-href]")); }
  function select(index) {
    var all = rows();
    if (!all.length) { return; }
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (row, i) { row.classList.toggle("selected", i === current); row.removeAttribute("aria-selected"); });
    var row = all[current];
    row.setAttribute("aria-selected", "true");
    var link = row.querySelector("a");
    if (link) { link.focus({ preventScroll: true }); }
    row.scrollIntoView({ block: "nearest" });
  }
  function toggleHelp(show) {
    var box = document.getElementById("shortcuts");
    if (box) { box.hidden = show === undefined ? !box.hidden : !show; }
  }
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
    if (typing || e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (e.key === "j") { e.preventDefault(); select(current + 1); }
    else if (e.key === "k") { e.preventDefault(); select(current - 1); }
    else if (e.key === "Enter" && current >= 0 && rows()[current]) {
      e.preventDefault();
      window.location.assign(rows()[current].dataset.href);
    }
    else if (e.key === "?") { e.preventDefault(); toggleHelp(); }
    else if (e.key === "Escape") { toggleHelp(false); }
  });
  document.addEventListener("htmx:afterSwap", function () { current = -1; });
  document.addEventListener("DOMContentLoaded", function () {
    // Typing in the client finder refills the picker; it must not refilter the queue on each change.
    var finder = document.getElementById("client-q");
    if (finder) { finder.addEventListener("change", function (e) { e.stopPropagation(); }); }
  });
}());
