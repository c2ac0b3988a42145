// The online application form. Without this file every button still works by submitting the form.
document.addEventListener("DOMContentLoaded", () => {
  // 添加一行: copy the formset's <template> row instead of a round trip to the server.
  document.body.addEventListener("click", (event) => {
    const button = event.target.closest("[data-formset-add]");
    if (!button) {
      return;
    }
    const prefix = button.dataset.formsetAdd;
    const template = document.getElementById(`${prefix}-empty-form`);
    const container = document.querySelector(`[data-formset="${prefix}"]`);
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const maximum = document.getElementById(`id_${prefix}-MAX_NUM_FORMS`);
    if (!template || !container || !total) {
      return; // let the button submit the form: the server adds rows
    }
    event.preventDefault();
    const index = Number.parseInt(total.value, 10);
    if (maximum && index >= Number.parseInt(maximum.value, 10)) {
      window.alert(`最多只能填写 ${maximum.value} 行。`);
      return;
    }
    container.insertAdjacentHTML("beforeend", template.innerHTML.replaceAll("__prefix__", String(index)));
    total.value = String(index + 1);
    const rows = container.querySelectorAll("[data-formset-row]");
    const added = rows[rows.length - 1];
    added.querySelector("[data-row-number]").textContent = String(rows.length);
    const first = added.querySelector("input:not([type=hidden]), textarea");
    if (first) {
      first.focus();
    }
  });

  // One click saves once: a second click (or Enter) while the page loads would post the same rows
  // again. The server refuses such a post anyway (version token); this spares the unit the message.
  document.querySelectorAll("form[data-submit-once]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (event.defaultPrevented) {
        return; // a cancelled 删除 confirmation: nothing is sent
      }
      if (form.dataset.submitting === "1") {
        event.preventDefault();
        return;
      }
      form.dataset.submitting = "1";
      // Disabled after this turn: a button disabled now would drop its own name (save_next, delete…).
      window.setTimeout(() => {
        form.querySelectorAll("button[type=submit]").forEach((button) => {
          button.disabled = true;
        });
      }, 0);
    });
  });
  // Back to this page from the browser's cache: the buttons work again.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll("form[data-submit-once]").forEach((form) => {
      delete form.dataset.submitting;
      form.querySelectorAll("button[type=submit]").forEach((button) => {
        button.disabled = false;
      });
    });
  });

  // The live check posts the typed values only: never re-send chosen files on every keystroke.
  document.body.addEventListener("htmx:configRequest", (event) => {
    if (!event.detail.elt.matches("[data-live-check]")) {
      return;
    }
    const formData = event.detail.formData;
    if (!formData) {
      return;
    }
    for (const [name, value] of Array.from(formData.entries())) {
      if (value instanceof File) {
        formData.delete(name);
      }
    }
  });
});
