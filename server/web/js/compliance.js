// The copy gate's verdict on a card: a badge on every card and the findings on the script modal.
//
// Cards carry a `compliance` object ({status, findings[{ruleId, severity, field, span, reason,
// rewrite}], placements}); cards from before the gate existed have none and show no badge.

import { h } from "./dom.js";

const LABELS = { clean: "Copy check passed", warn: "Review copy", blocked: "Copy blocked" };

/** "Copy blocked · 2" as a badge whose title says what to do. */
export function complianceBadge(compliance) {
  if (!compliance || !LABELS[compliance.status]) return null;
  const count = (compliance.findings || []).length;
  const label = compliance.status === "clean" ? LABELS.clean : `${LABELS[compliance.status]} · ${count}`;
  return h("span", {
    class: `badge badge-compliance is-${compliance.status}`,
    title:
      compliance.status === "clean"
        ? `No rule matched (${(compliance.placements || []).join(", ")})`
        : "Open the details to see each finding and its suggested rewrite",
    text: label,
  });
}

/** The findings as a modal section; `onRewrite(finding)` asks for the suggested rewrite. */
export function findingsSection(compliance, { onRewrite, enabled }) {
  const findings = compliance?.findings || [];
  if (!compliance) return null;
  const items = findings.map((f) =>
    h(
      "li",
      { class: `finding is-${f.severity}`, dataset: { ruleId: f.ruleId } },
      h(
        "p",
        { class: "finding-head" },
        h("span", { class: `badge badge-compliance is-${f.severity === "block" ? "blocked" : "warn"}`, text: f.severity === "block" ? "Blocks" : "Warning" }),
        h("code", { text: f.ruleId }),
        h("span", { class: "finding-field", text: f.field }),
      ),
      h("blockquote", { class: "finding-span", text: f.span?.text || "" }),
      h("p", { class: "finding-reason", text: f.reason }),
      f.rewrite
        ? h(
            "p",
            { class: "finding-rewrite" },
            h("strong", { text: "Suggested rewrite: " }),
            f.rewrite,
            " ",
            h("button", {
              type: "button",
              class: "btn btn-secondary btn-small",
              text: "Use this rewrite",
              disabled: !enabled,
              on: { click: () => onRewrite(f) },
            }),
          )
        : null,
    ),
  );
  return h(
    "section",
    { class: "modal-section compliance-findings" },
    h("h3", {}, "Copy check ", complianceBadge(compliance)),
    items.length ? h("ul", { class: "findings" }, items) : h("p", { text: "No rule matched this script." }),
  );
}
