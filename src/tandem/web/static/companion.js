// The companion panel: a stored session over the JSON API. Text is set with textContent only
// (never innerHTML), and actions run only through the Confirm button (a typed "yes" is not one).
//
// A message is never dropped silently: it shows as sent at once, waits in a queue while the
// session opens or an earlier message is still being answered (the first answer after a start
// loads the encoder: seconds), says "still working" when slow, and on a failure says so plainly
// with a Retry button. Messages go one at a time, in order (two at once would race on the
// session's stored state).
(function () {
  const panel = document.getElementById("companion");
  if (!panel) return;
  const log = panel.querySelector(".companion-log");
  const form = panel.querySelector(".companion-form");
  const box = panel.querySelector(".companion-confirm");
  const status = panel.querySelector(".companion-status");
  const storageKey = "tandem-companion-" + panel.dataset.key;
  const SLOW_MS = 1500; // after this, a waiting message says the assistant is still working
  const GIVE_UP_MS = 90000; // a request that has not answered by then is shown as failed
  // The session cookie says who; the page's CSRF token proves the request came from this site.
  const csrf = document.querySelector('meta[name="csrf-token"]');
  const headers = { "Content-Type": "application/json", "X-CSRF-Token": csrf ? csrf.content : "" };
  // A page answered on the server (a form sent without JavaScript) names its session.
  let sessionId = panel.dataset.sessionId || sessionStorage.getItem(storageKey);
  let pending = null;
  let queue = Promise.resolve(); // each message waits for the one before it
  let waiting = 0; // messages sent and not yet answered (or failed)
  const screen = panel.dataset.requestId || ""; // the decision-log id of the ranking shown

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Server messages go above any message of this page still on its way (class "local").
  function show(message, before) {
    const p = message.payload || {};
    const item = el("li", "msg " + message.role + (p.control ? " control" : ""));
    item.appendChild(el("div", "msg-text", message.text));
    if (p.data && p.data.job_id && p.intent === "posted") {
      const link = el("a", "msg-link", "Open the new job");
      link.href = "/jobs/" + encodeURIComponent(p.data.job_id);
      item.appendChild(link);
    }
    (p.facts || []).forEach((f) => item.appendChild(el("div", "msg-fact", "source: " + f.source + " → " + f.claim)));
    (p.notes || []).forEach((n) => item.appendChild(el("div", "msg-note", n)));
    log.insertBefore(item, before || log.querySelector(".msg.local"));
    log.scrollTop = log.scrollHeight;
    return item;
  }

  function setPending(action) {
    pending = action;
    box.hidden = !action;
    box.querySelector(".pending-summary").textContent = action ? "Waiting for your confirmation: " + action.summary + "." : "";
  }

  function setStatus(text) {
    status.textContent = text;
    status.hidden = !text;
  }

  // While anything is on its way, Confirm and Cancel wait: what they name may change.
  function busy(delta) {
    waiting += delta;
    panel.classList.toggle("busy", waiting > 0);
    box.querySelectorAll("button").forEach((b) => { b.disabled = waiting > 0; });
    if (!waiting) setStatus("");
  }

  async function call(method, url, body) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), GIVE_UP_MS);
    let response;
    try {
      response = await fetch(url, { method, headers, body: body ? JSON.stringify(body) : undefined, signal: abort.signal });
    } catch (err) {
      throw new Error(abort.signal.aborted ? "no answer from the server" : "the server could not be reached");
    } finally {
      clearTimeout(timer);
    }
    let data = {};
    try {
      data = await response.json();
    } catch (err) {
      data = {}; // an error page that is not JSON (a proxy, a crash): its status says enough
    }
    if (!response.ok) throw new Error(data.detail || response.status + " " + response.statusText);
    return data;
  }

  async function open() {
    if (sessionId) {
      try {
        const session = await call("GET", "/api/companion/sessions/" + sessionId);
        log.querySelectorAll(".msg:not(.local)").forEach((m) => m.remove()); // the server's copy replaces the page's
        panel.querySelectorAll(".nojs-confirm").forEach((f) => { f.hidden = true; });
        session.messages.forEach((m) => show(m));
        setPending(session.pending);
        return;
      } catch (err) {
        sessionId = null; // gone (a new store): start again
      }
    }
    const body = panel.dataset.jobId ? { job_id: panel.dataset.jobId } : {};
    if (screen) body.request_id = screen;
    const session = await call("POST", "/api/companion/sessions", body);
    sessionId = session.id;
    sessionStorage.setItem(storageKey, sessionId);
    session.messages.forEach((m) => show(m));
  }

  let opening = open();
  opening.catch((err) => show({ role: "error", text: "The assistant is unavailable: " + err.message, payload: {} }));

  // One message: shown at once as on its way, answered in turn, or marked failed with Retry.
  function send(body, label, control) {
    if (screen) body.request_id = screen; // the ranking on this page: "the second one" means it
    const item = el("li", "msg user local sending" + (control ? " control" : ""));
    item.appendChild(el("div", "msg-text", label));
    const state = el("div", "msg-note msg-state", "Sending…");
    item.appendChild(state);
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    deliver(body, item, state);
  }

  function deliver(body, item, state) {
    busy(+1);
    item.classList.remove("failed");
    item.classList.add("sending");
    state.textContent = "Sending…";
    const slow = setTimeout(() => {
      state.textContent = "Sent; still working…";
      setStatus("The assistant is still working on your message. The first answer after a start can take a few seconds.");
    }, SLOW_MS);
    queue = queue.then(async () => {
      try {
        try {
          await opening;
        } catch (err) {
          opening = open(); // the session did not open: try again for this message
          await opening;
        }
        const turn = await call("POST", "/api/companion/sessions/" + sessionId + "/messages", body);
        turn.messages.forEach((m) => show(m, item));
        item.remove(); // the stored copy (shown above) replaces the page's
        setPending(turn.pending);
      } catch (err) {
        item.classList.remove("sending");
        item.classList.add("failed");
        state.textContent = "Not sent: " + (err.message || err) + ". ";
        const retry = el("button", "secondary retry", "Retry");
        retry.type = "button";
        retry.addEventListener("click", () => deliver(body, item, state));
        state.appendChild(retry);
        retry.focus();
      } finally {
        clearTimeout(slow);
        busy(-1);
      }
    });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = form.text.value.trim();
    if (!text) return;
    form.text.value = "";
    send({ text }, text);
  });
  form.text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  panel.querySelectorAll(".suggest").forEach((b) => b.addEventListener("click", () => send({ text: b.textContent }, b.textContent)));
  // Confirm is a press, not a typed "yes": it shows (and is stored) as what it confirmed.
  box.querySelector(".confirm").addEventListener("click", () => {
    if (pending && !waiting) send({ text: "", confirm: pending.id }, "Confirmed: " + pending.summary, true);
  });
  box.querySelector(".cancel").addEventListener("click", () => pending && !waiting && send({ text: "no" }, "no"));
})();
