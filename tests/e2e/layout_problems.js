// What axe-core does not measure, on the page as shown: (1) sideways scrolling of the page itself
// (a wide table may scroll inside its .table-responsive), (2) text squeezed into one character per
// line. Evaluated by tests/e2e/test_accessibility.py; returns a list of problems.
() => {
  const problems = [];
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth > width) {
    const wide = [...document.querySelectorAll("body *")]
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.right > width + 1 && !el.closest(".table-responsive");
      })
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`);
    const scrolled = document.documentElement.scrollWidth;
    problems.push(`page is ${scrolled}px wide in a ${width}px window: ${wide.join(", ")}`);
  }
  // Text set one character per line: its line boxes (not the element's box, which a table row
  // may stretch) number about as many as its characters.
  const selector = "h1, h2, h3, h4, h5, h6, a, button, label, legend, th, td, .nav-link, .badge, .portal-user";
  for (const el of document.querySelectorAll(selector)) {
    const text = el.textContent.replace(/\s+/g, "");
    if (text.length < 2 || el.getBoundingClientRect().width === 0) continue;
    if (el.closest(".visually-hidden, .visually-hidden-focusable:not(:focus-within)")) continue;
    // Count line boxes of the text itself: a rect that starts below the previous line starts a line.
    const rects = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      rects.push(...[...range.getClientRects()].filter((rect) => rect.width > 0));
    }
    rects.sort((a, b) => a.top - b.top);
    let lines = 0;
    let bottom = -Infinity;
    for (const rect of rects) {
      if (rect.top >= bottom - 1) lines += 1;
      bottom = rect.top >= bottom - 1 ? rect.bottom : Math.max(bottom, rect.bottom);
    }
    if (lines >= 2 && text.length / lines < 1.5) {
      problems.push(`one character per line: <${el.tagName.toLowerCase()}> "${text.slice(0, 20)}" in ${lines} lines`);
    }
  }
  return problems;
}