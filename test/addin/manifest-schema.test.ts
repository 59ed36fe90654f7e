/**
 * manifest.xml against Microsoft's XSD schemas (test/schemas/office-addin-manifest, patched copies: see its README),
 * validated by xmllint (libxml2). Negative controls first: each is the manifest with one thing Office refuses, and
 * each must fail for that reason, so a schema that accepts anything would fail this file.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { validateXml } from "../support/xmllint";
import { PROJECT_ROOT } from "./build-addin";

const SCHEMA = join(PROJECT_ROOT, "test/schemas/office-addin-manifest/OfficeAppManifestV1_1.xsd");
const manifest = readFileSync(join(PROJECT_ROOT, "manifest.xml"), "utf8");

/** The manifest with exactly one replacement (the text must occur once, so a control cannot silently miss). */
function changed(find: string | RegExp, replace: string): string {
  const count = manifest.split(find).length - 1;
  if (typeof find === "string" && count !== 1) throw new Error(`"${find}" occurs ${count} times in manifest.xml, not once`);
  const result = manifest.replace(find, replace);
  if (result === manifest) throw new Error(`${String(find)} does not occur in manifest.xml`);
  return result;
}

describe("manifest.xml against Microsoft's schemas (xmllint)", () => {
  const refusals: [string, string, RegExp][] = [
    ["a five-part version", changed("<Version>1.0.0.0</Version>", "<Version>1.0.0.0.0</Version>"), /Element '\{[^}]+\}Version': \[facet 'pattern'\]/],
    ["a version with letters", changed("<Version>1.0.0.0</Version>", "<Version>1.0.beta</Version>"), /Element '\{[^}]+\}Version': \[facet 'pattern'\]/],
    ["a runtime lifetime other than short or long", changed('lifetime="long"', 'lifetime="forever"'), /attribute 'lifetime': \[facet 'enumeration'\]/],
    ["a runtime without its resid", changed('<Runtime resid="Taskpane.Url" lifetime="long"/>', '<Runtime lifetime="long"/>'), /Element '\{[^}]+\}Runtime': The attribute 'resid' is required/],
    ["a resource id over 32 characters", changed('<Runtime resid="Taskpane.Url"', `<Runtime resid="${"R".repeat(33)}"`), /attribute 'resid': \[facet 'maxLength'\]/],
    ["no ProviderName", changed(/<ProviderName>[^<]*<\/ProviderName>/, ""), /Element '\{[^}]+\}DefaultLocale': This element is not expected\. Expected is \( \{[^}]+\}ProviderName \)/],
    ["SupportUrl out of the schema's order", changed(/(\s*<!--[^>]*-->)?\s*<SupportUrl [^>]*\/>/, "").replace("<Hosts>", '<Hosts><SupportUrl DefaultValue="https://localhost:3000/support.html"/>'), /SupportUrl': This element is not expected/],
    ["an element Office does not know", changed("<Permissions>", "<Colour>teal</Colour><Permissions>"), /Colour': This element is not expected/],
    ["a permission Office does not know", changed("<Permissions>ReadWriteDocument</Permissions>", "<Permissions>Everything</Permissions>"), /Permissions': \[facet 'enumeration'\]/],
  ];

  it.each(refusals)("refuses %s", (_what, xml, reason) => {
    const verdict = validateXml(xml, SCHEMA);
    expect(verdict.valid).toBe(false);
    expect(verdict.messages.join("\n")).toMatch(reason);
  });

  it("accepts the manifest: the add-in-only XML manifest with its shared runtime, custom functions and ribbon button", () => {
    expect(validateXml(manifest, SCHEMA)).toEqual({ valid: true, messages: ["- validates"] });
  });
});
