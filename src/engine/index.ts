/** The formula engine: Excel formulas calling QFIN functions, evaluated by fast-formula-parser (MIT). */
export { FormulaEngine, FormulaSyntaxError, evaluateFormula } from "./formula-engine";
export type { CellContent, FormulaEngineOptions } from "./formula-engine";
export { QFIN_FORMULA_FUNCTIONS, QFIN_NAMESPACE, argumentCountError, callQfinFunction, qfinFormulaName, qfinSignature, unknownFunctionError } from "./qfin-call";
