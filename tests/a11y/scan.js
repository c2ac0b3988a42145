// Runs axe-core on every HTML document a browser test loads, and again after each htmx swap.
//
// Added to the browser context as a Playwright init script, after axe.min.js. Playwright evaluates
// init scripts through DevTools before the page's own scripts, so the site's strict CSP
// (script-src 'self') stays in force for everything else. Everything goes back to Python through
// the exposed binding __axeReport, in this order for each document:
//   "document" (loading: busy) … "result" per scan … "idle" once loaded, scanned and quiet;
//   "busy" again when htmx traffic starts, then "result" and "idle" after the next scan.
// Python holds the next navigation of the page until the document reported "idle".
(() => {
  if (window.top !== window || !/^https?:$/.test(location.protocol)) return; // axe reaches into frames
  if (document.contentType !== "text/html") {
    window.__axeReport({ document: String(Math.random()), url: location.href, kind: "other" }).catch(() => {});
    return;
  }

  const OPTIONS = {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    resultTypes: ["violations"],
  };
  const QUIET_MS = 100; // no htmx traffic for this long: the page has settled
  const documentId = `${Date.now()}-${Math.random().toString(36).slice(2)}`;

  let loaded = false;
  let inflight = 0;
  let timer = null;
  let running = false;
  let busy = true; // "document" below reports the loading document as busy

  // Fire and forget: while Python holds a navigation it receives these calls but cannot answer
  // them, so awaiting one would wait for the very navigation it holds. Calls arrive in order.
  const report = (payload) => {
    try {
      window.__axeReport({ document: documentId, url: location.href, ...payload }).catch(() => {});
    } catch (error) {
      // the page is going away; Python notices the missing result
    }
  };

  const summarise = (violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.map((node) => ({
      target: node.target.map(String),
      html: node.html.slice(0, 300),
      summary: (node.failureSummary || "").slice(0, 500),
    })),
  });

  function markBusy() {
    if (!busy) {
      busy = true;
      report({ kind: "busy" });
    }
  }

  function markIdleIfSettled() {
    if (busy && loaded && timer === null && !running && inflight === 0) {
      busy = false;
      report({ kind: "idle" });
    }
  }

  function schedule() {
    markBusy();
    if (!loaded) return; // DOMContentLoaded schedules the first scan
    clearTimeout(timer);
    timer = setTimeout(scan, QUIET_MS);
  }

  // A page left before its stylesheets arrived (the beforeunload scan below, on a loaded machine)
  // is drawn in the browser's default colours: its contrast says nothing about the portal's, so
  // that one rule is left out of such a scan (tests/e2e/test_accessibility.py scans every page of
  // every role in full, once loaded).
  const stylesApplied = () =>
    Array.from(document.querySelectorAll('link[rel="stylesheet"]')).every((link) => link.sheet !== null);

  async function scan() {
    timer = null;
    if (inflight > 0) return; // afterRequest schedules again
    if (running) {
      schedule(); // axe runs one scan at a time
      return;
    }
    running = true;
    try {
      const options = stylesApplied()
        ? OPTIONS
        : { ...OPTIONS, rules: { "color-contrast": { enabled: false } } };
      const results = await window.axe.run(document, options);
      report({ kind: "result", title: document.title, violations: results.violations.map(summarise) });
    } catch (error) {
      report({ kind: "error", message: String((error && error.stack) || error) });
    } finally {
      running = false;
      markIdleIfSettled();
    }
  }

  report({ kind: "document" });
  document.addEventListener("htmx:beforeRequest", () => {
    inflight += 1;
    markBusy();
  });
  document.addEventListener("htmx:afterRequest", () => {
    inflight = Math.max(0, inflight - 1);
    schedule();
  });
  document.addEventListener("htmx:afterSettle", schedule);
  // DOMContentLoaded, not load: a test that clicks on before the load event starts a navigation,
  // which aborts the document's loading, and load never comes. The stylesheets are in by then:
  // the portal's deferred scripts wait for them, and DOMContentLoaded waits for those scripts.
  document.addEventListener("DOMContentLoaded", () => {
    loaded = true;
    schedule();
  });
  // A navigation is starting (a click, a form, page.goto) while Python holds its request until
  // this page has been scanned: scan now, even if DOMContentLoaded has not come (it does not once
  // the loading has been aborted), and without waiting for quiet.
  window.addEventListener("beforeunload", () => {
    if (!loaded || timer !== null) {
      loaded = true;
      clearTimeout(timer);
      scan();
    }
  });
})();
