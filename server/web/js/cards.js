// The three choice steps of the guide as card groups: personas (audience_group), marketing
// angles (marketing_angle) and psychology-based scripts (psychology_selection).
//
// A group only draws; whether its buttons work is decided by the conversation (the latest group
// of the pending step, no response running), which calls setEnabled() after every frame.

import { h } from "./dom.js";
import { complianceBadge } from "./compliance.js";

const METRIC_LABELS = {
  emotion: "Emotion",
  proof: "Proof",
  differentiation: "Differentiation",
  hook: "Hook",
  mechanism: "Mechanism",
  believability: "Believability",
  cta: "Call to action",
};

/** Scores arrive as strings ("9.0", "7.8/10"); a bar needs the number out of 10. */
function outOfTen(value) {
  const n = Number.parseFloat(String(value));
  return Number.isFinite(n) ? Math.min(Math.max(n / 10, 0), 1) : 0;
}

export function metricsList(metrics = {}) {
  const rows = Object.entries(metrics).map(([key, value]) =>
    h(
      "div",
      { class: "metric" },
      h("dt", { text: METRIC_LABELS[key] || key }),
      h(
        "dd",
        {},
        h("span", { class: "metric-value", text: String(value) }),
        h(
          "span",
          { class: "metric-bar", "aria-hidden": "true" },
          h("span", { style: `width:${Math.round(outOfTen(value) * 100)}%` }),
        ),
      ),
    ),
  );
  return rows.length ? h("dl", { class: "metrics" }, rows) : null;
}

function chips(values = []) {
  return values.length
    ? h("ul", { class: "chips" }, values.map((v) => h("li", { text: v })))
    : null;
}

/** A focusable card whose Enter key does what its primary button does. */
function choiceCard({ id, label, className, body, primary, extra = [] }) {
  const button = h("button", {
    type: "button",
    class: "btn btn-primary",
    text: primary.text,
    on: { click: () => primary.onClick() },
  });
  const card = h(
    "article",
    { class: `card ${className}`, tabindex: "0", "aria-label": label, dataset: { optionId: id } },
    body,
    h("div", { class: "card-actions" }, extra, button),
  );
  card.addEventListener("keydown", (event) => {
    // Only when the card itself has focus: Enter on an inner button already clicks it.
    if (event.target !== card || (event.key !== "Enter" && event.key !== " ")) return;
    event.preventDefault();
    if (!button.disabled) button.click();
  });
  return { card, button };
}

/** A titled grid of cards with the enable/chosen/retired states the conversation drives. */
function cardGroup({ kind, title, intro, items, build }) {
  const grid = h("div", { class: "cards" });
  const cards = new Map();
  for (const item of items) {
    const built = build(item);
    cards.set(String(item.id), built);
    grid.append(built.card);
  }
  const el = h(
    "section",
    { class: "card-group", dataset: { kind }, "aria-label": title },
    h("h3", { class: "group-title", text: title }),
    intro,
    grid,
  );
  return {
    el,
    kind,
    items,
    item: (id) => items.find((i) => String(i.id) === String(id)),
    setEnabled(enabled) {
      el.classList.toggle("is-active", enabled);
      for (const { button } of cards.values()) button.disabled = !enabled;
    },
    markChosen(optionId) {
      const chosen = cards.get(String(optionId));
      if (!chosen || chosen.card.classList.contains("chosen")) return;
      chosen.card.classList.add("chosen");
      chosen.card.querySelector(".card-head")?.append(h("span", { class: "badge badge-chosen", text: "Selected" }));
    },
    /** A newer group of the same step replaced this one (the user asked for other options). */
    retire() {
      el.classList.add("is-retired");
    },
  };
}

export function personaGroup(data, { onChoose }) {
  return cardGroup({
    kind: "persona_selection",
    title: `Audiences for ${data.productName || "your product"}`,
    items: data.audiences || [],
    build: (a) =>
      choiceCard({
        id: a.id,
        label: `Persona: ${a.name}`,
        className: "persona-card",
        primary: { text: "Continue with this persona", onClick: () => onChoose(a) },
        body: [
          h(
            "div",
            { class: "card-head" },
            a.avatar
              ? h("img", {
                  class: "persona-avatar",
                  src: a.avatar,
                  alt: "",
                  width: "48",
                  height: "48",
                  loading: "lazy",
                  on: { error: (e) => e.target.remove() },
                })
              : null,
            h(
              "div",
              {},
              h("h4", { class: "card-title", text: a.name }),
              complianceBadge(a.compliance),
              a.label
                ? h("span", {
                    class: "badge",
                    style: `--badge:${/^#[0-9a-f]{3,8}$/i.test(a.labelColor || "") ? a.labelColor : "var(--accent)"}`,
                    text: a.label,
                  })
                : null,
            ),
          ),
          h(
            "p",
            { class: "card-meta" },
            [a.age || a.ageRange, a.gender, a.location].filter(Boolean).join(" · "),
          ),
          h("p", { class: "card-text", text: a.description || "" }),
          chips(a.traits || a.keyTraits),
          (a.painPoints || []).length
            ? h(
                "div",
                { class: "card-list" },
                h("h5", { text: "Pain points" }),
                h("ul", {}, a.painPoints.map((p) => h("li", { text: p }))),
              )
            : null,
        ],
      }),
  });
}

export function angleGroup(data, { onChoose }) {
  return cardGroup({
    kind: "angle_selection",
    title: "Marketing angles",
    items: data.angles || [],
    build: (angle) =>
      choiceCard({
        id: angle.id,
        label: `Angle: ${angle.title}`,
        className: "angle-card",
        primary: { text: "Continue with this angle", onClick: () => onChoose(angle) },
        body: [
          h(
            "div",
            { class: "card-head" },
            h("h4", { class: "card-title", text: angle.title }),
            complianceBadge(angle.compliance),
            angle.score ? h("span", { class: "score", text: angle.score }) : null,
          ),
          h("p", { class: "card-text", text: angle.description || "" }),
          metricsList(angle.metrics),
          angle.reason
            ? h("p", { class: "card-reason" }, h("strong", { text: "Why it works: " }), angle.reason)
            : null,
        ],
      }),
  });
}

/**
 * The psychology concepts with their scripts. `media` is "video" or "image"; `avatars` feeds
 * the presenter picker of video sessions; `onDetails` opens the script modal (no API call).
 */
export function psychologyGroup(data, { media, avatars, onGenerate, onDetails }) {
  const verb = media === "image" ? "Generate image" : "Generate video";
  let avatarSelect = null;
  let intro = null;
  if (media !== "image" && avatars.length) {
    const selectId = `avatar-${Math.random().toString(36).slice(2, 8)}`;
    avatarSelect = h(
      "select",
      { id: selectId, class: "avatar-select" },
      h("option", { value: "", text: "Default presenter" }),
      avatars.map((a) =>
        h("option", { value: a.id, text: `${a.name} · ${a.style} (${a.ageRange})` }),
      ),
    );
    intro = h(
      "div",
      { class: "group-intro" },
      h("label", { for: selectId, text: "Presenter" }),
      avatarSelect,
    );
  }
  const group = cardGroup({
    kind: "script_selection",
    title: `Scripts for ${data.formatName || "your format"}`,
    intro,
    items: data.concepts || [],
    build: (concept) =>
      choiceCard({
        id: concept.id,
        label: `Script: ${concept.title}`,
        className: "psychology-card",
        primary: {
          text: verb,
          onClick: () => onGenerate(concept, avatarSelect ? avatarSelect.value || null : null),
        },
        extra: [
          h("button", {
            type: "button",
            class: "btn btn-secondary",
            text: "See script details",
            on: { click: (event) => onDetails(concept, event.currentTarget) },
          }),
        ],
        body: [
          h(
            "div",
            { class: "card-head" },
            h("h4", { class: "card-title", text: concept.title }),
            complianceBadge(concept.compliance),
            concept.score ? h("span", { class: "score", text: concept.score }) : null,
          ),
          concept.hook ? h("blockquote", { class: "card-hook", text: concept.hook }) : null,
          h("p", { class: "card-text", text: concept.description || "" }),
          metricsList(concept.metrics),
        ],
      }),
  });
  const setEnabled = group.setEnabled;
  group.setEnabled = (enabled) => {
    setEnabled(enabled);
    if (avatarSelect) avatarSelect.disabled = !enabled;
  };
  return group;
}
