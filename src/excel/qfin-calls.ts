/**
 * The QFIN calls in a formula, each with its arguments as written: text, a number, TRUE/FALSE, an omitted argument, a
 * single cell (`$B6`, `'Income statement'!C$4`) or anything else (a range, arithmetic, another function), so a
 * surface can say where a cell's figure comes from without evaluating the formula. Formulas as typed
 * (`QFIN.METRIC(`) and as saved (`_xldudf_QFIN_METRIC(`) read alike. Linear in the formula's length.
 */
import { formatA1, parseA1 } from "./a1";
import { QFIN_NAMESPACE } from "../core/cell";
import { typedFormula } from "./formula-text";

export type CallArgument =
  | { kind: "omitted" }
  | { kind: "text"; value: string }
  | { kind: "number"; value: number }
  | { kind: "boolean"; value: boolean }
  /** One cell; `sheet` null for the formula's own sheet. `address` without `$` ("B6"). */
  | { kind: "cell"; sheet: string | null; address: string; text: string }
  | { kind: "expression"; text: string };

export interface QfinCall {
  /** The function's id, upper case: "METRIC". */
  id: string;
  /** The call as written, from its name to its closing parenthesis. */
  text: string;
  args: CallArgument[];
}

const CALL_START = new RegExp(`(?<![A-Za-z0-9_.])${QFIN_NAMESPACE}\\.([A-Za-z]+)\\s*\\(`, "gi");
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:E[+-]?\d+)?%?$/i;
const CELL = /^(?:(?:'((?:[^']|'')+)'|([A-Za-z_][A-Za-z0-9_.]*))!)?(\$?[A-Za-z]{1,3}\$?\d{1,7})$/;

/** What one argument's text is. */
function classify(raw: string): CallArgument {
  const text = raw.trim();
  if (text === "") return { kind: "omitted" };
  if (/^"(?:[^"]|"")*"$/.test(text)) return { kind: "text", value: text.slice(1, -1).replace(/""/g, '"') };
  if (/^(TRUE|FALSE)$/i.test(text)) return { kind: "boolean", value: text.toUpperCase() === "TRUE" };
  if (NUMBER.test(text)) {
    const percent = text.endsWith("%");
    const value = Number(percent ? text.slice(0, -1) : text);
    if (Number.isFinite(value)) return { kind: "number", value: percent ? value / 100 : value };
  }
  const cell = CELL.exec(text);
  const position = cell ? parseA1(cell[3] as string) : undefined;
  if (cell && position) {
    const sheet = cell[1] !== undefined ? cell[1].replace(/''/g, "'") : (cell[2] ?? null);
    return { kind: "cell", sheet, address: formatA1(position), text };
  }
  return { kind: "expression", text };
}

/** Where each character of the formula stands: inside a string literal or not. */
function stringMask(formula: string): boolean[] {
  const mask: boolean[] = new Array<boolean>(formula.length).fill(false);
  let inString = false;
  for (let i = 0; i < formula.length; i++) {
    if (formula[i] === '"') {
      mask[i] = true;
      inString = !inString;
      continue;
    }
    mask[i] = inString;
  }
  return mask;
}

/**
 * The arguments from just after an opening parenthesis to its match, split at the top-level commas; null when the
 * parenthesis is never closed.
 */
function readArguments(formula: string, mask: readonly boolean[], open: number): { args: string[]; close: number } | null {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < formula.length; i++) {
    if (mask[i]) continue;
    const char = formula[i];
    if (char === "(" || char === "{") depth++;
    else if ((char === ")" || char === "}") && depth > 0) depth--;
    else if (char === ")") {
      args.push(formula.slice(start, i));
      return { args, close: i };
    } else if (char === "," && depth === 0) {
      args.push(formula.slice(start, i));
      start = i + 1;
    }
  }
  return null;
}

/**
 * Every QFIN call of a formula, in the order they start (an outer call before the calls in its arguments).
 *
 * @example
 * qfinCalls('=ROUND(QFIN.MARGIN($B6,C$4),3)')
 * // [{ id: "MARGIN", text: "QFIN.MARGIN($B6,C$4)", args: [{ kind: "cell", sheet: null, address: "B6", … }, { kind: "cell", address: "C4", … }] }]
 * qfinCalls('=QFIN.METRIC("Net income","Q2 2023",,"K")')[0].args.map((arg) => arg.kind) // ["text", "text", "omitted", "text"]
 */
export function qfinCalls(formula: string): QfinCall[] {
  const body = typedFormula(formula);
  const mask = stringMask(body);
  const calls: QfinCall[] = [];
  for (const match of body.matchAll(CALL_START)) {
    const nameStart = match.index ?? 0;
    if (mask[nameStart]) continue;
    const open = nameStart + match[0].length - 1;
    const read = readArguments(body, mask, open);
    if (read === null) continue;
    const args = read.args.length === 1 && read.args[0]?.trim() === "" ? [] : read.args.map(classify);
    calls.push({ id: (match[1] as string).toUpperCase(), text: body.slice(nameStart, read.close + 1), args });
  }
  return calls;
}
