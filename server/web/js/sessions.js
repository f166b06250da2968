// "Past sessions": GET /api/chat/sessions (newest first); a click opens one via #session=<id>.

import { api } from "./api.js";
import { byId, formatWhen, h } from "./dom.js";

const STEP_NAMES = {
  starting: "not started",
  persona_selection: "choosing a persona",
  angle_selection: "choosing an angle",
  script_selection: "choosing a script",
  media_generation: "rendering",
  completed: "done",
};

export class SessionList {
  constructor({ onOpen }) {
    this.onOpen = onOpen;
    this.list = byId("session-list");
    this.status = byId("sessions-status");
    this.currentId = null;
  }

  async refresh() {
    try {
      const page = await api("/api/chat/sessions?limit=50");
      const sessions = page.data || [];
      this.list.replaceChildren(...sessions.map((s) => this.item(s)));
      this.status.textContent = sessions.length ? "" : "No sessions yet.";
    } catch (error) {
      this.status.textContent = `Could not load sessions: ${error.message}`;
    }
  }

  item(session) {
    const name = session.product?.name || session.productId;
    const step = STEP_NAMES[session.currentStep] || session.currentStep || "";
    return h(
      "li",
      {},
      h(
        "button",
        {
          type: "button",
          class: "session-item",
          "aria-current": session.sessionId === this.currentId ? "true" : null,
          dataset: { sessionId: session.sessionId },
          on: { click: () => this.onOpen(session.sessionId) },
        },
        h("span", { class: "session-name", text: name }),
        h("span", { class: "session-meta", text: [session.format, session.mediaType, step].filter(Boolean).join(" · ") }),
        h("span", { class: "session-meta", text: formatWhen(session.updatedAt) }),
      ),
    );
  }

  markCurrent(sessionId) {
    this.currentId = sessionId;
    for (const button of this.list.querySelectorAll(".session-item")) {
      if (button.dataset.sessionId === sessionId) button.setAttribute("aria-current", "true");
      else button.removeAttribute("aria-current");
    }
  }
}
