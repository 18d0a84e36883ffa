// The cover check and overdue notification pages, and the cover box other pages include.
// Kept out of the templates so the Content-Security-Policy can refuse inline scripts.
(function () {
  if (window.coverCheckLoaded) { return; } // the box and its page may both load this file
  window.coverCheckLoaded = true;

  // When htmx swaps in an element with the id of one on the page, it first copies the old
  // element's "settle" attributes onto the new one, `style` among them: an inline style the
  // Content-Security-Policy refuses (inputs carry an empty style attribute once typed in).
  // Nothing here animates inline styles, so `style` is left out of the attributes it settles.
  if (window.htmx) {
    htmx.config.attributesToSettle = htmx.config.attributesToSettle.filter(function (name) {
      return name !== "style";
    });
  }

  // A debtor picker: [data-debtor-picker] holding a hidden [data-picker-value], a search box
  // whose htmx results list buttons with data-debtor-id (debtors/lookup_results.html), and
  // [data-picker-chosen] / [data-picker-find] shown in turn. Delegated from the document, so
  // content htmx swaps in works too.
  function pick(picker, id, name) {
    const value = picker.querySelector("[data-picker-value]");
    value.value = id;
    picker.querySelector("[data-picker-name]").textContent = name;
    picker.querySelector("[data-picker-chosen]").hidden = false;
    picker.querySelector("[data-picker-find]").hidden = true;
    const results = picker.querySelector("[data-picker-results]");
    if (results) { results.replaceChildren(); }
    picker.querySelectorAll(".invalid-feedback").forEach(function (e) { e.remove(); });
    value.dispatchEvent(new Event("change", { bubbles: true }));
    const next = picker.dataset.pickerNext && document.querySelector(picker.dataset.pickerNext);
    if (next) { next.focus(); }
  }

  document.addEventListener("click", function (event) {
    const picker = event.target.closest("[data-debtor-picker]");
    if (!picker) { return; }
    const item = event.target.closest("[data-debtor-id]");
    if (item) {
      event.preventDefault();
      pick(picker, item.dataset.debtorId, (item.dataset.debtorName || item.textContent).trim());
      return;
    }
    if (event.target.closest("[data-picker-change]")) {
      picker.querySelector("[data-picker-value]").value = "";
      picker.querySelector("[data-picker-chosen]").hidden = true;
      picker.querySelector("[data-picker-find]").hidden = false;
      const search = picker.querySelector("input[type=search]");
      if (search) { search.focus(); }
    }
  });

  // Enter in a picker's search box searches; it does not send the form.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("[data-debtor-picker] input[type=search]")) {
      event.preventDefault();
    }
  });

  // Sending the form closes its picker's list of matches (what was typed is looked up).
  document.addEventListener("submit", function (event) {
    event.target.querySelectorAll("[data-debtor-picker] [data-picker-results]").forEach(
      function (results) { if (!results.querySelector("button[type=submit]")) { results.replaceChildren(); } }
    );
  });

  // [data-print]: print the page (a stored cover check answer).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
})();
