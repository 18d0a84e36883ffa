// Behaviour every page shares, kept out of the templates so the Content-Security-Policy can
// refuse inline scripts and event handlers.
document.addEventListener("DOMContentLoaded", function () {
  // <select data-autosubmit>: choosing an option sends its form (the language switch).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // <form data-confirm="Question?">: ask before sending.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
});
