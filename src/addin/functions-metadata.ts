/**
 * functions.json, the metadata Excel reads to register the custom functions, generated from the catalogue (one
 * declaration per function) rather than from JSDoc; Microsoft documents writing it by hand alongside
 * `CustomFunctions.associate`, which `./custom-functions.ts` calls for every entry. Pure: the build (webpack.config.js)
 * and the tests call it.
 *
 * Choices made here on purpose:
 * - Every parameter is `any`, so Excel passes what the user gave and the core says what is wrong with it (a `number`
 *   parameter would make Excel refuse text before the function could explain).
 * - A parameter that takes a range (SERIES periods, and the item and period of the figure functions, which map over
 *   ranges cell by cell) is declared `matrix`: Excel passes a range to such a parameter whole, as a 2-D array (a single
 *   value as 1×1). A function that can answer with a range declares a `matrix` result; one value spills no further.
 *   Not left to Excel: what it does with a range given to a `scalar` parameter is not documented for custom functions,
 *   and Excel's reference names a #CALC! error for "attempting to lift an unsupported formula (such as a Dynamic UDF)
 *   over an array" (Excel.CalcErrorCellValueSubType.unsupportedLifting), which a function with a `matrix` result is.
 * - `allowCustomDataForDataTypeAny` is not declared, so it is off (Microsoft's generator, custom-functions-metadata,
 *   always turns it on). With it on, every `any` parameter receives Excel's data-type objects (CustomFunctionsRuntime
 *   1.4 and later), a path with regressions reported into 2024 (office-js #4466: #BUSY! forever; #4576: #VALUE!
 *   without a call; #2931: streaming functions). The add-in's arguments are labels, periods and codes, which are text;
 *   what Excel passes for a data-type cell with the flag off is not documented, so `fromExcelArgument`
 *   (excel-values.ts) reads any entity, linked entity or formatted number that does arrive as the text it shows.
 * - `allowErrorForDataTypeAny` is not declared, so it is off (the documented default): Excel answers an error argument
 *   with that error without calling the function, the rule `invoke` applies on every other surface (engine, CLI,
 *   preview). On, every function would have to pass errors on itself.
 */
import { FUNCTIONS } from "../functions/catalogue";
import { isOptional, type QfinFunction } from "../functions/define";
import { takesRange } from "../functions/parameters";

export interface FunctionsMetadata {
  functions: FunctionMetadata[];
}

export interface FunctionMetadata {
  id: string;
  name: string;
  description: string;
  helpUrl: string;
  parameters: { name: string; description: string; type: "any"; dimensionality: "scalar" | "matrix"; optional: boolean }[];
  result: { type: "any"; dimensionality: "scalar" | "matrix" };
}

/** Whether a function may answer with more than one cell. */
export const answersWithRange = (fn: QfinFunction): boolean => fn.result === "matrix" || fn.params.some((param) => param.maps === true);

/**
 * The metadata of one function; help links go to its anchor on the reference page at `origin`.
 *
 * @example
 * functionMetadata(METRIC, "https://localhost:3000").parameters[0] // { name: "item", type: "any", dimensionality: "matrix", … }
 */
export function functionMetadata(fn: QfinFunction, origin: string): FunctionMetadata {
  return {
    id: fn.id,
    name: fn.id,
    description: fn.description,
    helpUrl: `${origin}/help.html#${fn.id}`,
    parameters: fn.params.map((param) => ({
      name: param.name,
      description: param.description,
      type: "any",
      dimensionality: takesRange(param) ? "matrix" : "scalar",
      optional: isOptional(param),
    })),
    result: { type: "any", dimensionality: answersWithRange(fn) ? "matrix" : "scalar" },
  };
}

/** functions.json for the add-in served at `origin` (`https://localhost:3000`, or the production host). */
export function functionsMetadata(origin: string): FunctionsMetadata {
  return { functions: FUNCTIONS.map((fn) => functionMetadata(fn, origin)) };
}
