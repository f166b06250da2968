// AdForge chat web app: the entry module. Wires the panels together and owns the open session.
//
// Reload-safety in one sentence: the only client state that matters is the session id in the URL
// hash (#session=<id>); everything on screen is rebuilt from the session's event stream, replayed
// from the start on every page load, and that same stream then carries on live.

import { ApiError, api, apiKey, setApiKey } from "./js/api.js";
import { Conversation } from "./js/conversation.js";
import { byId } from "./js/dom.js";
import { Gallery } from "./js/gallery.js";
import { errorMessage, notice } from "./js/messages.js";
import { ScriptModal } from "./js/modal.js";
import { SessionList } from "./js/sessions.js";
import { Setup } from "./js/setup.js";
import { SessionStream } from "./js/stream.js";
import { initialTheme, setTheme, toggleTheme } from "./js/theme.js";

const els = {
  chat: document.querySelector("main.chat"),
  messages: byId("messages"),
  title: byId("chat-title"),
  subtitle: byId("chat-subtitle"),
  typing: byId("typing"),
  composer: byId("composer"),
  input: byId("composer-input"),
  send: byId("send-button"),
  connection: byId("connection"),
};

const CONNECTION_TEXT = {
  connecting: "Connecting…",
  live: "",
  reconnecting: "Reconnecting…",
  closed: "Disconnected",
};

let avatars = [];
let conversation = null;
let stream = null;
let resultsSeen = 0;
const modal = new ScriptModal(byId("script-modal"));
const sessions = new SessionList({ onOpen: (id) => go(id) });
const gallery = new Gallery({
  list: byId("gallery-list"),
  status: byId("gallery-status"),
  onOpenSession: (id) => go(id),
});
const setup = new Setup({ onStart: startSession, onError: showError });

// --- errors -------------------------------------------------------------------------------------

/** Every failure ends up as a message in the chat, in the server's own words. */
function showError(error, retry) {
  const body =
    error instanceof ApiError
      ? error
      : { message: error?.message || String(error), code: "client_error", retryable: false };
  els.messages.append(errorMessage(body, retry));
  els.messages.lastElementChild.scrollIntoView({ block: "nearest" });
  if (error?.status === 401) {
    const settings = document.querySelector(".connection-settings");
    settings.open = true;
    byId("api-key").focus();
  }
}

// --- the open session ---------------------------------------------------------------------------

function sessionFromHash() {
  const match = /(?:^#|&)session=([^&]+)/.exec(location.hash);
  return match ? decodeURIComponent(match[1]) : null;
}

/** Open a session through the URL, so a reload (or the back button) keeps it. */
function go(sessionId) {
  if (sessionFromHash() === sessionId) openSession(sessionId);
  else location.hash = `session=${encodeURIComponent(sessionId)}`; // → hashchange → openSession
}

function closeSession() {
  stream?.close();
  conversation?.dispose();
  stream = null;
  conversation = null;
  els.messages.replaceChildren();
  els.connection.textContent = "";
}

function describe(session) {
  els.title.textContent = session.product?.name || "Chat";
  const status = session.status === "completed" ? "completed" : "in progress";
  els.subtitle.textContent = [session.format, session.mediaType, status].filter(Boolean).join(" · ");
}

async function openSession(sessionId, { firstMessage = null } = {}) {
  closeSession();
  document.body.dataset.session = sessionId;
  sessions.markCurrent(sessionId);
  let session;
  try {
    session = await api(`/api/chat/sessions/${encodeURIComponent(sessionId)}`);
  } catch (error) {
    els.title.textContent = "Chat";
    els.subtitle.textContent = "This session could not be opened.";
    showError(error, { text: "Try again", run: () => openSession(sessionId) });
    updateComposer();
    return;
  }
  if (document.body.dataset.session !== sessionId) return; // another session was opened meanwhile
  describe(session);
  resultsSeen = 0;
  conversation = new Conversation({
    list: els.messages,
    session,
    avatars,
    modal,
    onError: showError,
    onChange: updateComposer,
    onMilestone: (kind) => milestone(kind),
  });
  const current = conversation;
  stream = new SessionStream(sessionId, {
    onFrame: (frame) => {
      const atBottom = nearBottom();
      current.handle(frame);
      if (atBottom) els.messages.lastElementChild?.scrollIntoView({ block: "end" });
    },
    onStatus: (status) => {
      els.connection.textContent = CONNECTION_TEXT[status] ?? "";
      els.chat.dataset.stream = status;
    },
    onFatal: (error, { reset }) =>
      showError(error, {
        text: reset ? "Reload the session" : "Reconnect",
        run: () => (reset ? openSession(sessionId) : stream?.open()),
      }),
  });
  stream.open(0);
  if (firstMessage) current.sendText(firstMessage);
  else if (session.currentStep === "starting" && !session.activeRunId && session.lastSeq <= 1) {
    // Created but never started (e.g. reloaded before the first message went out).
    els.messages.append(notice("Send a message to start, for example the one below."));
    els.input.value = `Generate ads for ${session.product?.name || "my product"}`;
  }
  updateComposer();
}

/** Follow new messages only if the reader is already at the end (not reading older ones). */
function nearBottom() {
  const list = els.messages;
  if (list.scrollHeight > list.clientHeight + 1) {
    return list.scrollHeight - list.scrollTop - list.clientHeight < 80; // the list scrolls (wide)
  }
  const page = document.scrollingElement;
  return page.scrollHeight - page.scrollTop - innerHeight < 200; // the page scrolls (narrow)
}

let refreshTimer = null;

/** After a turn: take the server's snapshot (pending choice, status) and refresh the side lists. */
function milestone(kind) {
  if (kind === "result") resultsSeen += 1;
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(async () => {
    const current = conversation;
    if (!current) return;
    try {
      const session = await api(`/api/chat/sessions/${encodeURIComponent(current.id)}`);
      if (current !== conversation) return;
      current.reconcile(session);
      describe(session);
    } catch {
      // The stream reports connection problems; this refresh is only a consistency check.
    }
    sessions.refresh();
    if (resultsSeen) gallery.refresh();
  }, 300);
}

async function startSession(choice) {
  try {
    const created = await api("/api/chat/sessions", {
      method: "POST",
      body: { productId: choice.productId, format: choice.format, mediaType: choice.mediaType },
    });
    // The guide's first message; the session stream then shows the personas.
    await openSession(created.sessionId, { firstMessage: `Generate ads for ${choice.productName}` });
    history.pushState(null, "", `#session=${encodeURIComponent(created.sessionId)}`);
    sessions.refresh();
  } catch (error) {
    showError(error);
  }
}

// --- composer -----------------------------------------------------------------------------------

/** Why the composer is locked right now, or "" when the user may type. */
function composerLock(c) {
  if (!c) return "Start a session to chat";
  if (c.rendering) return "Your ad is rendering…";
  if (c.busy || c.sending) return "Wait for the response…";
  if (c.session.status === "completed") return "This ad is finished. Start a new one to make another.";
  return "";
}

function updateComposer() {
  const c = conversation;
  const lock = composerLock(c);
  els.input.disabled = els.send.disabled = Boolean(lock);
  els.input.placeholder = lock || (c.pending ? "Or describe what you want instead…" : "Message AdForge");
  els.typing.hidden = !c?.busy;
  // For styling and for tests: what the conversation is doing.
  els.chat.dataset.busy = String(Boolean(c?.busy));
  els.chat.dataset.pending = c?.pending?.kind || "";
}

els.composer.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = els.input.value.trim();
  if (!text || !conversation) return;
  els.input.value = "";
  conversation.sendText(text);
});

els.input.addEventListener("keydown", (event) => {
  // Enter sends, Shift+Enter makes a new line (the usual chat convention).
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    els.composer.requestSubmit();
  }
});

// --- boot ---------------------------------------------------------------------------------------

async function boot() {
  setTheme(initialTheme());
  byId("theme-toggle").addEventListener("click", toggleTheme);
  byId("sessions-refresh").addEventListener("click", () => sessions.refresh());
  byId("gallery-refresh").addEventListener("click", () => gallery.refresh());
  byId("api-key").value = apiKey();
  byId("api-key-save").addEventListener("click", () => {
    setApiKey(byId("api-key").value);
    location.reload();
  });
  window.addEventListener("hashchange", () => {
    const id = sessionFromHash();
    if (id && id !== conversation?.id) openSession(id);
  });

  api("/health")
    .then((health) => {
      byId("offline-badge").hidden = !health.offline;
    })
    .catch(() => {});
  try {
    const [, marketplace] = await Promise.all([setup.load(), api("/api/avatars/marketplace")]);
    avatars = marketplace.data || [];
  } catch (error) {
    showError(error, { text: "Reload", run: () => location.reload() });
  }
  sessions.refresh();
  gallery.refresh();
  const id = sessionFromHash();
  if (id) openSession(id);
  updateComposer();
}

// Public hooks: the assistant may switch the theme (`switch_theme`), and tests read the state.
window.adforge = {
  setTheme,
  openSession: go,
  get conversation() {
    return conversation;
  },
};

boot();
