// The claim filing form: the fields that only one cause of loss needs show for it alone.
// Kept out of the template so the Content-Security-Policy can refuse inline scripts.
(function () {
  function cause(form) {
    const checked = form.querySelector("input[name=cause]:checked");
    return checked ? checked.value : "";
  }

  function toggle(form) {
    const current = cause(form);
    form.querySelectorAll("[data-show-for-cause]").forEach(function (block) {
      const wanted = block.dataset.showForCause.split(" ");
      // A field with an error stays in sight whatever the cause.
      block.hidden = !wanted.includes(current) && !block.querySelector(".is-invalid");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("claim-form");
    if (!form) { return; }
    toggle(form);
    form.addEventListener("change", function (event) {
      if (event.target.name === "cause") { toggle(form); }
    });
  });
})();
