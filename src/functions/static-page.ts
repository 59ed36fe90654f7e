/**
 * The shell of the add-in's static pages (the function reference, the support page): one document head with the
 * strict Content-Security-Policy they share (no script at all, inline styles only), the house type and width.
 */

/** Text for HTML: every character that could open markup or an attribute is escaped. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] ?? char);

/**
 * A complete page: `title` (plain text), page-specific `css` after the shared rules, and the `body` markup.
 *
 * @example
 * staticPage("QFIN for Excel: support", "h3 { font-size: 15px; }", "<h1>Support</h1>") // "<!doctype html>\n<html lang=\"en\">…"
 */
export function staticPage(title: string, css: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'" />
<title>${escapeHtml(title)}</title>
<style>
body { font-family: "Segoe UI", system-ui, sans-serif; font-size: 14px; max-width: 860px; margin: 0 auto; padding: 0 16px 32px; color: #201f1e; }
code { font-family: Consolas, monospace; }
${css}
</style>
</head>
<body>
${body}
</body>
</html>
`;
}
