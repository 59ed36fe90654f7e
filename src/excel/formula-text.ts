/**
 * Formula text as Excel reads and writes it: string literals, text arguments, and the two spellings of a QFIN call —
 * as typed in a cell (`QFIN.METRIC(`) and as Excel saves add-in (JavaScript) custom functions in a file
 * (`_xldudf_QFIN_METRIC(`), which Excel binds to the add-in when it loads. The one place that knows either.
 */
import { QFIN_NAMESPACE } from "../core/cell";

/**
 * A text argument in Excel's syntax: in double quotes, with quotes doubled.
 *
 * @example
 * excelString('Say "hi"') // '"Say ""hi"""'
 */
export function excelString(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * Applies `map` to the parts of a formula outside "string literals" (where `""` is an escaped quote). Linear: the
 * formula is scanned once.
 *
 * @example
 * mapOutsideStrings('A1&"A1"', (code) => code.toLowerCase()) // 'a1&"A1"'
 */
export function mapOutsideStrings(formula: string, map: (code: string) => string): string {
  let out = "";
  let start = 0;
  let inString = false;
  for (let i = 0; i < formula.length; i++) {
    if (formula[i] !== '"') continue;
    if (inString && formula[i + 1] === '"') {
      i++;
      continue;
    }
    out += inString ? formula.slice(start, i + 1) : map(formula.slice(start, i));
    start = inString ? i + 1 : i;
    inString = !inString;
  }
  return out + (inString ? formula.slice(start) : map(formula.slice(start)));
}

const SAVED_CALL = new RegExp(`_xldudf_${QFIN_NAMESPACE}[._]([A-Za-z]+)\\s*\\(`, "gi");
const TYPED_CALL = new RegExp(`(^|[^A-Za-z0-9_.])${QFIN_NAMESPACE}\\.([A-Za-z]+)\\s*\\(`, "gi");
const ANY_CALL = new RegExp(`(?:^|[^A-Za-z0-9_.])(?:_xldudf_)?${QFIN_NAMESPACE}[._][A-Za-z]+\\s*\\(`, "i");

/**
 * A formula as stored in a file, turned into one a formula engine reads: no leading `=`, QFIN functions under their
 * typed names, and no `_xlfn.`/`_xlws.` prefixes (Excel's marks for functions newer than 2007). String literals are
 * left alone.
 *
 * @example
 * typedFormula('=_xldudf_QFIN_METRIC($B6,C$4)') // "QFIN.METRIC($B6,C$4)"
 * typedFormula('_xlfn.IFNA(A1,"_xlfn.")')      // 'IFNA(A1,"_xlfn.")'
 */
export function typedFormula(formula: string): string {
  const body = formula.trim().replace(/^=/, "");
  return mapOutsideStrings(body, (code) =>
    code
      .replace(SAVED_CALL, (_match, name: string) => `${QFIN_NAMESPACE}.${name.toUpperCase()}(`)
      .replace(/_xlfn\.(?:_xlws\.)?/gi, "")
      .replace(/_xlws\./gi, ""),
  );
}

/**
 * A formula (without its `=`) as Excel saves it in a file: QFIN functions as `_xldudf_QFIN_METRIC(`. String
 * literals are left alone. The inverse of `typedFormula` for QFIN names.
 *
 * @example
 * savedFormula("QFIN.METRIC($B6,C$4)")               // "_xldudf_QFIN_METRIC($B6,C$4)"
 * savedFormula('ROUND(QFIN.MARGIN(A1,"QFIN.X("),3)') // '_xldudf_QFIN_MARGIN' inside ROUND; the string untouched
 */
export function savedFormula(formula: string): string {
  return mapOutsideStrings(formula, (code) =>
    code.replace(TYPED_CALL, (_match, before: string, name: string) => `${before}_xldudf_${QFIN_NAMESPACE}_${name.toUpperCase()}(`),
  );
}

/**
 * Whether a formula calls a QFIN function (typed `QFIN.METRIC(` or saved `_xldudf_QFIN_METRIC(`), outside string
 * literals.
 *
 * @example
 * callsQfin('=ROUND(_xldudf_QFIN_MARGIN(A1,"latest"),3)') // true
 * callsQfin('="QFIN.METRIC(" & A1')                       // false
 */
export function callsQfin(formula: string): boolean {
  let found = false;
  mapOutsideStrings(formula, (code) => {
    if (!found && ANY_CALL.test(code)) found = true;
    return code;
  });
  return found;
}

/**
 * A formula that calls one function with text, number and omitted arguments, as an analyst would type it: trailing
 * omitted arguments are dropped.
 *
 * @example
 * callFormula("QFIN.SERIES", ["Net income", null, "RMB", "M", true]) // '=QFIN.SERIES("Net income",,"RMB","M",TRUE)'
 */
export function callFormula(name: string, args: readonly (string | number | boolean | null)[]): string {
  const written = args.map((arg) => (arg === null ? "" : typeof arg === "string" ? excelString(arg) : typeof arg === "boolean" ? (arg ? "TRUE" : "FALSE") : String(arg)));
  while (written.length > 0 && written[written.length - 1] === "") written.pop();
  return `=${name}(${written.join(",")})`;
}
