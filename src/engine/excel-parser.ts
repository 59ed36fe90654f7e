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
