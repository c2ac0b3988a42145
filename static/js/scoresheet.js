// The expert's score sheet: a live total, and nothing typed is lost. htmx saves the draft on the
// server a moment after each change (see sheet.html); this file also keeps a copy in the browser
// (localStorage) until the server has it, restores it after a closed tab or a lost connection,
// retries when the connection returns, and sends a last save when the page is left.
(() => {
  const form = document.getElementById("sheet-form");
  if (!form) return;
  const key = `scoresheet-${form.dataset.sheet}`;
  const locked = form.dataset.locked === "1";
  const localStatus = document.getElementById("local-status");
  const totalOutput = document.getElementById("sheet-total");
  let dirty = false;
  // Each input bumps the version; a save clears the local copy only if nothing was typed after it
  // was sent (a slow answer to an older save must not forget newer input).
  let version = 0;
  let sentVersion = 0;

  const fields = () => Array.from(form.querySelectorAll("input[name^='score_'], textarea[name='comment'], input[name='vote']"));

  const values = () => {
    const data = {};
    for (const field of fields()) {
      if (field.type === "radio") {
        if (field.checked) data[field.name] = field.value;
      } else {
        data[field.name] = field.value;
      }
    }
    return data;
  };

  const say = (text) => {
    if (localStatus) localStatus.textContent = text;
  };

  const updateTotal = () => {
    let total = 0;
    let any = false;
    for (const input of form.querySelectorAll(".score-input")) {
      const text = input.value.trim();
      const max = Number(input.dataset.max);
      const value = Number(text);
      const bad = text !== "" && (Number.isNaN(value) || value < 0 || value > max);
      input.classList.toggle("is-invalid", bad);
      if (bad) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
      if (text !== "" && !Number.isNaN(value)) {
        total += value;
        any = true;
      }
    }
    if (totalOutput) totalOutput.textContent = any ? (Math.round(total * 100) / 100).toString() : "—";
  };

  const keepLocally = () => {
    try {
      localStorage.setItem(key, JSON.stringify({ at: new Date().toISOString(), values: values() }));
    } catch (error) {
      // Storage full or disabled: the server copy still saves.
    }
  };

  const forgetLocally = () => {
    try {
      localStorage.removeItem(key);
    } catch (error) {
      // nothing to forget
    }
  };

  const restore = () => {
    let saved = null;
    try {
      saved = JSON.parse(localStorage.getItem(key) || "null");
    } catch (error) {
      saved = null;
    }
    if (!saved || locked) {
      if (locked) forgetLocally();
      return;
    }
    const serverAt = form.dataset.savedAt ? Date.parse(form.dataset.savedAt) : 0;
    if (Date.parse(saved.at) <= serverAt) {
      forgetLocally();
      return;
    }
    let changed = false;
    for (const field of fields()) {
      if (!(field.name in saved.values)) continue;
      if (field.type === "radio") {
        const want = field.value === saved.values[field.name];
        if (field.checked !== want) {
          field.checked = want;
          changed = true;
        }
      } else if (field.value !== saved.values[field.name]) {
        field.value = saved.values[field.name];
        changed = true;
      }
    }
    if (changed) {
      dirty = true;
      say("已恢复上次未保存到服务器的内容，正在保存……");
      document.body.dispatchEvent(new Event("sheet-retry"));
    } else {
      forgetLocally();
    }
  };

  form.addEventListener("input", () => {
    if (locked) return;
    version += 1;
    dirty = true;
    keepLocally();
    updateTotal();
  });
  form.addEventListener("change", updateTotal);
  form.addEventListener("submit", () => {
    dirty = false; // a normal submission: the server answers with the page
  });

  const isSave = (event) => event.detail.target && event.detail.target.id === "save-status";
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    if (isSave(event)) sentVersion = version;
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    if (!isSave(event)) return;
    if (event.detail.successful) {
      const status = document.getElementById("save-status");
      if (version !== sentVersion) return; // newer input is on its way to the server
      if (status && !status.dataset.saveFailed) {
        dirty = false;
        forgetLocally();
        say("");
      } else {
        say("内容已暂存在本机浏览器中。");
      }
    }
  });
  const offline = () => say("网络连接异常，内容已暂存在本机浏览器中，恢复连接后将自动保存。");
  document.body.addEventListener("htmx:sendError", offline);
  document.body.addEventListener("htmx:responseError", offline);
  window.addEventListener("online", () => {
    if (dirty) document.body.dispatchEvent(new Event("sheet-retry"));
  });
  window.addEventListener("pagehide", () => {
    if (dirty && !locked && navigator.sendBeacon) {
      navigator.sendBeacon(form.dataset.saveUrl, new FormData(form));
    }
  });

  updateTotal();
  restore();
})();
