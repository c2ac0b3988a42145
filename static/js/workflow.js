// Application workflow pages (submit confirmation, print view). Loaded as a file: the CSP forbids
// inline scripts. Everything here is a convenience; the server enforces the same rules.
document.addEventListener("DOMContentLoaded", () => {
  // The submit button waits for the confirmation box when some clauses fail the auto-check.
  document.querySelectorAll("[data-requires-confirmation]").forEach((button) => {
    const box = document.getElementById(button.dataset.requiresConfirmation);
    if (!box) return;
    const sync = () => { button.disabled = !box.checked; };
    box.addEventListener("change", sync);
    sync();
  });
  // One click submits once: a second click while the page loads would only meet "已处理".
  document.querySelectorAll("form[data-once]").forEach((form) => {
    form.addEventListener("submit", () => {
      form.querySelectorAll("button[type=submit]").forEach((button) => { button.disabled = true; });
    });
  });
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
});
