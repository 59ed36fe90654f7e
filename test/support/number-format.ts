/**
 * A cell's value as a spreadsheet shows it under an Excel number format — the part of Excel's format language the
 * analyst model uses: up to four sections (positive; negative; zero; text), `#,##0.00` with grouping and decimals, `%`,
 * thousands scaling by trailing commas, "quoted literals", `_x` (a space as wide as x) and `@` (the text). Written
 * from the format's definition, not from the model's code, so a test can hold LibreOffice's rendering against it.
 */
import { Decimal } from "decimal.js";

/** Splits a format at the `;` between sections, not inside quotes. */
function sections(format: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  for (const char of format) {
    if (char === '"') quoted = !quoted;
    if (char === ";" && !quoted) {
      out.push(current);
      current = "";
    } else current += char;
  }
  out.push(current);
  return out;
}

/** A number (not negative: the section supplies any sign) under one section's pattern. */
function renderNumber(value: Decimal, section: string): string {
  const pattern = /[#0,.]+/.exec(section.replace(/"[^"]*"/g, (literal) => "\u0000".repeat(literal.length)).replace(/_./g, "\u0000\u0000"));
  let scaled = section.includes("%") ? value.times(100) : value;
  let number = "";
  if (pattern) {
    const body = pattern[0];
    const trailingCommas = /,*$/.exec(body)?.[0].length ?? 0;
    scaled = scaled.div(new Decimal(1000).pow(trailingCommas));
    const core = body.slice(0, body.length - trailingCommas);
    const decimals = core.includes(".") ? (core.split(".")[1] as string).replace(/[^0]/g, "").length : 0;
    const fixed = scaled.toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP).toFixed(decimals);
    const [whole, fraction] = fixed.split(".") as [string, string | undefined];
    const grouped = core.includes(",") ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",") : whole;
    number = fraction === undefined ? grouped : `${grouped}.${fraction}`;
  }
  let out = "";
  let placed = false;
  for (let at = 0; at < section.length; at++) {
    const char = section[at] as string;
    if (char === '"') {
      const end = section.indexOf('"', at + 1);
      out += section.slice(at + 1, end);
      at = end;
    } else if (char === "_") {
      out += " ";
      at++;
    } else if (char === "\\") {
      out += section[++at] ?? "";
    } else if ("#0,.".includes(char)) {
      if (!placed) out += number;
      placed = true;
    } else out += char;
  }
  return out;
}

/**
 * The text a cell shows: `formatAs(-216.429, '#,##0.0_);(#,##0.0);"–"_);@_)')` is "(216.4)", `formatAs("n/a", …)` is
 * "n/a ". Text under General is itself; a number under General is shown to 10 significant digits.
 */
export function formatAs(value: string | number | boolean | null | undefined, format: string | undefined): string {
  if (value === null || value === undefined || value === "") return "";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (format === undefined || format === "" || format === "General") {
    return typeof value === "number" ? String(Number(value.toPrecision(10))) : value;
  }
  const parts = sections(format);
  if (typeof value === "string") {
    const text = parts[3];
    // The text section holds no digits: render its literals and spaces, then put the text where @ stood.
    return text === undefined ? value : text.split("@").map((piece) => renderNumber(new Decimal(0), piece)).join(value);
  }
  const number = new Decimal(String(value));
  if (number.isZero() && parts[2] !== undefined) return renderNumber(number, parts[2]);
  if (number.isNegative() && parts[1] !== undefined) return renderNumber(number.abs(), parts[1]);
  return renderNumber(number, parts[0] as string);
}
