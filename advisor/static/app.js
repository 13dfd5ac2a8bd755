// The chat page of `advisor serve`. No framework, no build step, nothing from another host.
// Everything the server sends is inserted as text (textContent), never as HTML; links are made only
// for http(s) addresses. The conversation's state comes with each answer and goes back with the next
// question; it is kept, with the transcript, in this tab's sessionStorage, so a reload goes on.
"use strict";

(function () {
  const STORAGE_KEY = "advisor.conversation.v1";
  const MAX_KEPT = 60; // turns kept for a reload; older ones are dropped
  const HELP =
    "Ask in your own words. Follow-ups work: after an answer about one call or institution, " +
    "\"and call 2?\" or \"what about <another institution>?\" asks the same of that one. " +
    "When I offer numbered choices, answer with the number or press its button. \"Am I eligible?\" " +
    "starts a step-by-step check of your own dates; \"cancel\" stops it, \"start afresh\" forgets what you " +
    "told me. /why opens the details of the last answer; /reset starts a new conversation.";

  const log = document.getElementById("log");
  const form = document.getElementById("ask");
  const input = document.getElementById("question");
  const send = document.getElementById("send");
  const status = document.getElementById("status");
  const restart = document.getElementById("restart");
  let saved = load();
  let busy = false;

  function load() {
    try {
      const data = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || "null");
      if (data && typeof data === "object" && Array.isArray(data.turns)) return data;
    } catch (e) {
      // Storage off or damaged: start afresh.
    }
    return { state: null, turns: [] };
  }

  function store() {
    saved.turns = saved.turns.slice(-MAX_KEPT);
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(saved));
    } catch (e) {
      // Storage off or full: the conversation still works until the page is left.
    }
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeUrl(url) {
    try {
      const parsed = new URL(String(url));
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function questionButton(label, question, className) {
    const button = el("button", className || "suggestion", label);
    button.type = "button";
    button.dataset.question = question;
    return button;
  }

  function renderUser(text) {
    const box = el("div", "message user");
    box.appendChild(el("span", "visually-hidden", "You asked: "));
    box.appendChild(el("p", "text", text));
    return box;
  }

  function renderNote(text, className) {
    const box = el("div", "message advisor " + className);
    box.appendChild(el("p", "text", text));
    return box;
  }

  function renderSources(sources) {
    const section = el("div", "sources");
    section.appendChild(el("p", "label", "Sources"));
    const list = el("ul");
    for (const source of sources) {
      const item = el("li");
      const url = safeUrl(source.url);
      if (url) {
        const link = el("a", null, source.title);
        link.href = url;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        item.appendChild(link);
      } else {
        item.appendChild(el("span", "title", source.title));
      }
      const about = [source.publisher, source.describes].filter(Boolean).join(" | ");
      if (about) item.appendChild(el("span", "about", " " + about));
      if (source.third_party) item.appendChild(el("span", "badge", "third party"));
      list.appendChild(item);
    }
    section.appendChild(list);
    return section;
  }

  function renderWhy(why) {
    const details = el("details", "why");
    details.appendChild(el("summary", null, "Why this answer?"));
    const list = el("dl");
    function row(term, value) {
      if (value === undefined || value === null || value === "") return;
      list.appendChild(el("dt", null, term));
      list.appendChild(el("dd", null, value));
    }
    function match(m) {
      return m ? m.entry + " (score " + m.score + (m.matched ? "; matched " + (m.matched.join(", ") || "nothing") : "") + ")" : null;
    }
    row("Question as understood", why.understood);
    if (why.terms) row("Terms", why.terms.join(", ") || "(none)");
    if (why.corrections && why.corrections.length) {
      row("Typos corrected", why.corrections.map(function (pair) { return pair[0] + " -> " + pair[1]; }).join(", "));
    }
    row("Chosen", match(why.chosen));
    row("Runner-up", match(why.runner_up));
    row("Outcome", why.outcome + (typeof why.threshold === "number" ? " (threshold " + why.threshold + ")" : ""));
    details.appendChild(list);
    return details;
  }

  function renderAnswer(data) {
    const box = el("div", "message advisor answer" + (data.matched ? "" : " declined"));
    box.appendChild(el("span", "visually-hidden", "The advisor says: "));
    if (data.notice) box.appendChild(el("p", "notice", data.notice));
    const asks = data.asks ? String(data.asks) : "";
    // The question the check asks next ends the text; it is shown apart, with its button.
    function withoutAsks(value) {
      const text = String(value || "");
      return asks && text.endsWith(asks) ? text.slice(0, text.length - asks.length).trimEnd() : text;
    }
    const parts = Array.isArray(data.parts) ? data.parts : [];
    if (parts.length > 1) {
      // A message that asked several things: each question as asked, its answer and its own sources.
      for (const part of parts) {
        const section = el("section", "part");
        section.appendChild(el("h3", "part-question", String(part.question || "")));
        const text = withoutAsks(part.text);
        if (text) section.appendChild(el("p", "text", text));
        if (Array.isArray(part.sources) && part.sources.length) section.appendChild(renderSources(part.sources));
        box.appendChild(section);
      }
    } else {
      const text = withoutAsks(data.text);
      if (text) box.appendChild(el("p", "text", text));
      if (Array.isArray(data.sources) && data.sources.length) box.appendChild(renderSources(data.sources));
    }
    if (asks) {
      box.appendChild(el("p", "asks", asks));
      const row = el("div", "buttons");
      row.appendChild(questionButton("Stop the check", "cancel", "secondary"));
      box.appendChild(row);
    }
    const choices = Array.isArray(data.choices) ? data.choices : [];
    if (choices.length) {
      const section = el("div", "choices");
      section.appendChild(el("p", "label", "Answer with a number:"));
      const list = el("ul", "buttons");
      for (const choice of choices) {
        const item = el("li");
        const button = questionButton(choice.number + ". " + choice.question, String(choice.number), "choice");
        item.appendChild(button);
        list.appendChild(item);
      }
      section.appendChild(list);
      box.appendChild(section);
    } else if (Array.isArray(data.suggestions) && data.suggestions.length) {
      const section = el("div", "related");
      section.appendChild(el("p", "label", data.matched ? "Related" : "You could ask"));
      const list = el("ul", "suggestions");
      for (const question of data.suggestions) {
        const item = el("li");
        item.appendChild(questionButton(question, question));
        list.appendChild(item);
      }
      section.appendChild(list);
      box.appendChild(section);
    }
    if (data.why) box.appendChild(renderWhy(data.why));
    return box;
  }

  function render(turn) {
    if (turn.kind === "user") return renderUser(turn.text);
    if (turn.kind === "answer") return renderAnswer(turn.data);
    return renderNote(turn.text, turn.kind);
  }

  function show(turn, remember) {
    const node = render(turn);
    log.appendChild(node);
    if (remember) {
      saved.turns.push(turn);
      store();
    }
    return node;
  }

  function setBusy(value) {
    busy = value;
    send.disabled = value;
    log.setAttribute("aria-busy", value ? "true" : "false");
    status.textContent = value ? "Thinking..." : "";
  }

  async function ask(question) {
    question = question.trim();
    if (!question || busy) return;
    const command = question.toLowerCase();
    if (command === "/reset") return startAfresh();
    if (command === "/help") {
      show({ kind: "user", text: question }, true);
      show({ kind: "note", text: HELP }, true).scrollIntoView({ block: "nearest" });
      return;
    }
    if (command === "/why") {
      const all = log.querySelectorAll("details.why");
      if (all.length) {
        const last = all[all.length - 1];
        last.open = true;
        last.querySelector("summary").focus();
      } else {
        show({ kind: "note", text: "Nothing to explain yet: ask a question first." }, false);
      }
      input.value = "";
      return;
    }
    input.value = "";
    show({ kind: "user", text: question }, true);
    setBusy(true);
    let node;
    try {
      const response = await fetch("/api/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ question: question, state: saved.state }),
      });
      let data = null;
      try {
        data = await response.json();
      } catch (e) {
        data = null;
      }
      if (response.ok && data && typeof data.text === "string") {
        saved.state = data.state || null;
        const answer = Object.assign({}, data);
        delete answer.state; // kept once, in saved.state
        node = show({ kind: "answer", data: answer }, true);
      } else {
        const message = data && data.error ? data.error : "the server answered with status " + response.status;
        node = show({ kind: "error", text: "Sorry, that did not work: " + message + "." }, false);
      }
    } catch (e) {
      input.value = question; // nothing lost: the question is back in the box
      node = show({ kind: "error", text: "Sorry, I could not reach the advisor. Check your connection and try again." }, false);
    } finally {
      setBusy(false);
    }
    node.scrollIntoView({ block: "start", behavior: "smooth" });
  }

  function startAfresh() {
    saved = { state: null, turns: [] };
    store();
    for (const node of Array.from(log.querySelectorAll(".message:not(.welcome)"))) node.remove();
    input.value = "";
    status.textContent = "New conversation started.";
    input.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    ask(input.value);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      ask(input.value);
    }
  });
  log.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-question]");
    if (!button) return;
    ask(button.dataset.question);
    input.focus();
  });
  restart.addEventListener("click", startAfresh);

  for (const turn of saved.turns) show(turn, false);
  if (saved.turns.length) log.lastElementChild.scrollIntoView({ block: "start" });
  input.focus();
})();
