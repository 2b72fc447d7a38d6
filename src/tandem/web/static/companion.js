// The companion panel: a stored session over the JSON API. Text is set with textContent only
// (never innerHTML), and actions run only through the Confirm button (a typed "yes" is not one).
(function () {
  const panel = document.getElementById("companion");
  if (!panel) return;
  const log = panel.querySelector(".companion-log");
  const form = panel.querySelector(".companion-form");
  const box = panel.querySelector(".companion-confirm");
  const storageKey = "tandem-companion-" + panel.dataset.key;
  // The session cookie says who; the page's CSRF token proves the request came from this site.
  const csrf = document.querySelector('meta[name="csrf-token"]');
  const headers = { "Content-Type": "application/json", "X-CSRF-Token": csrf ? csrf.content : "" };
  // A page answered on the server (a form sent without JavaScript) names its session.
  let sessionId = panel.dataset.sessionId || sessionStorage.getItem(storageKey);
  let pending = null;
  const screen = panel.dataset.requestId || ""; // the decision-log id of the ranking shown

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function show(message) {
    const item = el("li", "msg " + message.role);
    item.appendChild(el("div", "msg-text", message.text));
    const p = message.payload || {};
    if (p.data && p.data.job_id && p.intent === "posted") {
      const link = el("a", "msg-link", "Open the new job");
      link.href = "/jobs/" + encodeURIComponent(p.data.job_id);
      item.appendChild(link);
    }
    (p.facts || []).forEach((f) => item.appendChild(el("div", "msg-fact", "source: " + f.source + " → " + f.claim)));
    (p.notes || []).forEach((n) => item.appendChild(el("div", "msg-note", n)));
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  function setPending(action) {
    pending = action;
    box.hidden = !action;
    box.querySelector(".pending-summary").textContent = action ? "Waiting for your confirmation: " + action.summary + "." : "";
  }

  async function call(method, url, body) {
    const response = await fetch(url, { method, headers, body: body ? JSON.stringify(body) : undefined });
    const data = await response.json();
    if (!response.ok) throw new Error(data.detail || response.statusText);
    return data;
  }

  async function open() {
    if (sessionId) {
      try {
        const session = await call("GET", "/api/companion/sessions/" + sessionId);
        log.replaceChildren(); // the server's copy of the transcript, if any, is replaced
        panel.querySelectorAll(".nojs-confirm").forEach((f) => { f.hidden = true; });
        session.messages.forEach(show);
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
    session.messages.forEach(show);
  }

  async function send(body) {
    if (screen) body.request_id = screen; // the ranking on this page: "the second one" means it
    panel.classList.add("busy");
    try {
      const turn = await call("POST", "/api/companion/sessions/" + sessionId + "/messages", body);
      turn.messages.forEach(show);
      setPending(turn.pending);
    } catch (err) {
      show({ role: "error", text: String(err.message || err), payload: {} });
    } finally {
      panel.classList.remove("busy");
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = form.text.value.trim();
    if (!text) return;
    form.text.value = "";
    send({ text });
  });
  form.text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  panel.querySelectorAll(".suggest").forEach((b) => b.addEventListener("click", () => send({ text: b.textContent })));
  box.querySelector(".confirm").addEventListener("click", () => pending && send({ text: "yes", confirm: pending.id }));
  box.querySelector(".cancel").addEventListener("click", () => pending && send({ text: "no" }));
  open().catch((err) => show({ role: "error", text: "The assistant is unavailable: " + err.message, payload: {} }));
})();
