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
