// "See script details": the full script of a psychology concept in a modal dialog.
//
// A native <dialog> opened with showModal() makes the rest of the page inert and closes on
// Escape; we add Tab wrapping (so focus never leaves for the browser's toolbar) and give focus
// back to the button that opened it.

import { h } from "./dom.js";
import { metricsList } from "./cards.js";
import { findingsSection } from "./compliance.js";

const FOCUSABLE = "button:not([disabled]), [href], select:not([disabled]), textarea, input, [tabindex]:not([tabindex='-1'])";

function section(title, text) {
  return text ? h("section", { class: "modal-section" }, h("h3", { text: title }), h("p", { text })) : null;
}

export class ScriptModal {
  constructor(dialog) {
    this.dialog = dialog;
    this.opener = null;
    dialog.addEventListener("keydown", (event) => this.trapTab(event));
    dialog.addEventListener("close", () => {
      this.opener?.focus();
      this.opener = null;
    });
    // A click on the backdrop (the dialog element itself, outside its content) closes it.
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close();
    });
  }

  /**
   * Show `concept`; `generate` is {text, enabled, run} for the footer's main button, and
   * `rewrite(finding)` (optional) asks the conversation for a finding's suggested rewrite.
   */
  open(concept, opener, generate, rewrite = null) {
    this.opener = opener;
    const titleId = "script-modal-title";
    const close = h("button", {
      type: "button",
      class: "btn btn-secondary",
      text: "Close",
      on: { click: () => this.dialog.close() },
    });
    const go = h("button", {
      type: "button",
      class: "btn btn-primary",
      text: generate.text,
      disabled: !generate.enabled,
      on: {
        click: () => {
          this.dialog.close();
          generate.run();
        },
      },
    });
    this.dialog.setAttribute("aria-labelledby", titleId);
    this.dialog.replaceChildren(
      h(
        "div",
        { class: "modal-body" },
        h(
          "header",
          { class: "modal-head" },
          h("h2", { id: titleId, text: concept.title }),
          concept.score ? h("span", { class: "score", text: concept.score }) : null,
        ),
        section("Hook", concept.hook),
        section("Full script", concept.fullScript || concept.description),
        section("Call to action", concept.callToAction),
        section("Visual direction", concept.visualDirection),
        findingsSection(concept.compliance, {
          enabled: Boolean(rewrite) && generate.enabled,
          onRewrite: (finding) => {
            this.dialog.close();
            rewrite?.(finding);
          },
        }),
        concept.metrics
          ? h("section", { class: "modal-section" }, h("h3", { text: "Scores" }), metricsList(concept.metrics))
          : null,
        h("footer", { class: "modal-actions" }, close, go),
      ),
    );
    this.dialog.showModal();
    close.focus();
  }

  trapTab(event) {
    if (event.key !== "Tab") return;
    const items = [...this.dialog.querySelectorAll(FOCUSABLE)];
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }
}
