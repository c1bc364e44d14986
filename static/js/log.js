// The log form: keep the "detail for each place" rows in step with the body map.
const form = document.querySelector("[data-log-form]");
const list = form?.querySelector("[data-region-detail-list]");
const templates = document.getElementById("region-detail-templates");
const empty = form?.querySelector("[data-region-detail-empty]");

function syncDetails(selected) {
  if (!list || !templates) return;
  const wanted = new Set(selected);
  for (const row of list.querySelectorAll("[data-region-detail]")) {
    if (!wanted.has(row.dataset.regionDetail)) row.remove();
  }
  for (const code of selected) {
    if (list.querySelector(`[data-region-detail="${CSS.escape(code)}"]`)) continue;
    const source = templates.content.querySelector(`[data-region-detail="${CSS.escape(code)}"]`);
    if (source) list.append(source.cloneNode(true));
  }
  if (empty) empty.hidden = selected.length > 0;
}

form?.addEventListener("bodymap:change", (event) => syncDetails(event.detail.selected));

// After a refused save, bring the error summary into view for screen readers too.
document.getElementById("form-errors")?.focus();
