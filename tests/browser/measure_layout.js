/* The layout test's measurements, run in the page (tests/browser/test_layout.py).
   Returns a list of problems in words; empty when the page is fine.
   - the page must not scroll sideways (document scrollWidth <= innerWidth);
   - the main menu is one row;
   - a select is at least as wide as its longest option (measured on a canvas with the select's
     own font, against its content box: the width minus the padding that holds the arrow);
   - a field's placeholder shows whole;
   - no form control sticks out of its box;
   - a table header shows its text (scrollWidth <= clientWidth);
   - a table wider than its box sits in a box that scrolls, with its first column sticky. */
() => {
  const visible = el => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden';
  };
  const name = el => el.id ? '#' + el.id : el.tagName.toLowerCase() +
      (el.name ? `[name=${el.name}]` : '') + (el.className ? '.' + String(el.className).trim()
      .split(/\s+/).join('.') : '');
  const canvas = document.createElement('canvas').getContext('2d');
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > innerWidth) {
    const wide = [...document.querySelectorAll('body *')].filter(el => visible(el) &&
        el.getBoundingClientRect().right > innerWidth + 1 &&
        !el.closest('.overflow-auto, .tabel-houder')).slice(0, 5).map(name);
    problems.push(`page scrolls sideways: scrollWidth ${doc.scrollWidth} > ${innerWidth}; ` +
                  `sticking out: ${wide.join(', ')}`);
  }
  // what a closed disclosure (the account menu) holds is not on the row until it is opened
  const menu = [...document.querySelectorAll(
      '.site-header nav a, .site-header nav button, .site-header nav summary')]
      .filter(el => visible(el) && (el.matches('summary') || !el.closest('details:not([open])')))
      .map(el => el.getBoundingClientRect());
  if (menu.length && Math.max(...menu.map(r => r.top)) - Math.min(...menu.map(r => r.top)) > 16)
    problems.push('the header menu wraps onto a second row');
  for (const select of document.querySelectorAll('select')) {
    if (!visible(select) || select.multiple) continue;
    const s = getComputedStyle(select);
    canvas.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    const box = select.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    // whichever option the planner chooses must show whole: measure the widest
    let widest = null, width = 0;
    for (const option of select.options) {
      const w = canvas.measureText(option.text.trim()).width;
      if (w > width) { widest = option.text.trim(); width = w; }
    }
    if (width > box + 0.5) problems.push(
        `select ${name(select)} cuts "${widest}": text ${width.toFixed(1)} px ` +
        `in ${box.toFixed(1)} px`);
  }
  for (const control of document.querySelectorAll('input, select, textarea, button')) {
    if (!visible(control) || control.type === 'hidden') continue;
    const outer = control.parentElement.getBoundingClientRect();
    const r = control.getBoundingClientRect();
    const inline = getComputedStyle(control.parentElement).display === 'inline';
    if (r.right > outer.right + 1 && !inline) problems.push(
        `${name(control)} sticks out of its box by ${(r.right - outer.right).toFixed(0)} px`);
  }
  for (const input of document.querySelectorAll('input[placeholder]')) {
    if (!visible(input)) continue;
    const s = getComputedStyle(input);
    canvas.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    const text = canvas.measureText(input.placeholder).width;
    // a search field keeps room for its clear button (about 1.25em) even while empty
    const clear = input.type === 'search' ? 1.25 * parseFloat(s.fontSize) : 0;
    const box = input.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - clear;
    if (text > box + 0.5) problems.push(
        `field ${name(input)} cuts its placeholder "${input.placeholder}": ` +
        `${text.toFixed(1)} px in ${box.toFixed(1)} px`);
  }
  for (const th of document.querySelectorAll('th')) {
    if (!visible(th) || th.closest('.visually-hidden')) continue;
    if (th.scrollWidth > th.clientWidth + 1) problems.push(
        `table header "${th.textContent.trim()}" cut: ${th.scrollWidth} > ${th.clientWidth} px`);
  }
  for (const table of document.querySelectorAll('table')) {
    if (!visible(table)) continue;
    const box = table.parentElement;
    if (table.offsetWidth <= box.clientWidth + 1) continue;
    const scrolls = ['auto', 'scroll'].includes(getComputedStyle(box).overflowX);
    if (!scrolls) {
      problems.push(`table ${name(table)} is wider than its box, which does not scroll`);
      continue;
    }
    const first = table.querySelector('tbody tr > :first-child');
    if (first && getComputedStyle(first).position !== 'sticky') problems.push(
        `table ${name(table)} scrolls inside its box but its first column does not stay`);
  }
  return problems;
}
