/**
 * The function reference the add-in serves at `help.html` (each function's help URL in functions.json points at its
 * anchor). Rendered at build time from the catalogue by html-webpack-plugin, so the page and the functions cannot drift.
 */
import { escapeHtml, staticPage } from "./static-page";
import { FUNCTIONS } from "./catalogue";
import { isOptional, signature, type QfinFunction } from "./define";

/** The errors a function can return, as analysts meet them. */
function errorsOf(spec: QfinFunction): string[] {
  const errors: string[] = [];
  const names = spec.params.map((param) => param.name);
  if (names.includes("item") || names.includes("statement")) {
    errors.push("<code>#N/A</code> the item or statement is not in the data (the message suggests the nearest names) or is not reported for that period");
  }
  if (spec.params.length > 0) {
    errors.push("<code>#VALUE!</code> an argument is not understood: the message says which one and what would work");
  }
  if (spec.id === "MARGIN") errors.push("<code>#DIV/0!</code> the base figure is zero");
  if (spec.id === "GROWTH") errors.push("<code>#N/A</code> “n.m.”: growth is not meaningful (the comparison figure is zero, or the figure changes sign)");
  return errors;
}

function functionSection(spec: QfinFunction): string {
  const rows = spec.params
    .map(
      (param) =>
        `<tr><td><code>${escapeHtml(param.name)}</code></td><td>${isOptional(param) ? "optional" : "required"}</td><td>${escapeHtml(param.description)}</td></tr>`,
    )
    .join("\n");
  const params = spec.params.length > 0 ? `<table><tr><th>Argument</th><th></th><th>What to pass</th></tr>\n${rows}</table>` : "<p>No arguments.</p>";
  const errors = errorsOf(spec);
  return `<section id="${spec.id}">
<h2>${escapeHtml(signature(spec))}</h2>
<p>${escapeHtml(spec.description)}${spec.result === "matrix" ? " The result spills into the cells below and to the right." : ""}</p>
${params}
<p class="example">Example: <code>${escapeHtml(spec.example.formula)}</code> → ${escapeHtml(spec.example.result)}</p>
${errors.length > 0 ? `<ul class="errors">${errors.map((error) => `<li>${error}</li>`).join("")}</ul>` : ""}
</section>`;
}

/** The complete page (html-webpack-plugin calls the default export). */
export default function renderHelpPage(): string {
  const contents = FUNCTIONS.map((spec) => `<a href="#${spec.id}">QFIN.${spec.id}</a>`).join(" · ");
  return staticPage(
    "QFIN for Excel: function reference",
    `h1 { font-size: 22px; } h2 { font-size: 16px; font-family: Consolas, monospace; margin-top: 28px; }
table { border-collapse: collapse; } td, th { border: 1px solid #c8c6c4; padding: 4px 8px; text-align: left; vertical-align: top; }
.errors { color: #605e5c; }`,
    `<h1>QFIN for Excel: function reference</h1>
<p>Qifu Technology's (NASDAQ: QFIN) reported figures as Excel formulas. Amounts are in RMB millions unless
<code>currency</code> or <code>scale</code> say otherwise; per-share figures are never scaled; ratios and growth
rates are fractions (format the cell as %). Omitted optional arguments take their defaults.</p>
<h2 id="conventions">Conventions</h2>
<ul>
<li><b>EPS is per diluted ADS</b> (1 ADS = 2 Class A ordinary shares), as the release headlines it: <code>"EPS"</code>
and <code>"diluted EPS"</code> mean that; per ordinary share only when asked (<code>"EPS per share"</code>);
<code>"adjusted EPS"</code> is non-GAAP net income per diluted ADS; <code>"DPS"</code> is the dividend per ADS.</li>
<li><b>Stated beats recomputed</b>: where the release states a margin, share or growth rate, MARGIN and GROWTH return
it as printed (SOURCE quotes where); they compute only where it states nothing.</li>
<li><b>Like with like</b>: a line printed negative in both periods grows when it gets larger (income taxes
(180,303) → (272,934) is +51.4%).</li>
<li><b>n.m.</b>: growth across a sign change or from zero is <code>#N/A</code> starting "n.m.:"; the change of a rate
is QFIN.CHANGE (0.046 is 460 bps); a balance over a flow is no margin.</li>
<li><b>Currency</b>: RMB unless asked, US$ for lines the release reports only in US$; conversions use the release's
rate and are rounded as the release rounds its own.</li>
<li><b>Terms</b>: the words of the trade work as items ("Revenue", "S&amp;M", "PBT", "SBC", "CFO", "90+ DPD"); a term
the release does not report (FCF, capex, EBITDA…) is <code>#N/A</code> saying so.</li>
</ul>
<p>${contents}</p>
${FUNCTIONS.map(functionSection).join("\n")}`,
  );
}
