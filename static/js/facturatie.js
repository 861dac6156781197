// Te factureren: one checkbox in the table head chooses every termijn shown (keyboard: Space).
// Without JavaScript it stays hidden and each termijn is chosen on its own.
(function () {
  function reveal(root) {
    root.querySelectorAll("[data-alle-termijnen]").forEach(function (box) { box.hidden = false; });
  }
  document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  document.addEventListener("htmx:afterSwap", function (event) { reveal(event.target); });
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-alle-termijnen]")) return;
    var form = box.closest("form");
    form.querySelectorAll("input[name=ids]").forEach(function (one) { one.checked = box.checked; });
  });
})();

// The klant search field only searches (its own hx-get fills #klant-opties as the planner
// types); its "change" on leaving it must not reach the filter form, which would reload the
// results with the same filters (and leave the page of termijnen the planner was on).
document.addEventListener("change", function (event) {
  if (event.target.id === "klant-zoek") event.stopPropagation();
}, true);
