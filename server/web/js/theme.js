// Light and dark themes are CSS variables switched by <html data-theme="...">.
// setTheme is public (window.adforge.setTheme) because the assistant may ask for a theme
// change later through a `switch_theme` event.

const STORAGE = "adforge.theme";
const THEMES = ["light", "dark"];

export function currentTheme() {
  return document.documentElement.dataset.theme === "dark" ? "dark" : "light";
}

/** The saved choice, else the system preference. */
export function initialTheme() {
  const saved = localStorage.getItem(STORAGE);
  if (THEMES.includes(saved)) return saved;
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

/** Apply "light" or "dark" (anything else is ignored), remember it, update the toggle. */
export function setTheme(theme) {
  if (!THEMES.includes(theme)) return currentTheme();
  document.documentElement.dataset.theme = theme;
  localStorage.setItem(STORAGE, theme);
  const toggle = document.getElementById("theme-toggle");
  if (toggle) {
    const next = theme === "dark" ? "light" : "dark";
    toggle.setAttribute("aria-pressed", String(theme === "dark"));
    toggle.setAttribute("aria-label", `Switch to ${next} theme`);
    toggle.title = `Switch to ${next} theme`;
    toggle.querySelector(".theme-icon").textContent = theme === "dark" ? "☀" : "☾";
  }
  return theme;
}

export function toggleTheme() {
  return setTheme(currentTheme() === "dark" ? "light" : "dark");
}
