// The limit request form: find a debtor with htmx, pick it from the results.
document.addEventListener("DOMContentLoaded", function () {
  const hidden = document.getElementById("id_debtor");
  const chosen = document.getElementById("debtor-chosen");
  const chosenName = document.getElementById("debtor-chosen-name");
  const find = document.getElementById("debtor-find");
  const search = document.getElementById("debtor-search");
  const results = document.getElementById("debtor-results");
  // Enter in the search box searches; it does not send the request.
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); }
  });
  // A result is an element with data-debtor-id (and data-debtor-name), or a link to the
  // debtor's page: picking it fills the hidden debtor id.
  results.addEventListener("click", function (event) {
    let item = event.target.closest("[data-debtor-id]");
    let id = item && item.dataset.debtorId;
    if (!item) {
      item = event.target.closest("a[href]");
      const match = item && item.getAttribute("href").match(/\/debtors\/(\d+)\/$/);
      id = match && match[1];
    }
    if (!id) { return; }
    event.preventDefault();
    hidden.value = id;
    chosenName.textContent = (item.dataset.debtorName || item.textContent).trim();
    chosen.hidden = false;
    find.hidden = true;
    const error = document.getElementById("debtor-error");
    if (error) { error.remove(); }
    document.getElementById("id_kind").focus();
  });
  document.getElementById("debtor-change").addEventListener("click", function () {
    hidden.value = "";
    chosen.hidden = true;
    find.hidden = false;
    search.focus();
  });
});
