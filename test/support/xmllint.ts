/**
 * XML Schema validation with xmllint (Debian's libxml2-utils, which .ci/run installs when it is missing): the
 * document goes in on stdin, the verdict and libxml2's messages come back.
 */
import { spawnSync } from "child_process";

export interface SchemaVerdict {
  valid: boolean;
  /** libxml2's messages, one per line ("-:12: element Version: Schemas validity error : …"). */
  messages: string[];
}

/**
 * @example
 * validateXml(readFileSync("manifest.xml", "utf8"), "test/schemas/office-addin-manifest/OfficeAppManifestV1_1.xsd")
 * //=> { valid: true, messages: ["- validates"] }
 */
export function validateXml(xml: string, schemaPath: string): SchemaVerdict {
  const result = spawnSync("xmllint", ["--noout", "--nonet", "--schema", schemaPath, "-"], { input: xml, encoding: "utf8" });
  if (result.error) {
    throw new Error(`xmllint could not run (${result.error.message}): install Debian's libxml2-utils (apt-get install -y libxml2-utils; .ci/run does it).`);
  }
  const messages = `${result.stdout}${result.stderr}`.split("\n").filter((line) => line.trim() !== "");
  // 0: valid; 3: invalid document; 4 and 5: the schema itself could not be read or compiled.
  if (result.status !== 0 && result.status !== 3) throw new Error(`xmllint could not use the schema ${schemaPath} (exit ${result.status}):\n${messages.join("\n")}`);
  return { valid: result.status === 0, messages };
}
