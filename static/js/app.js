/* Cadans: the little JavaScript the app needs beyond htmx. No inline scripts (CSP). */
(function () {
  "use strict";

  function showMessage(text) {
    var box = document.getElementById("meldingen");
    if (!box) { return; }
    var p = document.createElement("p");
    p.className = "melding melding-fout";
    p.setAttribute("role", "alert");
    p.textContent = text;
    box.replaceChildren(p);
  }

  // A failed htmx request must never be a silent no-op.
  document.addEventListener("htmx:responseError", function (evt) {
    var status = evt.detail.xhr.status;
    if (status === 401) { return; } // HX-Redirect to the login page follows
    showMessage("Er ging iets mis (" + status + "). Probeer het opnieuw of vernieuw de pagina.");
  });
  document.addEventListener("htmx:sendError", function () {
    showMessage("De server is niet bereikbaar. Controleer de verbinding en probeer het opnieuw.");
  });
})();

/* Show only the fields that matter for a choice: data-toon-bij="frequency:wekelijks maandelijks"
   shows an element while the control named "frequency" in the same form has one of those values.
   Without JavaScript everything stays visible and the form still works. */
(function () {
  "use strict";

  function currentValue(form, name) {
    var control = form.elements[name];
    if (!control) { return null; }
    if (control.length !== undefined && control.tagName !== "SELECT") {
      for (var i = 0; i < control.length; i++) { if (control[i].checked) { return control[i].value; } }
      return null;
    }
    return control.value;
  }

  function apply(root) {
    var elements = (root || document).querySelectorAll("[data-toon-bij]");
    elements.forEach(function (el) {
      var form = el.closest("form");
      if (!form) { return; }
      var spec = el.getAttribute("data-toon-bij").split(":");
      var values = spec[1].split(" ");
      el.hidden = values.indexOf(currentValue(form, spec[0])) === -1;
    });
  }

  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () { apply(document); });
  document.addEventListener("change", function () { apply(document); });
  document.addEventListener("htmx:afterSettle", function (evt) { apply(evt.target); apply(document); });
})();

/* A select with data-vult="other_id" copies the chosen option's data-duur into that input
   (choosing a werktype fills in its usual duration; the planner can still change it). */
document.addEventListener("change", function (evt) {
  "use strict";
  var select = evt.target;
  if (!select.matches || !select.matches("select[data-vult]")) { return; }
  var target = document.getElementById(select.getAttribute("data-vult"));
  var option = select.options[select.selectedIndex];
  if (target && option && option.dataset.duur) {
    target.value = option.dataset.duur;
    target.dispatchEvent(new Event("input", { bubbles: true }));
  }
});

/* A change made in a werkbon row (Toewijzen, Plannen, Status, Annuleren) replaces the row: give
   keyboard users their place back. After a success the row's "Wijzigen" gets the focus and the
   change is announced; after a refusal the first field in error (the forms stay open). */
(function () {
  "use strict";
  var pendingRow = null;

  document.addEventListener("htmx:beforeRequest", function (evt) {
    var row = evt.detail.elt.closest && evt.detail.elt.closest("tr.werkbon-rij");
    pendingRow = row && evt.detail.requestConfig.verb === "post" ? row.id : null;
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!pendingRow) { return; }
    var row = document.getElementById(pendingRow);
    pendingRow = null;
    if (!row) { return; }
    if (row.querySelector(".veldfout[role=alert]")) {
      var field = row.querySelector("[aria-invalid=true]") || row.querySelector("details[open] select, details[open] input:not([type=hidden])");
      if (field) { field.focus(); }
      return;
    }
    var summary = row.querySelector("details.wijzig > summary");
    if (summary) { summary.focus(); }
    var box = document.getElementById("meldingen");
    var number = row.querySelector("th");
    if (box && number) {
      var p = document.createElement("p");
      p.className = "melding melding-succes";
      p.textContent = "Werkbon " + number.textContent.trim() + " is bijgewerkt.";
      box.replaceChildren(p);
    }
  });
})();

/* On a form with data-volgt-start, the day fields the planner has not chosen yet follow the
   start date, as the server filled them from it: weekday, day of the month, month, and "the
   n-th weekday". A field the planner changed keeps their choice. Runs in the capture phase, so
   the fields are set before htmx reads the form for the preview. */
(function () {
  "use strict";
  var CODES = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];
  var FOLLOWING = ["weekdays", "day_of_month", "month", "ordinal", "ordinal_weekday"];

  function follow(form, value) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!m) { return; }
    var day = new Date(+m[1], +m[2] - 1, +m[3]);
    if (day.getMonth() !== +m[2] - 1) { return; } // 31 February and the like
    var code = CODES[day.getDay()];
    var nth = Math.floor((day.getDate() - 1) / 7) + 1;
    var wanted = {
      day_of_month: String(day.getDate()), month: String(day.getMonth() + 1),
      ordinal: String(nth <= 4 ? nth : -1), ordinal_weekday: code
    };
    Object.keys(wanted).forEach(function (name) {
      var control = form.elements[name];
      if (control && !control.hasAttribute("data-gekozen")) { control.value = wanted[name]; }
    });
    var boxes = form.querySelectorAll("input[name=weekdays]");
    var touched = Array.prototype.some.call(boxes, function (box) {
      return box.hasAttribute("data-gekozen");
    });
    if (!touched) { boxes.forEach(function (box) { box.checked = box.value === code; }); }
  }

  document.addEventListener("change", function (evt) {
    var el = evt.target;
    var form = el.form;
    if (!form || !form.hasAttribute("data-volgt-start")) { return; }
    if (el.name === "start_date") {
      follow(form, el.value);
    } else if (FOLLOWING.indexOf(el.name) !== -1) {
      el.setAttribute("data-gekozen", "");
    }
  }, true);
})();

/* Enter in a live search field (type=search with hx-get or hx-post) searches, as typing does; it must not
   submit the form around it (in the contract wizard that would be Volgende). Without
   JavaScript, Enter submits and the step comes back with the matches. */
(function () {
  "use strict";
  document.addEventListener("keydown", function (evt) {
    var el = evt.target;
    if (evt.key !== "Enter" || el.tagName !== "INPUT" || el.type !== "search") { return; }
    if (!el.form || !(el.hasAttribute("hx-get") || el.hasAttribute("hx-post")) || !window.htmx) {
      return;
    }
    evt.preventDefault();
    window.htmx.trigger(el, "search");
  });
})();

/* A field's Dutch error arrives in its slot (<small id="fout-NAME">) out of band, while the
   inputs themselves are never re-rendered (the planner is typing in them). The slot is the
   truth: after every htmx swap, each field described by a slot is marked invalid exactly when
   its slot holds a message, as the full page render marks it (templates/_macros.html). */
(function () {
  "use strict";
  function sync() {
    var slots = document.querySelectorAll(".veldfout[id^='fout-']");
    for (var i = 0; i < slots.length; i++) {
      var bad = slots[i].textContent.trim() !== "";
      var fields = document.querySelectorAll("[aria-describedby~='" + slots[i].id + "']");
      for (var j = 0; j < fields.length; j++) {
        if (bad) { fields[j].setAttribute("aria-invalid", "true"); }
        else { fields[j].removeAttribute("aria-invalid"); }
      }
    }
  }
  document.addEventListener("htmx:oobAfterSwap", sync);
  document.addEventListener("htmx:afterSettle", sync);
})();

/* The contract wizard swaps one step for the next without a page load: the keyboard focus
   then fell to the page body. It goes to the first field with an error, or else to the new
   step's (visually hidden) heading, which also tells a screen reader where it is. */
(function () {
  "use strict";
  /* A planner who already clicked or tabbed into the new step before htmx settled it keeps that
     field: moving the focus then sent the rest of the typing to the heading. */
  var settling = false;
  var chosen = false;
  function isWizard(evt) {
    var target = evt.detail && evt.detail.target;
    return target && target.id === "wizard";
  }
  document.addEventListener("htmx:afterSwap", function (evt) {
    if (isWizard(evt)) { settling = true; chosen = false; }
  });
  document.addEventListener("focusin", function (evt) {
    var wizard = document.getElementById("wizard");
    if (settling && wizard && wizard.contains(evt.target)) { chosen = true; }
  });
  document.addEventListener("htmx:afterSettle", function (evt) {
    if (!isWizard(evt)) { return; }
    settling = false;
    if (chosen) { return; }
    var wizard = document.getElementById("wizard");
    if (!wizard) { return; }
    var field = wizard.querySelector("[aria-invalid=true]");
    var heading = document.getElementById("stap-kop");
    if (field) { field.focus(); } else if (heading) { heading.focus(); }
  });
})();

/* The wizard keeps what is typed 0.8 s after the last key (the [data-bewaren] element). What
   was typed in that last moment before a reload or a closed tab went with the page: when the
   page is hidden or left with unsaved input, it goes to the same address as a beacon (the
   browser still sends it after the page is gone; the form carries its CSRF token). */
(function () {
  "use strict";
  var dirty = false;
  function mark(evt) {
    var form = evt.target && evt.target.form;
    if (form && form.id === "wizard-formulier") { dirty = true; }
  }
  document.addEventListener("input", mark, true);
  document.addEventListener("change", mark, true);
  document.addEventListener("htmx:beforeRequest", function (evt) {
    // an autosave or a step change sends the form as it is now
    var elt = evt.detail && evt.detail.elt;
    if (elt && (elt.hasAttribute("data-bewaren") || elt.id === "wizard-formulier")) {
      dirty = false;
    }
  });
  function flush() {
    if (!dirty || !navigator.sendBeacon) { return; }
    var form = document.getElementById("wizard-formulier");
    var saver = document.querySelector("[data-bewaren]");
    if (!form || !saver) { return; }
    dirty = !navigator.sendBeacon(saver.getAttribute("hx-post"), new FormData(form));
  }
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { flush(); }
  });
})();

/* A table too wide for its box scrolls inside that box (the page itself never scrolls sideways).
   Such a box gets a tab stop and a name, so a keyboard user can reach it and scroll it with the
   arrow keys; a table that fits gets no extra tab stop. The name comes from data-naam on the
   box, or the table's caption. */
(function () {
  "use strict";

  function mark() {
    document.querySelectorAll(".overflow-auto").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        var caption = box.querySelector("caption");
        var name = box.dataset.naam || (caption ? caption.textContent.trim() : "Tabel");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", name + " (schuift opzij)");
        box.dataset.schuift = "1";
      } else if (!scrolls && box.dataset.schuift) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        delete box.dataset.schuift;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
  document.addEventListener("htmx:afterSettle", mark);
})();
