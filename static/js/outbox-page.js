// The outbox page: what is saved on this phone and not yet in the diary. Entries the diary
// refused are listed first, to be fixed (on the log page) or, if the person says so, deleted.
import { send } from "./app.js";

const outbox = globalThis.PainDiaryOutbox;
const attentionSection = document.querySelector("[data-outbox-attention]");
const attentionList = document.querySelector("[data-outbox-attention-list]");
const waitingList = document.querySelector("[data-outbox-waiting-list]");
const emptyText = document.querySelector("[data-outbox-empty]");
const sendButton = document.querySelector("[data-outbox-send]");
const status = document.querySelector("[data-outbox-status]");
const template = document.getElementById("outbox-item");
const dialog = document.getElementById("discard-dialog");

function when(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "Unknown time";
  return date.toLocaleString(undefined, {
    weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
  });
}

function say(text, link) {
  status.replaceChildren(text);
  if (link) {
    const anchor = document.createElement("a");
    anchor.href = link.href;
    anchor.textContent = link.text;
    status.append(" ", anchor);
  }
}

function firstMessage(value) {
  let text = value;
  while (text && typeof text === "object") text = Array.isArray(text) ? text[0] : Object.values(text)[0];
  return String(text ?? "");
}

function waitText(entry) {
  if (entry.wait_reason === "server" && entry.not_before > Date.now()) {
    const at = new Date(entry.not_before).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
    return `The diary is busy and asked to wait; the next try is around ${at}.`;
  }
  return navigator.onLine ? "Sending soon." : "Waiting for a connection.";
}

function confirmDiscard() {
  dialog.returnValue = "";
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "discard"), { once: true });
    dialog.showModal();
  });
}

function item(entry) {
  const node = template.content.firstElementChild.cloneNode(true);
  const field = (name) => node.querySelector(`[data-field="${name}"]`);
  const body = entry.body || {};
  const moment = when(body.recorded_at || entry.saved_at);
  const places = Array.isArray(body.locations) ? body.locations.length : 0;
  field("when").textContent = moment;
  field("intensity").textContent = String(body.intensity ?? "?");
  field("where").textContent = places ? `, ${places} ${places === 1 ? "place" : "places"}` : "";
  const needsFix = entry.state === "attention";
  const hasErrors = Boolean(entry.errors && Object.keys(entry.errors).length);
  field("state").textContent = needsFix
    ? (hasErrors ? "Your diary could not accept it as it is:" : entry.detail || "Your diary did not accept it.")
    : waitText(entry);
  const errors = field("errors");
  for (const value of Object.values(entry.errors || {})) {
    const li = document.createElement("li");
    li.textContent = firstMessage(value);
    errors.append(li);
  }
  errors.hidden = !errors.children.length;
  const fix = node.querySelector('[data-action="fix"]');
  if (needsFix) {
    fix.href = `/entries/new#fix=${encodeURIComponent(entry.id)}`;
    field("fix-label").textContent = ` the entry of ${moment}`;
  } else {
    fix.remove();
  }
  field("discard-label").textContent = ` the entry of ${moment}`;
  node.querySelector('[data-action="discard"]').addEventListener("click", async () => {
    if (await confirmDiscard()) {
      await outbox.remove(entry.id);
      say(`The entry of ${moment} was deleted from this phone.`);
    }
  });
  return node;
}

async function render() {
  let entries = [];
  try {
    entries = await outbox.all();
  } catch {
    say("This browser does not let Pain Diary keep entries on this phone.");
  }
  entries.sort((a, b) => a.saved_at.localeCompare(b.saved_at));
  const attention = entries.filter((e) => e.state === "attention");
  const waiting = entries.filter((e) => e.state === "waiting");
  attentionSection.hidden = attention.length === 0;
  attentionList.replaceChildren(...attention.map(item));
  waitingList.replaceChildren(...waiting.map(item));
  emptyText.hidden = waiting.length > 0;
  sendButton.hidden = waiting.length === 0;
}

function report(outcome) {
  if (!outcome) return;
  if (outcome.signin) {
    say("Your sign-in has ended. Sign in again and the entries are sent.", {
      href: "/sign-in?next=/outbox", text: "Sign in",
    });
  } else if (outcome.offline) {
    say("Still no connection. The entries stay here and are sent by themselves later.");
  } else if (outcome.sent || outcome.attention) {
    const sent = outcome.sent ? `${outcome.sent} sent to your diary.` : "";
    const refused = outcome.attention ? ` ${outcome.attention} need your attention.` : "";
    say(`${sent}${refused}`.trim());
  }
}

if (outbox && template) {
  outbox.onChange(render);
  document.addEventListener("outbox:sent", (event) => report(event.detail));
  sendButton.addEventListener("click", async () => {
    if (!navigator.onLine) {
      say("There is no connection just now. The entries are sent by themselves when it is back.");
      return;
    }
    sendButton.disabled = true;
    try {
      await send({ reconnected: true });
    } finally {
      sendButton.disabled = false;
    }
  });
  render();
}
