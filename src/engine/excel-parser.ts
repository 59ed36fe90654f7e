/**
 * The one place a fast-formula-parser instance is made for QFIN: the parser (Excel's grammar and most of its
 * functions), with the Excel functions it lacks or gets wrong supplied by formulajs through the bridge
 * (excel-functions.ts), Excel 365's XLOOKUP, XMATCH, FILTER, SORT and UNIQUE (excel-array-functions.ts), its operators made array-aware (excel-operators.ts) and Excel's 32,767-character limit on
 * text applied to every function result (text-limit.ts). The single-cell engine and the
 * workbook evaluator both build their parsers here, so a formula computes the same in `qfin eval`, `qfin recalc` and
 * the taskpane.
 */
import FormulaParser from "fast-formula-parser";
import type { FormulaParserConfig } from "fast-formula-parser";
import { mapOutsideStrings } from "../excel/formula-text";
import { EXCEL_ARRAY_FUNCTIONS } from "./excel-array-functions";
import { excelFunctionOverrides } from "./excel-functions";
import { installExcelOperators } from "./excel-operators";
import { REPT, installTextLimit } from "./text-limit";

/**
 * A parser with Excel's behaviour where fast-formula-parser departs from it; `config.functions` (the QFIN functions)
 * come on top.
 *
 * @example
 * const parser = createExcelParser({ onCell: (ref) => cells.get(ref), functions: qfinFunctions });
 * parser.parse("SUM({1,#N/A})", { sheet: "Sheet1", row: 1, col: 1 }, true) // FormulaError #N/A (fast-formula-parser alone: 1)
 */
export function createExcelParser(config: FormulaParserConfig = {}): FormulaParser {
  const parser = new FormulaParser({ ...config, functions: { ...excelFunctionOverrides(), ...EXCEL_ARRAY_FUNCTIONS, REPT, ...config.functions } });
  installExcelOperators(parser);
  installTextLimit(parser);
  return parser;
}

/** A number in scientific notation with an unsigned exponent (`1E3`, `2.5e10`), not part of a name or reference. */
const UNSIGNED_EXPONENT = /(?<![A-Za-z0-9_$.])(\d+(?:\.\d*)?|\.\d+)([eE])(\d+)/g;
/** A number that starts with its decimal point (`.5`), where a value may start. */
const LEADING_POINT = /(?<![A-Za-z0-9_$.)\]'!])\.(\d)/g;

/**
 * Formula text as fast-formula-parser reads it; it only inserts characters. Its lexer takes an exponent only with a
 * sign (`1E+3`, which is how Excel saves one) and a number only with a digit before its point, so `=1E3` and `=.5` as
 * typed become `1E+3` and `0.5`; string literals are left alone.
 *
 * @example
 * parserText('1E3+A1&"1E3"') // '1E+3+A1&"1E3"'
 * parserText(".5*A1")        // "0.5*A1"
 * parserText("Tax1E3+E3")    // "Tax1E3+E3" (a name and a reference)
 */
export function parserText(body: string): string {
  if (!/[eE]\d|\.\d/.test(body)) return body;
  return mapOutsideStrings(body, (code) => code.replace(LEADING_POINT, "0.$1").replace(UNSIGNED_EXPONENT, "$1$2+$3"));
}

/**
 * The function a parse failure says the engine lacks ("Function FOO is not implemented"), or null: fast-formula-parser
 * reports an unknown function only in its message.
 */
export function unimplementedFunction(message: string): string | null {
  return /^Function (\S+) is not implemented/.exec(message)?.[1] ?? null;
}
