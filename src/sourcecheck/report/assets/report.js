// The only script of the report: the severity filters. Without it every claim shows (the page reads the same).
(function () {
  "use strict";
  var bar = document.getElementById("filters");
  if (!bar) { return; }
  var cards = Array.prototype.slice.call(document.querySelectorAll("article.card"));
  var buttons = Array.prototype.slice.call(bar.querySelectorAll("button[data-filter]"));
  var shown = document.getElementById("shown");
  function apply(filter) {
    var n = 0;
    cards.forEach(function (card) {
      var show = filter === "all" || card.getAttribute("data-severity") === filter;
      card.hidden = !show;
      if (show) { n += 1; }
    });
    buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-filter") === filter)); });
    shown.textContent = n + " of " + cards.length + " claims shown";
  }
  buttons.forEach(function (b) { b.addEventListener("click", function () { apply(b.getAttribute("data-filter")); }); });
  // A link to a claim the filter hides shows every claim again, so no link leads nowhere.
  window.addEventListener("hashchange", function () {
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.closest("article[hidden]")) { apply("all"); target.scrollIntoView(); }
  });
  bar.hidden = false;
  apply("all");
})();
