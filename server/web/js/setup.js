// The "New ad" panel: product (GET/POST /api/products), format (GET /api/formats), media type.

import { api } from "./api.js";
import { byId, h } from "./dom.js";

const DEFAULT_PRODUCT = "1";
const DEFAULT_FORMAT = "Hybrid Format";

export class Setup {
  /** @param {{onStart: (choice: object) => Promise<void>, onError: (e: Error) => void}} handlers */
  constructor({ onStart, onError }) {
    this.onStart = onStart;
    this.onError = onError;
    this.products = [];
    this.formats = [];
    this.form = byId("start-form");
    this.productSelect = byId("product-select");
    this.formatSelect = byId("format-select");
    this.startButton = byId("start-button");
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.start();
    });
    this.formatSelect.addEventListener("change", () => this.syncMedia());
    byId("add-product-button").addEventListener("click", () => this.addProduct());
  }

  async load() {
    const [products, formats] = await Promise.all([
      api("/api/products?limit=100"),
      api("/api/formats"),
    ]);
    this.products = products.data || [];
    this.formats = formats.data || [];
    this.renderProducts(DEFAULT_PRODUCT);
    this.formatSelect.replaceChildren(
      ...this.formats.map((f) => h("option", { value: f.name, text: f.name, selected: f.name === DEFAULT_FORMAT })),
    );
    this.syncMedia();
  }

  renderProducts(selectedId) {
    this.productSelect.replaceChildren(
      ...this.products.map((p) =>
        h("option", {
          value: p.id,
          text: p.source === "custom" ? `${p.name} (yours)` : p.name,
          selected: p.id === selectedId,
        }),
      ),
    );
  }

  /** A format lists the media it supports; the other radio is disabled. */
  syncMedia() {
    const format = this.formats.find((f) => f.name === this.formatSelect.value);
    byId("format-help").textContent = format?.description || "";
    const supported = format?.mediaTypes || ["video", "image"];
    const radios = [...this.form.querySelectorAll("input[name=mediaType]")];
    for (const radio of radios) radio.disabled = !supported.includes(radio.value);
    if (radios.find((r) => r.checked)?.disabled) radios.find((r) => !r.disabled).checked = true;
  }

  choice() {
    const product = this.products.find((p) => p.id === this.productSelect.value);
    return {
      productId: this.productSelect.value,
      productName: product?.name || "my product",
      format: this.formatSelect.value,
      mediaType: this.form.querySelector("input[name=mediaType]:checked")?.value || "video",
    };
  }

  async start() {
    if (!this.productSelect.value || !this.formatSelect.value) {
      this.onError(new Error("Choose a product and a format first."));
      return;
    }
    this.startButton.disabled = true;
    try {
      await this.onStart(this.choice());
    } finally {
      this.startButton.disabled = false;
    }
  }

  /** POST /api/products from the "Add a product" fields; the new product becomes the choice. */
  async addProduct() {
    const value = (id) => byId(id).value.trim();
    const error = byId("add-product-error");
    const name = value("new-product-name");
    error.hidden = true;
    if (!name) {
      error.textContent = "Give the product a name.";
      error.hidden = false;
      byId("new-product-name").focus();
      return;
    }
    const body = {
      name,
      description: value("new-product-description"),
      category: value("new-product-category"),
      benefits: value("new-product-benefits").split("\n").map((b) => b.trim()).filter(Boolean),
      price: value("new-product-price") || null,
    };
    try {
      const product = await api("/api/products", { method: "POST", body });
      this.products.push(product);
      this.renderProducts(product.id);
      for (const id of ["new-product-name", "new-product-description", "new-product-category", "new-product-benefits", "new-product-price"]) {
        byId(id).value = "";
      }
      byId("add-product").open = false;
      this.productSelect.focus();
    } catch (failure) {
      error.textContent = failure.message;
      error.hidden = false;
      this.onError(failure);
    }
  }
}
