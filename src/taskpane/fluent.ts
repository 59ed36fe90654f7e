/**
 * Fluent UI web components (v3, on FAST element 3) and the Fluent theme that matches Office's. Each component is
 * imported through its own `define` module, so the bundle carries only what the pane uses. Currency and scale are
 * native `<select>` elements styled with the same Fluent tokens: accessible as they are and small.
 */
import "@fluentui/web-components/badge.js";
import "@fluentui/web-components/button.js";
import "@fluentui/web-components/message-bar.js";
import "@fluentui/web-components/text-input.js";
import "@fluentui/web-components/tree.js";
import "@fluentui/web-components/tree-item.js";
import { setTheme } from "@fluentui/web-components";
import { webDarkTheme, webLightTheme } from "@fluentui/tokens";

/** Applies the Fluent light or dark theme (tokens as CSS custom properties the page's own styles use too). */
export function applyTheme(dark: boolean): void {
  setTheme(dark ? webDarkTheme : webLightTheme);
  document.documentElement.dataset.theme = dark ? "dark" : "light";
}
