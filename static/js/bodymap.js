// Body map: a tap, Space or Enter on a region toggles it. The checkbox list in the same
// .body-map stays the single source of truth (it is what the form submits), so the picture
// and the list can never disagree. No dependencies; no inline script or style needed.

const REGION = '.region[data-region]';
const INPUT = 'input.body-map__input';

function inputs(root) {
  return Array.from(root.querySelectorAll(INPUT));
}

function inputFor(root, code) {
  return inputs(root).find((input) => input.value === code) ?? null;
}

function paint(root, code, isSelected) {
  for (const shape of root.querySelectorAll(`${REGION}[data-region="${CSS.escape(code)}"]`)) {
    shape.classList.toggle('is-selected', isSelected);
    if (shape.getAttribute('role') === 'checkbox') {
      shape.setAttribute('aria-checked', String(isSelected));
    }
  }
}

function paintAll(root) {
  for (const input of inputs(root)) paint(root, input.value, input.checked);
}

function announce(root) {
  root.dispatchEvent(new CustomEvent('bodymap:change', {
    bubbles: true,
    detail: { selected: selectedRegions(root) },
  }));
}

/** The codes of the regions selected in this body map, in list order. */
export function selectedRegions(root) {
  return inputs(root).filter((input) => input.checked).map((input) => input.value);
}

/** Select exactly `codes` (unknown codes are ignored), e.g. for "same as last time". */
export function setSelected(root, codes) {
  const wanted = new Set(codes);
  for (const input of inputs(root)) input.checked = wanted.has(input.value);
  paintAll(root);
  announce(root);
}

function toggle(root, shape) {
  const input = inputFor(root, shape.dataset.region);
  if (!input) return;
  input.checked = !input.checked;
  paint(root, input.value, input.checked);
  announce(root);
}

function showView(root, view) {
  for (const panel of root.querySelectorAll('.body-map__view')) {
    panel.hidden = panel.dataset.view !== view;
  }
  for (const button of root.querySelectorAll('.body-map__view-button')) {
    button.setAttribute('aria-pressed', String(button.dataset.view === view));
  }
}

function tappable(root, target) {
  const shape = target instanceof Element ? target.closest(REGION) : null;
  return shape && root.contains(shape) && shape.getAttribute('role') === 'checkbox' ? shape : null;
}

/** Make one .body-map interactive; safe to call twice. */
export function enhance(root) {
  if (root.dataset.enhanced === 'true') return;
  root.dataset.enhanced = 'true';

  const toggleBar = root.querySelector('.body-map__toggle');
  if (toggleBar) {
    toggleBar.hidden = false;
    toggleBar.addEventListener('click', (event) => {
      const button = event.target instanceof Element
        ? event.target.closest('.body-map__view-button') : null;
      if (button) showView(root, button.dataset.view);
    });
    showView(root, 'front');
  }

  root.addEventListener('click', (event) => {
    const shape = tappable(root, event.target);
    if (shape) toggle(root, shape);
  });
  root.addEventListener('keydown', (event) => {
    if (event.key !== ' ' && event.key !== 'Enter') return;
    const shape = tappable(root, event.target);
    if (!shape) return;
    event.preventDefault(); // Space would scroll the page
    toggle(root, shape);
  });
  root.addEventListener('change', (event) => {
    if (event.target instanceof HTMLInputElement && event.target.matches(INPUT)) {
      paint(root, event.target.value, event.target.checked);
      announce(root);
    }
  });

  // The picture now works, so the list becomes the alternative rather than the only way.
  const list = root.querySelector('details.body-map__list');
  if (list) list.open = false;
  // Browsers may restore checkbox state on reload or "back"; the picture follows the list.
  paintAll(root);
}

for (const root of document.querySelectorAll('.body-map')) enhance(root);
window.addEventListener('pageshow', () => {
  for (const root of document.querySelectorAll('.body-map')) paintAll(root);
});
