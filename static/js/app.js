// Every page: the service worker, the badge of entries waiting on this phone, sending them when
// the connection returns, and a sign-out that asks first and leaves nothing behind.
const outbox = globalThis.PainDiaryOutbox;
const user = document.body.dataset.user || null;
const PAGES_CACHE = "pain-diary-pages";

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

/** Words for what the outbox holds, e.g. "2 entries waiting to be sent". */
export function describe({ waiting, attention }) {
  const parts = [];
  if (waiting) parts.push(`${plural(waiting, "entry", "entries")} waiting to be sent`);
  if (attention) parts.push(`${plural(attention, "entry needs", "entries need")} your attention`);
  return parts.join(", ");
}

let signInNeeded = false; // the last send found the sign-in over: entries wait for it

async function refreshBadge() {
  const badge = document.querySelector("[data-outbox-badge]");
  if (!badge || !outbox) return;
  let counts;
  try {
    counts = await outbox.counts();
  } catch {
    return; // storage unavailable (private mode): nothing can be waiting either
  }
  const total = counts.waiting + counts.attention;
  badge.hidden = total === 0;
  badge.classList.toggle("outbox-badge--attention", counts.attention > 0);
  const waitsForSignIn = signInNeeded && counts.waiting > 0;
  const them = counts.waiting === 1 ? "it" : "them";
  badge.textContent = describe(counts) + (waitsForSignIn ? `. Sign in to send ${them}` : "");
  badge.href = waitsForSignIn ? "/sign-in?next=/outbox" : "/outbox";
}

let retryTimer = null;

/** Send what is waiting; try again later when the network or the server asks us to. */
export async function send(options = {}) {
  if (!outbox) return null;
  let outcome;
  try {
    outcome = await outbox.flush(options);
  } catch {
    return null; // storage unavailable
  }
  signInNeeded = outcome.signin;
  refreshBadge();
  clearTimeout(retryTimer);
  if (outcome.retryIn !== null && navigator.onLine) {
    retryTimer = setTimeout(() => send(), outcome.retryIn);
  }
  document.dispatchEvent(new CustomEvent("outbox:sent", { detail: outcome }));
  return outcome;
}

/** Ask Background Sync (where the browser has it) to send the outbox when it can. */
export async function requestBackgroundSync() {
  if (!("serviceWorker" in navigator)) return;
  try {
    const registration = await navigator.serviceWorker.getRegistration();
    if (registration && "sync" in registration) await registration.sync.register(outbox.SYNC_TAG);
  } catch {
    // Not allowed here (e.g. no permission): the online event and start-up still send.
  }
}

async function startWorker() {
  if (!("serviceWorker" in navigator)) return;
  try {
    await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    const registration = await navigator.serviceWorker.ready;
    if (!user || !registration.active) return;
    // The worker keeps the log page for this person and says when it is ready for offline use.
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => {
      document.documentElement.dataset.offlineReady = String(Boolean(event.data?.ready));
    };
    registration.active.postMessage({ type: "signed-in", user }, [channel.port2]);
  } catch {
    // No service worker (private mode, an old browser): the app works online as before.
  }
}

/** Remove everything of the diary this browser keeps: the outbox and the cached log page. */
export async function forgetThisPhone() {
  const jobs = [];
  if (outbox) jobs.push(outbox.clear());
  if ("caches" in window) jobs.push(caches.delete(PAGES_CACHE));
  if ("serviceWorker" in navigator && navigator.serviceWorker.controller) {
    navigator.serviceWorker.controller.postMessage({ type: "signed-out" });
  }
  await Promise.allSettled(jobs);
}

function ask(dialog, title, text, { signOutLabel = null } = {}) {
  dialog.querySelector("#sign-out-title").textContent = title;
  dialog.querySelector("#sign-out-text").textContent = text;
  const [stay, leave] = dialog.querySelectorAll(".dialog-actions button");
  stay.textContent = signOutLabel ? "Stay signed in" : "OK";
  leave.hidden = !signOutLabel;
  if (signOutLabel) leave.textContent = signOutLabel;
  dialog.returnValue = "";
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "sign-out"), { once: true });
    dialog.showModal();
  });
}

async function freshToken(form) {
  try {
    const response = await fetch("/api/v1/auth/csrf", { credentials: "same-origin", cache: "no-store" });
    if (response.ok) return (await response.json()).csrf_token;
  } catch {
    // fall through to the token in the form
  }
  return form.elements.csrf_token.value;
}

function guardSignOut() {
  const form = document.querySelector("form[data-sign-out]");
  const dialog = document.getElementById("sign-out-dialog");
  if (!form || !dialog || !outbox) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    let counts = { waiting: 0, attention: 0 };
    try {
      counts = await outbox.counts();
    } catch {
      // nothing readable, nothing to lose
    }
    const total = counts.waiting + counts.attention;
    if (total > 0) {
      const text = `${plural(total, "entry", "entries")} saved on this phone could not reach your ` +
        `diary yet. If you sign out now, ${total === 1 ? "it is" : "they are"} deleted from this ` +
        "phone and lost.";
      const signOutLabel = `Sign out and delete ${total === 1 ? "it" : "them"}`;
      if (!(await ask(dialog, "Some entries are not sent yet", text, { signOutLabel }))) return;
    }
    const offline = () => ask(dialog, "Signing out needs a connection",
      "So that your diary is closed on the server too, signing out needs the internet. " +
      "Nothing was removed. Please try again when you are back online.");
    if (!navigator.onLine) {
      await offline();
      return;
    }
    button.disabled = true;
    let response;
    try {
      const body = new FormData(form);
      body.set("csrf_token", await freshToken(form));
      response = await fetch(form.action, {
        method: "POST", body, credentials: "same-origin", redirect: "manual",
      });
    } catch {
      button.disabled = false;
      await offline();
      return;
    }
    if (response.type !== "opaqueredirect" && !response.ok) {
      form.submit(); // let the server say what went wrong
      return;
    }
    await forgetThisPhone();
    window.location.assign("/sign-in");
  });
}

// On /offline: offer "Log pain" only when this phone really has the log page to show.
async function offerOfflineLog() {
  const offer = document.querySelector("[data-offline-log]");
  const missing = document.querySelector("[data-offline-log-missing]");
  if (!offer || !missing || navigator.onLine || !("caches" in window)) return;
  const cached = await caches.match("/entries/new", { cacheName: PAGES_CACHE });
  offer.hidden = !cached;
  missing.hidden = Boolean(cached);
}

if (outbox) {
  outbox.onChange(refreshBadge);
  refreshBadge();
  window.addEventListener("online", () => send({ reconnected: true }));
  if (navigator.onLine) send();
}
guardSignOut();
offerOfflineLog();
startWorker();
