/**
 * functions.json (as the build generates it from the catalogue) against Microsoft's JSON schema for custom-functions
 * metadata, as published (microsoft/json-schemas, draft-04), and against that schema extended with the fields Microsoft
 * documents since (test/schemas/custom-functions, see its README), validated by ajv. Negative controls first.
 */
import Ajv from "ajv";
import { readFileSync } from "fs";
import { join } from "path";
import { functionsMetadata } from "../../src/addin/functions-metadata";
import { PROJECT_ROOT } from "./build-addin";

const schemaFile = (name: string): object => JSON.parse(readFileSync(join(PROJECT_ROOT, "test/schemas/custom-functions", name), "utf8")) as object;

const DRAFT_04 = JSON.parse(readFileSync(require.resolve("ajv/lib/refs/json-schema-draft-04.json"), "utf8")) as object;

/** ajv 6 for draft-04: given its meta-schema, with `id` (not `$id`) naming schemas. */
const draft04 = (checkSchema: boolean): Ajv.Ajv => {
  const ajv = new Ajv({ schemaId: "id", allErrors: true, meta: false, validateSchema: checkSchema });
  ajv.addMetaSchema(DRAFT_04);
  return ajv;
};

/**
 * A validator for a schema. The published schema is compiled without checking it against the draft-04 meta-schema,
 * which it fails on one point (see the test below); the documented-fields schema is checked.
 */
function validator(schema: object, checkSchema = true): (data: unknown) => string[] {
  const validate = draft04(checkSchema).compile(schema);
  return (data) => (validate(data) ? [] : (validate.errors ?? []).map((error) => `${error.dataPath || "(top)"} ${error.message ?? ""}${error.params ? ` ${JSON.stringify(error.params)}` : ""}`));
}

const published = validator(schemaFile("custom-functions.schema.json"), false);
const documented = validator(schemaFile("custom-functions.documented.schema.json"));
/** A fresh copy of what the build writes (for the production host; the shape does not depend on it). */
const metadata = (): { functions: Record<string, unknown>[] } & Record<string, unknown> => JSON.parse(JSON.stringify(functionsMetadata("https://qfin-addin.example.com/excel")));

function edited(edit: (json: ReturnType<typeof metadata>) => void): unknown {
  const json = metadata();
  edit(json);
  return json;
}

describe("the schemas themselves", () => {
  it("Microsoft's published schema breaks draft-04 on exactly one point, an empty `required` list; the extended one is a valid draft-04 schema", () => {
    const ajv = draft04(false);
    expect(ajv.validateSchema(schemaFile("custom-functions.schema.json"))).toBe(false);
    expect((ajv.errors ?? []).map((error) => `${error.dataPath} ${error.message ?? ""}`)).toContain(".properties['functions'].items.properties['result'].required should NOT have fewer than 1 items");
    const fixed = schemaFile("custom-functions.schema.json") as { properties: { functions: { items: { properties: { result: Record<string, unknown> } } } } };
    delete fixed.properties.functions.items.properties.result.required;
    expect(ajv.validateSchema(fixed)).toBe(true);
    expect(ajv.validateSchema(schemaFile("custom-functions.documented.schema.json"))).toBe(true);
  });
});

describe("functions.json against Microsoft's schemas (ajv, draft-04)", () => {
  const firstParameter = (json: ReturnType<typeof metadata>): Record<string, unknown> => (json.functions[0]?.parameters as Record<string, unknown>[])[0] as Record<string, unknown>;
  const refusedByBoth: [string, unknown, RegExp][] = [
    ["a dimensionality other than scalar or matrix", edited((json) => (firstParameter(json).dimensionality = "grid")), /dimensionality should be equal to one of the allowed values/],
    ["a parameter type Excel does not have", edited((json) => (firstParameter(json).type = "date")), /type should be equal to one of the allowed values/],
    ["a function without its result", edited((json) => delete json.functions[0]?.result), /should have required property 'result'/],
    ["a parameter without a name", edited((json) => delete firstParameter(json).name), /should have required property 'name'/],
    ["a field neither schema knows", edited((json) => (json.functions[0]!.colour = "teal")), /should NOT have additional properties .*"colour"/],
  ];

  it.each(refusedByBoth)("both refuse %s", (_what, json, reason) => {
    expect(published(json).join("\n")).toMatch(reason);
    expect(documented(json).join("\n")).toMatch(reason);
  });

  const refusedByDocumented: [string, unknown, RegExp][] = [
    ["allowCustomDataForDataTypeAny that is not a boolean", edited((json) => (json.allowCustomDataForDataTypeAny = "yes")), /allowCustomDataForDataTypeAny should be boolean/],
    ["a cellValueType Excel does not have", edited((json) => Object.assign(firstParameter(json), { cellValueType: "moneycellvalue" })), /cellValueType should be equal to one of the allowed values/],
    ["an id that is not letters, digits, _ and .", edited((json) => (json.functions[0]!.id = "QFIN METRIC")), /\.id should match pattern/],
    ["a name shorter than three characters", edited((json) => (json.functions[0]!.name = "QF")), /\.name should match pattern/],
    ["a result type Excel does not have", edited((json) => ((json.functions[0]!.result as Record<string, unknown>).type = "date")), /result\.type should be equal to one of the allowed values/],
  ];

  it.each(refusedByDocumented)("the documented-fields schema refuses %s", (_what, json, reason) => {
    expect(documented(json).join("\n")).toMatch(reason);
  });

  it("the published schema, from 2019, refuses fields documented since (why the documented-fields schema exists)", () => {
    expect(published(edited((json) => (json.allowErrorForDataTypeAny = false))).join("\n")).toMatch(/should NOT have additional properties .*allowErrorForDataTypeAny/);
    expect(documented(edited((json) => (json.allowErrorForDataTypeAny = false)))).toEqual([]);
    expect(documented(edited((json) => Object.assign(firstParameter(json), { repeating: false, customEnumId: "PERIODS" })))).toEqual([]);
  });

  it("accepts the add-in's functions.json under both", () => {
    expect(published(metadata())).toEqual([]);
    expect(documented(metadata())).toEqual([]);
  });
});
