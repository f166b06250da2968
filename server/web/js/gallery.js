// The asset gallery: GET /assets → {"assets": [{id, kind, product, headline, images, videos,
// sourceSession, offline, createdAt, ...}]}. Images may be URLs or data: URLs (ChatKit assets).
// A server without the endpoint (404) shows "Gallery unavailable" instead of an error.

import { api } from "./api.js";
import { formatWhen, h } from "./dom.js";

function preview(asset) {
  const video = (asset.videos || [])[0];
  const image = (asset.images || [])[0];
  const src = image || video?.thumbnailUrl;
  if (!src) return h("div", { class: "asset-thumb asset-thumb-empty", "aria-hidden": "true", text: "Ad" });
  return h("img", { class: "asset-thumb", src, alt: "", loading: "lazy" });
}

function mediaLink(asset) {
  const video = (asset.videos || [])[0];
  const url = video?.url || (asset.images || []).find((src) => !src.startsWith("data:"));
  if (!url) return null;
  return h("a", { class: "link", href: url, target: "_blank", rel: "noopener", text: video ? "Open video" : "Open image" });
}

function assetCard(asset, onOpenSession) {
  const title = asset.headline || asset.product || "Saved ad";
  return h(
    "li",
    { class: "asset" },
    preview(asset),
    h(
      "div",
      { class: "asset-body" },
      h("h3", { class: "asset-title", text: title }),
      h(
        "p",
        { class: "asset-meta" },
        [asset.product, asset.kind, formatWhen(asset.createdAt)].filter(Boolean).join(" · "),
        asset.offline ? " " : null,
        asset.offline ? h("span", { class: "badge badge-offline", text: "Offline" }) : null,
      ),
      h(
        "p",
        { class: "asset-links" },
        mediaLink(asset),
        asset.sourceSession
          ? h("button", {
              type: "button",
              class: "btn btn-link",
              text: "Open session",
              "aria-label": `Open the session of ${title}`,
              dataset: { session: asset.sourceSession },
              on: { click: () => onOpenSession(asset.sourceSession) },
            })
          : null,
      ),
    ),
  );
}

export class Gallery {
  constructor({ list, status, onOpenSession }) {
    Object.assign(this, { list, status, onOpenSession });
  }

  async refresh() {
    this.status.textContent = "Loading…";
    try {
      const body = await api("/assets");
      const assets = Array.isArray(body?.assets) ? body.assets : [];
      this.list.replaceChildren(...assets.map((a) => assetCard(a, this.onOpenSession)));
      this.status.textContent = assets.length ? `${assets.length} saved ad${assets.length > 1 ? "s" : ""}` : "No saved ads yet.";
    } catch (error) {
      this.list.replaceChildren();
      this.status.textContent =
        error.status === 404 ? "Gallery unavailable" : `Gallery unavailable: ${error.message}`;
    }
  }
}
