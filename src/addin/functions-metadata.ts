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
 * - `allowCustomDataForDataTypeAny` is not declared (it is off): a linked data type or entity cell then reaches the
 *   function as its display value, which the core reads like any typed label.
 * - `allowErrorForDataTypeAny` is not declared (it is off): Excel itself returns an error argument's error without
 *   calling the function, which is the rule `invoke` applies on every other surface.
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
