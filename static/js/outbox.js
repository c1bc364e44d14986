// The outbox: entries saved on this phone, each with its UUID, kept in IndexedDB until the
// diary has them. Shared by the pages and the service worker (Background Sync), so it is a
// classic script that sets self.PainDiaryOutbox: the worker loads it with importScripts(),
// and module service workers are not available in every browser we serve.
//
// Sending is safe to repeat: the API answers the same UUID with the same content with 200 and
// stores nothing twice. An entry leaves the outbox only when the diary has it, or when the
// person deletes it themselves. Network errors, 5xx and 429 wait and retry (honouring
// Retry-After); other 4xx answers put the entry in "needs your attention" to be fixed.
(function (scope) {
  "use strict";

  const DB_NAME = "pain-diary";
  const STORE = "outbox";
  const CHANNEL = "pain-diary-outbox";
  const LOCK = "pain-diary-outbox";
  const SYNC_TAG = "pain-diary-outbox";
  const ENTRIES = "/api/v1/patients/me/entries";
  const TIMEOUT_MS = 20000;
  const BACKOFF_FIRST_MS = 2000;
  const BACKOFF_MAX_MS = 10 * 60 * 1000;
  const RETRY_AFTER_MAX_MS = 24 * 3600 * 1000;

  let dbPromise = null;
  const listeners = new Set();
  const channel = "BroadcastChannel" in scope ? new scope.BroadcastChannel(CHANNEL) : null;
  if (channel) channel.onmessage = () => notify();

  function notify() {
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        // A listener's trouble must not stop the others (or the send that called us).
        scope.setTimeout(() => { throw error; });
      }
    }
  }

  function changed() {
    notify();
    if (channel) channel.postMessage("changed");
  }

  function open() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const request = scope.indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "id" });
        request.onsuccess = () => {
          const db = request.result;
          // Another tab or the sign-out wants the database gone: let it go.
          db.onversionchange = () => { db.close(); dbPromise = null; };
          db.onclose = () => { dbPromise = null; };
          resolve(db);
        };
        request.onerror = () => { dbPromise = null; reject(request.error); };
      });
    }
    return dbPromise;
  }

  function done(request) {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  // Reading must not create the database: after a sign-out, a page that only shows the badge
  // would otherwise leave an empty one behind.
  async function exists() {
    if (dbPromise || !scope.indexedDB.databases) return true;
    const names = (await scope.indexedDB.databases()).map((info) => info.name);
    return names.includes(DB_NAME);
  }

  async function read(work, absent) {
    if (!(await exists())) return absent;
    const db = await open();
    return done(work(db.transaction(STORE, "readonly").objectStore(STORE)));
  }

  // Wait for the commit ("strict": on disk), so "saved on this phone" is true when we say it.
  async function write(work) {
    const db = await open();
    const transaction = db.transaction(STORE, "readwrite", { durability: "strict" });
    work(transaction.objectStore(STORE));
    await new Promise((resolve, reject) => {
      transaction.oncomplete = resolve;
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
    changed();
  }

  const all = () => read((store) => store.getAll(), []);
  const get = (id) => read((store) => store.get(id), undefined);

  function record(body, user) {
    return {
      id: body.id,
      user: user || null,
      body,
      state: "waiting",
      saved_at: new Date().toISOString(),
      attempts: 0,
      not_before: 0,
      wait_reason: null,
      status: null,
      detail: null,
      errors: null,
    };
  }

  /** Keep a new entry (its body as the API takes it, with its id). */
  function save(body, user) {
    return write((store) => store.put(record(body, user)));
  }

  /** Replace an entry that needed attention by its corrected version (a new id). */
  function replace(oldId, body, user) {
    return write((store) => {
      if (oldId && oldId !== body.id) store.delete(oldId);
      store.put(record(body, user));
    });
  }

  function remove(id) {
    return write((store) => store.delete(id));
  }

  async function counts() {
    const records = await all();
    return {
      waiting: records.filter((r) => r.state === "waiting").length,
      attention: records.filter((r) => r.state === "attention").length,
    };
  }

  /** Forget everything (sign-out): close our connection and delete the database. */
  async function clear() {
    if (dbPromise) {
      try { (await dbPromise).close(); } catch { /* it was not open */ }
      dbPromise = null;
    }
    await new Promise((resolve, reject) => {
      const request = scope.indexedDB.deleteDatabase(DB_NAME);
      request.onsuccess = resolve;
      request.onerror = () => reject(request.error);
      // Other tabs close their connections on "versionchange"; deletion then goes on.
      request.onblocked = () => {};
    });
    changed();
  }

  function onChange(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  async function request(url, options = {}) {
    const controller = new AbortController();
    const timer = scope.setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      return await scope.fetch(url, {
        credentials: "same-origin",
        cache: "no-store",
        ...options,
        signal: controller.signal,
      });
    } finally {
      scope.clearTimeout(timer);
    }
  }

  function retryAfterMs(value) {
    if (!value) return 0;
    const seconds = /^\s*\d+\s*$/.test(value) ? Number(value) * 1000 : Date.parse(value) - Date.now();
    return Number.isFinite(seconds) ? Math.min(Math.max(seconds, 0), RETRY_AFTER_MAX_MS) : 0;
  }

  function backoffMs(attempts) {
    const base = Math.min(BACKOFF_FIRST_MS * 2 ** Math.max(attempts - 1, 0), BACKOFF_MAX_MS);
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  async function update(id, change) {
    await write((store) => {
      const lookup = store.get(id);
      lookup.onsuccess = () => {
        if (lookup.result) store.put({ ...lookup.result, ...change(lookup.result) });
      };
    });
  }

  function waitLonger(entry, reason, retryAfter) {
    return update(entry.id, (current) => {
      const attempts = current.attempts + 1;
      const wait = Math.max(backoffMs(attempts), retryAfterMs(retryAfter));
      return { attempts, not_before: Date.now() + wait, wait_reason: reason };
    });
  }

  async function needsAttention(entry, response) {
    let problem = {};
    try {
      problem = await response.json();
    } catch {
      problem = {};
    }
    await update(entry.id, () => ({
      state: "attention",
      status: response.status,
      detail: typeof problem.detail === "string" ? problem.detail : `The diary answered ${response.status}.`,
      errors: problem.errors && typeof problem.errors === "object" ? problem.errors : null,
    }));
  }

  async function csrfToken() {
    const response = await request("/api/v1/auth/csrf");
    if (!response.ok) throw new Error(`csrf ${response.status}`);
    return (await response.json()).csrf_token;
  }

  function post(body, token) {
    return request(ENTRIES, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body),
    });
  }

  function isDue(entry, now, reconnected) {
    return !entry.not_before || entry.not_before <= now || (reconnected && entry.wait_reason === "network");
  }

  function nextRetry(entries) {
    const now = Date.now();
    const times = entries.filter((e) => e.state === "waiting" && e.not_before > now).map((e) => e.not_before - now);
    return times.length ? Math.min(...times) : null;
  }

  // One run: who is signed in, a fresh CSRF token (it could have changed under a queued
  // entry), then the due entries oldest first. A network error or a busy server ends the run.
  async function run({ reconnected = false } = {}) {
    const outcome = { sent: 0, attention: 0, results: {}, signin: false, offline: false, retryIn: null };
    const now = Date.now();
    const due = (await all())
      .filter((e) => e.state === "waiting" && isDue(e, now, reconnected))
      .sort((a, b) => a.saved_at.localeCompare(b.saved_at));
    if (!due.length) {
      outcome.retryIn = nextRetry(await all());
      return outcome;
    }
    let user;
    let token;
    try {
      const me = await request("/api/v1/me");
      if (me.status === 401) {
        outcome.signin = true;
        for (const entry of due) outcome.results[entry.id] = "signin";
        return outcome;
      }
      if (!me.ok) throw Object.assign(new Error("busy"), { response: me });
      user = (await me.json()).id;
      token = await csrfToken();
    } catch (error) {
      const reason = error.response ? "server" : "network";
      await waitLonger(due[0], reason, error.response?.headers.get("Retry-After"));
      outcome.offline = reason === "network";
      for (const entry of due) outcome.results[entry.id] = outcome.offline ? "offline" : "retry";
      outcome.retryIn = nextRetry(await all());
      return outcome;
    }
    for (const entry of due) {
      if (entry.user && entry.user !== user) {
        outcome.results[entry.id] = "other-user";
        continue;
      }
      let response;
      try {
        response = await post(entry.body, token);
        if (response.status === 403) {
          token = await csrfToken();
          response = await post(entry.body, token);
        }
      } catch {
        await waitLonger(entry, "network");
        outcome.offline = true;
        outcome.results[entry.id] = "offline";
        break;
      }
      if (response.ok) {
        await remove(entry.id);
        outcome.sent += 1;
        outcome.results[entry.id] = "sent";
      } else if (response.status === 401) {
        outcome.signin = true;
        outcome.results[entry.id] = "signin";
        break;
      } else if (response.status === 429 || response.status === 403 || response.status >= 500) {
        await waitLonger(entry, "server", response.headers.get("Retry-After"));
        outcome.results[entry.id] = "retry";
        break;
      } else {
        await needsAttention(entry, response);
        outcome.attention += 1;
        outcome.results[entry.id] = "attention";
      }
    }
    outcome.retryIn = nextRetry(await all());
    return outcome;
  }

  /**
   * Send what is due. `reconnected`: the connection just came back (or the person pressed
   * "Send now"), so entries that waited only for the network go at once; a server's
   * Retry-After is honoured all the same.
   */
  function flush(options = {}) {
    const locks = scope.navigator && scope.navigator.locks;
    // One sender at a time across tabs and the worker; the API would cope, the badge less so.
    return locks ? locks.request(LOCK, () => run(options)) : run(options);
  }

  scope.PainDiaryOutbox = Object.freeze({
    SYNC_TAG, all, get, save, replace, remove, counts, clear, onChange, flush,
  });
})(self);
