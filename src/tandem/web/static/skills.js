// The profile form's skills field, as you type: what each skill will be saved as, and the
// taxonomy's names for the one being typed (buttons: Tab to one, Enter to use it). Without
// JavaScript the form still works: the server normalises the skills when it saves them.
// Text is set with textContent only (never innerHTML).
(function () {
  const input = document.getElementById("p-skills");
  if (!input || !window.fetch) return;
  const live = document.querySelector(".skills-live");
  const preview = document.getElementById("skills-preview");
  const box = live.querySelector(".suggestions");
  const known = new Map(); // typed text -> the server's answer
  let timer = null;

  function tokens() {
    return input.value.split(",").map((t) => t.trim()).filter((t) => t);
  }

  function current() {
    const before = input.value.slice(0, input.selectionStart ?? input.value.length);
    return before.split(",").pop().trim();
  }

  async function ask(text) {
    if (known.has(text)) return known.get(text);
    const url = input.dataset.suggest + "?q=" + encodeURIComponent(text);
    const reply = await fetch(url, { headers: { Accept: "application/json" } });
    if (!reply.ok) return null;
    const data = await reply.json();
    known.set(text, data);
    return data;
  }

  function replaceCurrent(name) {
    const at = input.selectionStart ?? input.value.length;
    const start = input.value.lastIndexOf(",", at - 1) + 1;
    let end = input.value.indexOf(",", at);
    if (end < 0) end = input.value.length;
    const head = input.value.slice(0, start) + (start ? " " : "");
    const tail = input.value.slice(end);
    input.value = head + name + (tail ? tail : ", ");
    input.focus();
    const caret = (head + name).length + (tail ? 0 : 2);
    input.setSelectionRange(caret, caret);
    update();
  }

  async function update() {
    const typed = tokens();
    const answers = await Promise.all(typed.map(ask));
    const saved = typed.map((t, i) => {
      const a = answers[i];
      if (!a || !a.saved_as) return t + " (kept as typed)";
      return a.saved_as === t ? t : t + " → " + a.saved_as;
    });
    preview.textContent = typed.length ? "Will be saved as: " + saved.join(", ") : "";
    box.replaceChildren();
    const now = current();
    const answer = now ? await ask(now) : null;
    for (const name of answer ? answer.suggestions : []) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = name;
      button.setAttribute("aria-label", "Use " + name + " for “" + now + "”");
      button.addEventListener("click", () => replaceCurrent(name));
      box.appendChild(button);
    }
    live.hidden = !typed.length;
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  });
  input.addEventListener("focus", update);
})();
