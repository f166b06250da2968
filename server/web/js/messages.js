// Chat items for the frames that are not choice cards: the user's messages, the assistant's text
// and reasoning, status lines, job progress, selection summaries, errors and media results.
// Each function returns an <li> for the message list (ol#messages).

import { formatSeconds, h } from "./dom.js";

function item(kind, ...children) {
  return h("li", { class: `msg msg-${kind}` }, ...children);
}

const offlineBadge = () =>
  h("span", { class: "badge badge-offline", title: "Made by the offline engine", text: "Offline" });

export function userMessage(data = {}) {
  const body = data.isSelection
    ? h("p", {}, h("span", { class: "selection-label", text: `${data.label}: ` }), data.value)
    : h("p", { text: data.content || "" });
  return item("user", h("div", { class: "bubble" }, body));
}

export function aiText(content) {
  return item("ai", h("div", { class: "bubble" }, h("p", { text: content || "" })));
}

export function notice(text) {
  return item("notice", h("p", { text }));
}

export function reasoning(lines = []) {
  return item(
    "ai",
    h(
      "details",
      { class: "reasoning" },
      h("summary", { text: "Reasoning" }),
      h("ul", {}, lines.map((line) => h("li", { text: line }))),
    ),
  );
}

export function selectionSummary(data = {}) {
  return item(
    "summary",
    h("p", {}, h("span", { class: "check", "aria-hidden": "true", text: "✓ " }), `${data.label}: ${data.value}`),
  );
}

/** An error from a frame or an HTTP answer; `retry` (optional) adds a Retry button. */
export function errorMessage({ message, code, retryable }, retry) {
  return h(
    "li",
    { class: "msg msg-error", role: "alert" },
    h(
      "div",
      { class: "bubble" },
      h("p", { class: "error-text", text: message || "Something went wrong." }),
      h(
        "p",
        { class: "error-meta" },
        code ? h("code", { text: code }) : null,
        retryable ? " · you can try again" : null,
      ),
      retry
        ? h("button", {
            type: "button",
            class: "btn btn-secondary btn-small",
            text: retry.text || "Retry",
            on: { click: retry.run },
          })
        : null,
    ),
  );
}

/** A status line that later frames update in place (loading → completed). */
export function statusLine(data) {
  const label = h("span", { class: "status-label" });
  const extra = h("span", { class: "status-extra" });
  const el = item("status", h("p", { role: "status" }, h("span", { class: "status-dot", "aria-hidden": "true" }), label, extra));
  const line = {
    el,
    label: "",
    update(next) {
      line.label = next.label || line.label;
      label.textContent = line.label;
      const done = next.status === "completed";
      el.classList.toggle("is-done", done);
      el.classList.toggle("is-failed", next.status === "failed");
      extra.textContent = !done && next.estimatedTime ? ` · about ${next.estimatedTime}` : "";
    },
  };
  line.update(data);
  return line;
}

/**
 * A media job's progress: the estimate from the frame, the elapsed time from the job record
 * (its createdAt survives a reload), and a bar that creeps towards the estimate.
 */
export function jobLine(data, el) {
  const label = h("span", { class: "status-label", text: data.label || "Generating…" });
  const timing = h("span", { class: "status-extra" });
  const bar = h("progress", { max: "100", "aria-label": "Ad generation progress" });
  const content = [
    h("p", { role: "status" }, h("span", { class: "status-dot", "aria-hidden": "true" }), label, timing),
    bar,
  ];
  const host = el || item("status", []);
  host.classList.add("msg-job");
  host.classList.remove("is-done");
  host.replaceChildren(...content);
  const estimate = Number.parseFloat(data.estimatedTime) || 40;
  return {
    el: host,
    /**
     * Show the job's state. `percent` is the render's own progress (0–100) when the provider
     * reports one; otherwise the bar creeps towards the estimate.
     */
    progress(elapsedSeconds, status, percent) {
      const reported = Number(percent);
      const fraction = Number.isFinite(reported) && reported > 0
        ? Math.min(reported / 100, 1)
        : Math.min(elapsedSeconds / estimate, 0.95);
      bar.value = Math.round(fraction * 100);
      const state = status === "in_progress" ? "rendering" : status || "queued";
      timing.textContent = ` · ${state}, ${formatSeconds(elapsedSeconds)} of about ${formatSeconds(estimate)}`;
    },
    finish(ok, text) {
      host.classList.add(ok ? "is-done" : "is-failed");
      label.textContent = text;
      timing.textContent = "";
      bar.remove();
    },
  };
}

/** "1080x1920" → "1080 / 1920", so the player has its height before the video loads. */
function aspectRatio(resolution) {
  const match = /^(\d+)x(\d+)$/.exec(resolution || "");
  return match ? `aspect-ratio: ${match[1]} / ${match[2]}` : null;
}

export function videoResult(data = {}) {
  return item(
    "ai",
    h(
      "figure",
      { class: "result result-video" },
      h("video", {
        class: "result-media",
        src: data.videoUrl,
        poster: data.thumbnailUrl || null,
        controls: true,
        playsinline: true,
        preload: "metadata",
        style: aspectRatio(data.resolution),
        "aria-label": `Video ad for ${data.productName || "your product"}`,
      }),
      h(
        "figcaption",
        {},
        h("strong", { text: data.productName || "Your video ad" }),
        data.extraInfo ? ` · ${data.extraInfo}` : null,
        data.resolution ? ` · ${data.resolution}` : null,
        " ",
        data.offline ? offlineBadge() : null,
        " ",
        h("a", { href: data.videoUrl, download: "", class: "link", text: "Download" }),
      ),
    ),
  );
}

export function imageResult(data = {}) {
  return item(
    "ai",
    h(
      "figure",
      { class: "result result-image" },
      h("img", {
        class: "result-media",
        src: data.imageUrl,
        style: aspectRatio(data.resolution),
        alt: `Static ad for ${data.productName || "your product"}`,
      }),
      h(
        "figcaption",
        {},
        h("strong", { text: data.productName || "Your static ad" }),
        data.resolution ? ` · ${data.resolution}` : null,
        " ",
        data.offline ? offlineBadge() : null,
        " ",
        h("a", { href: data.imageUrl, download: "", class: "link", text: "Download" }),
      ),
    ),
  );
}
