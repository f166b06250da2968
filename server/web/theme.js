// Apply the saved theme before the first paint, so a dark page never flashes light. A file, not an
// inline script, because the page's Content-Security-Policy allows scripts from 'self' only.
try {
  const saved = localStorage.getItem("adforge.theme");
  const dark = saved ? saved === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.dataset.theme = dark ? "dark" : "light";
} catch {}
