// The log form: keep the "detail for each place" rows in step with the body map, and (with
// JavaScript) save through the outbox: the entry is kept on this phone first, then sent. With
// no connection it waits and goes later by itself. Without JavaScript the form posts as before.
import { selectedRegions, setSelected } from "./bodymap.js";
import { describe, requestBackgroundSync, send } from "./app.js";

const outbox = globalThis.PainDiaryOutbox;
const form = document.querySelector("[data-log-form]");
const list = form?.querySelector("[data-region-detail-list]");
const template = document.getElementById("region-detail-template");
const empty = form?.querySelector("[data-region-detail-empty]");
const status = document.querySelector("[data-save-status]");

function regionLabel(code) {
  const label = form.querySelector(`label[for="region-choice-${CSS.escape(code)}"]`);
  return label ? label.textContent.trim() : code;
}

// The page carries one blank copy of a region's detail; fill in the region's code and name.
function detailFor(code) {
  const row = template.content.firstElementChild.cloneNode(true);
  const label = regionLabel(code);
  for (const element of [row, ...row.querySelectorAll("*")]) {
    for (const attribute of [...element.attributes]) {
      if (attribute.value.includes("__")) {
        element.setAttribute(attribute.name, attribute.value
          .replaceAll("__code__", code).replaceAll("__label__", label.toLowerCase()));
      }
    }
  }
  row.querySelector("legend").textContent = label;
  return row;
}

function syncDetails(selected) {
  if (!list || !template) return;
  const wanted = new Set(selected);
  for (const row of list.querySelectorAll("[data-region-detail]")) {
    if (!wanted.has(row.dataset.regionDetail)) row.remove();
  }
  for (const code of selected) {
    if (list.querySelector(`[data-region-detail="${CSS.escape(code)}"]`)) continue;
    list.append(detailFor(code));
  }
  if (empty) empty.hidden = selected.length > 0;
}

form?.addEventListener("bodymap:change", (event) => syncDetails(event.detail.selected));

// After a refused save, bring the error summary into view for screen readers too.
document.getElementById("form-errors")?.focus();

// ---- Times: a datetime-local value means the wall clock in the patient's own zone. ----

function wallClock(instant, zone) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(new Date(instant));
  const part = (type) => Number(parts.find((p) => p.type === type).value);
  return { y: part("year"), mo: part("month"), d: part("day"), h: part("hour"), mi: part("minute"), s: part("second") };
}

function offsetMs(zone, instant) {
  const w = wallClock(instant, zone);
  return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - Math.floor(instant / 1000) * 1000;
}

/** "2026-03-29T08:30" on the patient's clock → an ISO instant (UTC). */
export function zonedToIso(local, zone) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!match) return local; // let the server say what is wrong with it
  const [y, mo, d, h, mi] = match.slice(1).map(Number);
  const naive = Date.UTC(y, mo - 1, d, h, mi);
  try {
    let instant = naive - offsetMs(zone, naive);
    instant = naive - offsetMs(zone, instant); // once more, for the hours around a DST change
    return new Date(instant).toISOString();
  } catch {
    return new Date(y, mo - 1, d, h, mi).toISOString(); // unknown zone: the phone's own
  }
}

function isoToZoned(iso, zone) {
  try {
    const w = wallClock(Date.parse(iso), zone);
    const pad = (n) => String(n).padStart(2, "0");
    return `${w.y}-${pad(w.mo)}-${pad(w.d)}T${pad(w.h)}:${pad(w.mi)}`;
  } catch {
    return "";
  }
}

// ---- The form as the API's JSON (the same mapping as diary/entries/forms.py). ----

function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function score(value) {
  return value === null || value === "" ? null : Number(value);
}

export function entryBody(formElement, id, now = new Date()) {
  const data = new FormData(formElement);
  const body = { id };
  const intensity = score(data.get("intensity"));
  if (intensity !== null) body.intensity = intensity;
  // An entry sent later must keep the moment it was logged, not the moment it arrived.
  const when = data.get("recorded_at");
  body.recorded_at = when ? zonedToIso(when, formElement.dataset.timezone) : now.toISOString();
  body.qualities = data.getAll("quality");
  body.locations = data.getAll("region").map((code) => ({
    region: code,
    intensity: score(data.get(`region_intensity.${code}`)),
    qualities: data.getAll(`region_quality.${code}`),
  }));
  const note = data.get("note");
  if (note) body.note = note;
  // The same rules as diary/entries/forms.py: a group the form did not show changes nothing.
  if (data.get("medications_shown")) body.medications_taken = data.getAll("medication");
  if (data.get("checkin_shown")) {
    const checkin = {};
    for (const item of ["dissociation", "nausea", "sleep"]) {
      checkin[item] = score(data.get(`checkin.${item}`));
    }
    const urinary = data.get("checkin.urinary");
    checkin.urinary = urinary === "yes" ? true : urinary === "no" ? false : null;
    if (Object.values(checkin).some((value) => value !== null)) body.checkin = checkin;
  }
  return body;
}

function fill(formElement, body) {
  formElement.reset();
  const check = (selector) => {
    const input = formElement.querySelector(selector);
    if (input) input.checked = true;
  };
  check(`input[name="intensity"][value="${Number(body.intensity)}"]`);
  const map = formElement.querySelector(".body-map");
  const locations = Array.isArray(body.locations) ? body.locations : [];
  if (map) setSelected(map, locations.map((location) => location.region));
  for (const location of locations) {
    const select = formElement.elements[`region_intensity.${location.region}`];
    if (select && location.intensity !== null && location.intensity !== undefined) {
      select.value = String(location.intensity);
    }
    for (const code of location.qualities || []) {
      check(`input[name="region_quality.${CSS.escape(location.region)}"][value="${CSS.escape(code)}"]`);
    }
  }
  for (const code of body.qualities || []) check(`input[name="quality"][value="${CSS.escape(code)}"]`);
  for (const id of body.medications_taken || []) {
    check(`input[name="medication"][value="${CSS.escape(id)}"]`);
  }
  for (const [item, value] of Object.entries(body.checkin || {})) {
    if (value === null || value === undefined) continue;
    const level = item === "urinary" ? (value ? "yes" : "no") : String(value);
    check(`input[name="checkin.${CSS.escape(item)}"][value="${CSS.escape(level)}"]`);
  }
  formElement.elements.note.value = body.note || "";
  formElement.elements.recorded_at.value = isoToZoned(body.recorded_at, formElement.dataset.timezone);
}

// ---- Saying what happened. ----

function firstMessage(value) {
  let text = value;
  while (text && typeof text === "object") {
    text = Array.isArray(text) ? text[0] : Object.values(text)[0];
  }
  return String(text ?? "");
}

function clearMessages() {
  if (status) status.replaceChildren();
  document.getElementById("form-errors")?.remove();
}

function showErrors(errors, detail) {
  clearMessages();
  const box = document.createElement("div");
  box.className = "alert";
  box.id = "form-errors";
  box.setAttribute("role", "alert");
  box.tabIndex = -1;
  const lead = document.createElement("p");
  const strong = document.createElement("strong");
  strong.textContent = "Not sent to your diary yet.";
  lead.append(strong, " It is kept on this phone; please check:");
  const items = document.createElement("ul");
  const fields = errors && typeof errors === "object" ? Object.entries(errors) : [];
  for (const [field, value] of fields.length ? fields : [["_", detail || "The diary did not accept this entry."]]) {
    const item = document.createElement("li");
    const section = document.getElementById(`section-${field}`);
    const text = firstMessage(value);
    if (section) {
      const link = document.createElement("a");
      link.href = `#section-${field}`;
      link.textContent = text;
      item.append(link);
    } else {
      item.textContent = text;
    }
    items.append(item);
  }
  box.append(lead, items);
  form.before(box);
  if (errors && errors.recorded_at) document.getElementById("section-recorded_at")?.setAttribute("open", "");
  box.focus();
}

function showSaved(text, link) {
  clearMessages();
  const paragraph = document.createElement("p");
  paragraph.textContent = text;
  if (link) {
    const anchor = document.createElement("a");
    anchor.href = link.href;
    anchor.textContent = link.text;
    paragraph.append(" ", anchor);
  }
  status.append(paragraph);
  status.focus();
}

function resetForm() {
  form.reset();
  const map = form.querySelector(".body-map");
  if (map) setSelected(map, selectedRegions(map));
}

// ---- Saving. ----

const user = document.body.dataset.user || null;
let fixing = null; // the outbox id of an entry being corrected
let saving = false;

async function outcomeFor(id, outcome) {
  const result = outcome?.results?.[id];
  if (result) return result;
  const entry = await outbox.get(id);
  if (!entry) return "sent"; // another tab or the service worker sent it meanwhile
  return entry.state === "attention" ? "attention" : "offline";
}

async function save(event) {
  event.preventDefault();
  if (saving) return;
  const body = entryBody(form, newId());
  if (body.intensity === undefined) {
    showErrors({ intensity: ["Choose how much it hurts right now, from 0 to 10."] });
    return;
  }
  saving = true;
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    try {
      await outbox.replace(fixing, body, user); // on this phone first: nothing is lost from here on
    } catch {
      form.submit(); // storage refused (private mode, disk full): the plain form still works
      return;
    }
    fixing = null;
    const outcome = navigator.onLine ? await send() : null;
    const result = await outcomeFor(body.id, outcome);
    if (result === "sent") {
      window.location.assign("/entries?saved=1");
      return;
    }
    if (result === "attention") {
      const entry = await outbox.get(body.id);
      fixing = body.id;
      showErrors(entry?.errors, entry?.detail);
      return;
    }
    await requestBackgroundSync();
    resetForm();
    if (result === "signin") {
      showSaved("Saved on this phone. Your sign-in has ended: sign in again and it is sent to your diary.",
        { href: "/sign-in?next=/entries/new", text: "Sign in" });
    } else {
      const counts = await outbox.counts();
      showSaved(`Saved on this phone; it will be sent when you are back online. (${describe(counts)}.)`);
    }
  } finally {
    saving = false;
    button.disabled = false;
  }
}

async function fixFromOutbox() {
  const match = /^#fix=([0-9a-f-]{36})$/i.exec(window.location.hash);
  if (!match) return;
  const entry = await outbox.get(match[1]);
  if (!entry) return;
  fixing = entry.id;
  fill(form, entry.body);
  if (entry.state === "attention") showErrors(entry.errors, entry.detail);
}

if (form && form.hasAttribute("data-offline-log") && outbox && "indexedDB" in window) {
  form.addEventListener("submit", save);
  fixFromOutbox();
}
