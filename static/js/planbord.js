/* Planbord: drag a werkbon from "Nog in te plannen" onto a cell of the board.
   Progressive enhancement only: dropping fills in the werkbon's own plan form (medewerker and
   date; the time stays what the form says) and submits it, so the server does exactly what the
   keyboard way does. Without JavaScript the forms work as they are. */
(function () {
  "use strict";

  function enable(root) {
    (root || document).querySelectorAll(".ongepland-item .ongepland-kop").forEach(function (handle) {
      handle.setAttribute("draggable", "true");
      handle.classList.add("sleepbaar");
    });
  }

  function cellFrom(target) {
    return target && target.closest ? target.closest("td.bord-cel[data-medewerker]") : null;
  }

  document.addEventListener("dragstart", function (evt) {
    var item = evt.target.closest && evt.target.closest(".ongepland-item");
    if (!item || !evt.target.classList.contains("ongepland-kop")) { return; }
    evt.dataTransfer.setData("text/plain", item.dataset.werkbon);
    evt.dataTransfer.effectAllowed = "move";
    item.classList.add("wordt-gesleept");
  });

  document.addEventListener("dragend", function (evt) {
    var item = evt.target.closest && evt.target.closest(".ongepland-item");
    if (item) { item.classList.remove("wordt-gesleept"); }
  });

  document.addEventListener("dragover", function (evt) {
    var cell = cellFrom(evt.target);
    if (!cell) { return; }
    evt.preventDefault();
    evt.dataTransfer.dropEffect = "move";
    cell.classList.add("sleep-doel");
  });

  document.addEventListener("dragleave", function (evt) {
    var cell = cellFrom(evt.target);
    if (cell && !cell.contains(evt.relatedTarget)) { cell.classList.remove("sleep-doel"); }
  });

  document.addEventListener("drop", function (evt) {
    var cell = cellFrom(evt.target);
    if (!cell) { return; }
    evt.preventDefault();
    cell.classList.remove("sleep-doel");
    var id = evt.dataTransfer.getData("text/plain");
    if (!/^\d+$/.test(id)) { return; }
    var item = document.getElementById("ongepland-" + id);
    var form = item && item.querySelector("form.inplan-form");
    if (!form) { return; }
    var select = form.elements.medewerker_id;
    var hasOption = Array.prototype.some.call(select.options, function (o) {
      return o.value === cell.dataset.medewerker;
    });
    if (!hasOption) { return; }
    select.value = cell.dataset.medewerker;
    form.elements.datum.value = cell.dataset.datum;
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  });

  // After the board is swapped in: make the new items draggable and move focus to the outcome,
  // so a keyboard or screen-reader user hears what happened and does not lose their place.
  // Another week (Vorige, Volgende, Deze week, the week picker): focus goes back to the same
  // control on the new board, so Enter again goes on a week; it had fallen to <body>.
  var weekControl = null;
  document.addEventListener("htmx:beforeRequest", function (evt) {
    var elt = evt.detail && evt.detail.elt;
    var nav = elt && elt.closest ? elt.closest(".week-nav") : null;
    if (!nav) { weekControl = null; return; }
    if (elt.getAttribute("rel")) { weekControl = "a[rel=" + elt.getAttribute("rel") + "]"; }
    else if (elt.tagName === "FORM") { weekControl = "#week-kiezen"; }
    else { weekControl = "#planbord-titel"; }
  });

  document.addEventListener("htmx:afterSettle", function (evt) {
    if (!evt.target || evt.target.id !== "planbord") { return; }
    enable(evt.target);
    var message = document.getElementById("planbord-fout") || document.getElementById("planbord-melding");
    var control = weekControl && (evt.target.querySelector(weekControl) ||
                                  document.getElementById("planbord-titel"));
    weekControl = null;
    if (message) { message.focus(); } else if (control) { control.focus(); }
  });

  document.addEventListener("DOMContentLoaded", function () { enable(document); });
})();
