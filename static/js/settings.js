// Settings: turn reminder notifications on or off for this phone (Web Push), or say plainly why
// they cannot be. The server's side: GET /api/v1/push/vapid-public-key, POST and DELETE
// /api/v1/push/subscriptions with the browser's PushSubscription JSON.
const section = document.querySelector("[data-push]");
const status = section?.querySelector("[data-push-status]");
const onButton = section?.querySelector("[data-push-subscribe]");
const offButton = section?.querySelector("[data-push-unsubscribe]");
const READY_PATIENCE_MS = 10000;

const TEXT = {
  unsupported: "This browser cannot show notifications from Pain Diary. Reminders by e-mail still work where your server sends them.",
  blocked: "Notifications are blocked for this site. You can allow them in your browser's settings for this site, then come back here.",
  noServer: "This Pain Diary server does not send notifications. Ask the person who runs it, or use reminders by e-mail.",
  on: "Notifications are on for this phone.",
  off: "Notifications are off for this phone.",
  failed: "That did not work just now. Please check your connection and try again.",
};

function say(text) {
  status.textContent = text;
}

function show({ on = false, off = false } = {}) {
  onButton.hidden = !on;
  offButton.hidden = !off;
}

function settle(text, buttons = {}) {
  show(buttons);
  say(text);
}

function supported() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

async function registration() {
  const timeout = new Promise((resolve) => setTimeout(resolve, READY_PATIENCE_MS, null));
  return Promise.race([navigator.serviceWorker.ready, timeout]);
}

function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(base64url.length / 4) * 4, "=");
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

async function csrfToken() {
  const response = await fetch("/api/v1/auth/csrf", { credentials: "same-origin", cache: "no-store" });
  return (await response.json()).csrf_token;
}

async function tellServer(method, body) {
  return fetch("/api/v1/push/subscriptions", {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": await csrfToken() },
    body: JSON.stringify(body),
  });
}

async function refresh() {
  if (!supported()) return settle(TEXT.unsupported);
  if (Notification.permission === "denied") return settle(TEXT.blocked);
  const reg = await registration();
  if (!reg) return settle(TEXT.unsupported);
  const subscription = await reg.pushManager.getSubscription();
  settle(subscription ? TEXT.on : TEXT.off, { on: !subscription, off: Boolean(subscription) });
}

async function subscribe() {
  const keyResponse = await fetch("/api/v1/push/vapid-public-key", { credentials: "same-origin" });
  if (keyResponse.status === 404) return settle(TEXT.noServer);
  if (!keyResponse.ok) return say(TEXT.failed);
  const { key } = await keyResponse.json();
  if (await Notification.requestPermission() !== "granted") return settle(TEXT.blocked);
  const reg = await registration();
  if (!reg) return settle(TEXT.unsupported);
  const subscription = await reg.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: keyBytes(key),
  });
  const saved = await tellServer("POST", subscription.toJSON());
  if (!saved.ok) {
    await subscription.unsubscribe();
    return say(TEXT.failed);
  }
  settle(TEXT.on, { off: true });
}

async function unsubscribe() {
  const reg = await registration();
  const subscription = reg && (await reg.pushManager.getSubscription());
  if (subscription) {
    // The browser forgets it first; the server drops it too, or at the first push that fails.
    const { endpoint } = subscription;
    await subscription.unsubscribe();
    try {
      await tellServer("DELETE", { endpoint });
    } catch {
      // offline: the push service answers 410 later and the server forgets it then
    }
  }
  settle(TEXT.off, { on: true });
}

function guarded(action, button) {
  return async () => {
    button.disabled = true;
    try {
      await action();
    } catch {
      say(TEXT.failed);
    } finally {
      button.disabled = false;
    }
  };
}

if (section) {
  onButton.addEventListener("click", guarded(subscribe, onButton));
  offButton.addEventListener("click", guarded(unsubscribe, offButton));
  refresh().catch(() => say(TEXT.failed));
}
