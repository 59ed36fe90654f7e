/** The formula engine: Excel formulas calling QFIN functions, evaluated by fast-formula-parser (MIT). */
export { FormulaEngine, FormulaSyntaxError, evaluateFormula } from "./formula-engine";
export type { CellContent, FormulaEngineOptions } from "./formula-engine";
export { QFIN_FORMULA_NAMES, qfinParserFunctions, unknownFunctionError } from "./qfin-functions";
