// The reminders page: turn notifications on or off in this browser, or say plainly why not.
const section = document.querySelector("[data-push]");
const status = section?.querySelector("[data-push-status]");
const onButton = section?.querySelector("[data-push-subscribe]");
const offButton = section?.querySelector("[data-push-unsubscribe]");
const testForm = section?.querySelector("[data-push-test]");
const emailReady = section?.dataset.emailReady === "yes";

function say(text) {
  if (status) status.textContent = text;
}

function show(subscribed) {
  if (onButton) onButton.hidden = subscribed;
  if (offButton) offButton.hidden = !subscribed;
}

function keyBytes(base64url) {
  const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

async function csrfToken() {
  const response = await fetch("/api/v1/auth/csrf", { credentials: "same-origin" });
  return (await response.json()).csrf_token;
}

async function send(method, subscription) {
  const response = await fetch("/api/v1/push/subscriptions", {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": await csrfToken() },
    body: JSON.stringify(subscription),
  });
  if (!response.ok && response.status !== 404) throw new Error(`HTTP ${response.status}`);
}

// The service worker comes with the offline app; until one is registered, push cannot work.
async function registration() {
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    return null;
  }
  const existing = await navigator.serviceWorker.getRegistration();
  return existing ? navigator.serviceWorker.ready : null;
}

const UNAVAILABLE = `This browser cannot show notifications from Pain Diary yet. ${
  emailReady ? "E-mail reminders and the calendar file below still work." : "The calendar file below still works."
}`;

async function refresh() {
  const reg = await registration();
  if (!reg) {
    show(true);
    if (offButton) offButton.hidden = true;
    say(UNAVAILABLE);
    return;
  }
  if (Notification.permission === "denied") {
    show(true);
    if (offButton) offButton.hidden = true;
    say("Notifications are blocked for this site. You can allow them in your browser's site settings.");
    return;
  }
  const subscription = await reg.pushManager.getSubscription();
  show(Boolean(subscription));
  if (subscription && testForm) testForm.hidden = false;
  say(subscription ? "Reminders will appear on this device." : "This device does not show reminders yet.");
}

async function subscribe() {
  const reg = await registration();
  if (!reg) return say(UNAVAILABLE);
  const { key } = await (await fetch("/api/v1/push/vapid-public-key")).json();
  const subscription = await reg.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: keyBytes(key),
  });
  await send("POST", subscription.toJSON());
}

async function unsubscribe() {
  const reg = await registration();
  const subscription = reg && (await reg.pushManager.getSubscription());
  if (!subscription) return;
  await send("DELETE", subscription.toJSON());
  await subscription.unsubscribe();
}

function guard(action, failure) {
  return async () => {
    try {
      await action();
    } catch (error) {
      say(`${failure} (${error.message || error})`);
      return;
    }
    await refresh();
  };
}

if (section) {
  onButton?.addEventListener("click", guard(subscribe, "Notifications could not be turned on."));
  offButton?.addEventListener("click", guard(unsubscribe, "Notifications could not be turned off."));
  refresh().catch(() => say(UNAVAILABLE));
}
