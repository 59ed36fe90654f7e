/**
 * Text typed or pasted where a formula is expected (the pane's workbench), read as Excel in English would read a
 * cell: what Word does to a formula (curly quotes, an en dash for minus, non-breaking spaces) is undone, a formula
 * written with `;` between arguments (Excel in many European languages) is read with `,`, and text without a leading
 * `=` is text, not a formula. Each repair is named, so nothing is changed silently.
 */
import { mapOutsideStrings } from "./formula-text";

export type TypedFormula =
  | { kind: "formula"; formula: string; /** What was repaired, in words (empty when the text was taken as it is). */ repairs: string[] }
  | { kind: "refused"; reason: string };

const CURLY_DOUBLE = "\u201C\u201D\u201E\u201F\u2033";
const CURLY_SINGLE = "\u2018\u2019\u201A\u201B\u2032";
const DASHES = "\u2212\u2013";
const ODD_SPACES = "\u00A0\u2007\u202F";
const holdsAny = (text: string, chars: string): boolean => [...text].some((char) => chars.includes(char));
const replaceEach = (text: string, chars: string, by: string): string => [...text].map((char) => (chars.includes(char) ? by : char)).join("");

/**
 * Maps each character outside string literals and outside `{…}` array constants (where `;` separates rows in
 * English Excel) through `map`. Linear: one scan.
 */
function mapCode(formula: string, map: (char: string) => string): string {
  let out = "";
  let inString = false;
  let depth = 0;
  for (let i = 0; i < formula.length; i++) {
    const char = formula[i] as string;
    if (char === '"') inString = !inString;
    else if (!inString && char === "{") depth++;
    else if (!inString && char === "}") depth = Math.max(0, depth - 1);
    out += inString || depth > 0 || char === '"' ? char : map(char);
  }
  return out;
}

/** Whether a character outside strings and array constants passes `test`. */
function codeHas(formula: string, test: (char: string) => boolean): boolean {
  let found = false;
  mapCode(formula, (char) => {
    if (test(char)) found = true;
    return char;
  });
  return found;
}

/**
 * @example
 * readTypedFormula("=QFIN.METRIC(“Net income”,“Q2 2023”)")
 * // { kind: "formula", formula: '=QFIN.METRIC("Net income","Q2 2023")', repairs: ["curly quotes read as straight quotes"] }
 * readTypedFormula('=QFIN.METRIC("Net income";"Q2 2023")').formula // '=QFIN.METRIC("Net income","Q2 2023")'
 * readTypedFormula("Net income") // { kind: "refused", reason: '"Net income" is text, not a formula: … =QFIN.METRIC("Net income","latest")' }
 */
export function readTypedFormula(text: string): TypedFormula {
  const repairs: string[] = [];
  let formula = text.replace(/\r?\n/g, " ").trim();
  if (formula === "") return { kind: "refused", reason: "There is no formula to evaluate: type one that starts with =, for example =QFIN.VERSION()." };
  const repair = (next: string, what: string): void => {
    if (next !== formula) repairs.push(what);
    formula = next;
  };
  // Word turns every quote curly, so in pasted text they delimit strings; curly quotes inside a straight-quoted string
  // are the analyst's own text and stay.
  if (holdsAny(formula, CURLY_DOUBLE + CURLY_SINGLE)) {
    repair(mapOutsideStrings(formula, (code) => replaceEach(replaceEach(code, CURLY_DOUBLE, '"'), CURLY_SINGLE, "'")), "curly quotes read as straight quotes");
  }
  if (holdsAny(formula, ODD_SPACES)) repair(mapOutsideStrings(formula, (code) => replaceEach(code, ODD_SPACES, " ")), "non-breaking spaces read as spaces");
  repair(mapCode(formula, (char) => (DASHES.includes(char) ? "-" : char)), "dashes read as minus signs");
  if (!/^[=+]/.test(formula)) {
    const asText = formula.length > 60 ? `${formula.slice(0, 57)}…` : formula;
    const label = formula.replace(/"/g, "");
    return {
      kind: "refused",
      reason:
        `"${asText}" is text, not a formula: a formula starts with =, as in a cell.` +
        (/^[A-Za-z][\w &'()+./-]*$/.test(formula) && label.length <= 60 ? ` For this line's figure, try =QFIN.METRIC("${label}","latest").` : ""),
    };
  }
  if (codeHas(formula, (char) => char === ";")) {
    if (codeHas(formula, (char) => char === ",")) {
      return {
        kind: "refused",
        reason:
          "This formula uses both ; and , between its parts. Here, as in Excel in English, arguments are separated by commas and decimals use a point: " +
          '=ROUND(QFIN.MARGIN("Net income","Q2 2023"),3).',
      };
    }
    repair(mapCode(formula, (char) => (char === ";" ? "," : char)), "; read as the argument separator , (Excel in English separates arguments with commas)");
  }
  return { kind: "formula", formula, repairs };
}
