/**
 * The local manifest check (Microsoft's online validator needs the network; `npx office-addin-manifest validate
 * manifest.xml` remains an optional step). What Office itself refuses or mis-loads is checked here.
 */
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import type { Document, Element } from "@xmldom/xmldom";
import { PROJECT_ROOT } from "./build-addin";
import { NS, allElements, allUrls, childElements, elementsNS, parseManifest, readResources, xsiType } from "./manifest-reader";

const manifestXml = readFileSync(join(PROJECT_ROOT, "manifest.xml"), "utf8");
const DEV_ORIGIN = "https://localhost:3000/";

/** OfficeApp children in the order the schema's sequence requires. */
const OFFICE_APP_ORDER = [
  "Id", "AlternateId", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description", "IconUrl",
  "HighResolutionIconUrl", "SupportUrl", "AppDomains", "Hosts", "Requirements", "DefaultSettings", "Permissions",
  "Dictionary", "VersionOverrides", "ExtendedOverrides",
];

/** Which resource table each resid-bearing element draws from. */
const RESID_KIND: Record<string, "images" | "urls" | "shortStrings" | "longStrings"> = {
  Image: "images",
  SourceLocation: "urls",
  FunctionFile: "urls",
  LearnMoreUrl: "urls",
  Runtime: "urls",
  Label: "shortStrings",
  Title: "shortStrings",
  Namespace: "shortStrings",
  Description: "longStrings",
};

function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString("ascii")).toBe("PNG");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function only(elements: Element[], what: string): Element {
  expect({ what, count: elements.length }).toEqual({ what, count: 1 });
  return elements[0];
}

describe("manifest.xml", () => {
  let document: Document;
  let root: Element;
  beforeAll(() => {
    document = parseManifest(manifestXml);
    root = document.documentElement as Element;
  });

  describe("parsing", () => {
    it("rejects XML that is not well-formed (the check itself works)", () => {
      expect(() => parseManifest(manifestXml.replace("</Hosts>", ""))).toThrow(/not well-formed/);
      expect(() => parseManifest(manifestXml.replace("</Version>", "</version>"))).toThrow(/not well-formed/);
      expect(() => parseManifest(manifestXml.replace("&quot;Net income&quot;", '"Net income"'))).toThrow(/not well-formed/);
    });
  });

  describe("the add-in", () => {
    it("is a task pane add-in for the Workbook host", () => {
      expect(root.localName).toBe("OfficeApp");
      expect(root.namespaceURI).toBe(NS.app);
      expect(xsiType(root)).toBe("TaskPaneApp");
      const hosts = elementsNS(only(elementsNS(root, NS.app, "Hosts"), "Hosts"), NS.app, "Host");
      expect(hosts.map((host) => host.getAttribute("Name"))).toEqual(["Workbook"]);
    });

    it("has its top-level elements in schema order, with a GUID id and a four-part version", () => {
      const names = childElements(root).map((element) => element.localName ?? "");
      const positions = names.map((name) => OFFICE_APP_ORDER.indexOf(name));
      expect(positions).not.toContain(-1);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      for (const required of ["Id", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description", "IconUrl", "HighResolutionIconUrl", "SupportUrl", "Hosts", "Requirements", "DefaultSettings", "Permissions", "VersionOverrides"]) {
        expect(names).toContain(required);
      }
      const text = (name: string): string => only(elementsNS(root, NS.app, name), name).textContent?.trim() ?? "";
      expect(text("Id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
      expect(text("Id")).not.toBe("05c2e1c9-3e1d-406e-9a91-e9ac64854143"); // the yo office template's id
      expect(text("Version")).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    });

    it("names its publisher (the copyright holder in LICENSE), not the product, as Microsoft Marketplace wants", () => {
      const provider = only(elementsNS(root, NS.app, "ProviderName"), "ProviderName").textContent?.trim() ?? "";
      const displayName = only(elementsNS(root, NS.app, "DisplayName"), "DisplayName").getAttribute("DefaultValue");
      const holder = /^Copyright \(c\) \d{4} (.+)$/m.exec(readFileSync(join(PROJECT_ROOT, "LICENSE"), "utf8"))?.[1]?.trim();
      expect(provider).toBe(holder);
      expect(provider).not.toBe(displayName);
      expect(provider.length).toBeLessThanOrEqual(125);
    });

    it("has a version Microsoft Marketplace accepts: a.b.c.d, a in 1–9999, b, c, d in 0–9999, and 1.0.0.0 for this release", () => {
      const version = only(elementsNS(root, NS.app, "Version"), "Version").textContent?.trim() ?? "";
      const parts = version.split(".").map(Number);
      expect(parts).toHaveLength(4);
      expect(parts[0]).toBeGreaterThanOrEqual(1);
      for (const part of parts) expect(Number.isInteger(part) && part >= 0 && part <= 9999).toBe(true);
      expect(version).toBe("1.0.0.0");
      // One version: the package's (a.b.c) is the manifest's without its fourth part.
      expect(`${(JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string }).version}.${parts[3]}`).toBe(version);
    });

    it("points SupportUrl at the support page, and keeps help.html as the functions' reference (Get Started's Learn more)", () => {
      const supportUrl = only(elementsNS(root, NS.app, "SupportUrl"), "SupportUrl").getAttribute("DefaultValue");
      expect(supportUrl).toBe(`${DEV_ORIGIN}support.html`);
      const learnMore = only(elementsNS(root, NS.overrides, "LearnMoreUrl"), "LearnMoreUrl").getAttribute("resid") ?? "";
      expect(readResources(document).urls.get(learnMore)).toBe(`${DEV_ORIGIN}help.html`);
    });

    it("asks for the smallest permission that lets the taskpane write formulas", () => {
      expect(only(elementsNS(root, NS.app, "Permissions"), "Permissions").textContent?.trim()).toBe("ReadWriteDocument");
    });

    it("requires the shared runtime and the custom-functions level whose error codes the functions return", () => {
      const sets = new Map(
        elementsNS(only(elementsNS(root, NS.app, "Requirements"), "Requirements"), NS.app, "Set").map((set) => [
          set.getAttribute("Name"),
          set.getAttribute("MinVersion"),
        ]),
      );
      expect(sets.get("SharedRuntime")).toBe("1.1");
      // CustomFunctions.Error is 1.2; #DIV/0!, #NUM! and #NULL! as results are 1.3.
      expect(sets.get("CustomFunctionsRuntime")).toBe("1.3");
    });

    it("keeps display texts within Office's limits", () => {
      const displayName = only(elementsNS(root, NS.app, "DisplayName"), "DisplayName").getAttribute("DefaultValue") ?? "";
      const description = childElements(root).find((element) => element.localName === "Description")?.getAttribute("DefaultValue") ?? "";
      expect(displayName.length).toBeGreaterThan(0);
      expect(displayName.length).toBeLessThanOrEqual(125);
      expect(description.length).toBeGreaterThan(0);
      expect(description.length).toBeLessThanOrEqual(250);
    });
  });

  describe("custom functions and the shared runtime", () => {
    const host = (): Element => {
      const overrides = only(elementsNS(root, NS.overrides, "VersionOverrides"), "VersionOverrides");
      expect(xsiType(overrides)).toBe("VersionOverridesV1_0");
      const hosts = elementsNS(overrides, NS.overrides, "Host");
      return only(hosts.filter((element) => xsiType(element) === "Workbook"), "Workbook host");
    };
    const resid = (element: Element | undefined): string => element?.getAttribute("resid") ?? "";
    const sourceLocation = (parent: Element): string => resid(elementsNS(parent, NS.overrides, "SourceLocation")[0]);

    it("declares the CustomFunctions extension point with Script, Page, Metadata and the QFIN namespace", () => {
      const extensionPoints = elementsNS(host(), NS.overrides, "ExtensionPoint").filter((point) => xsiType(point) === "CustomFunctions");
      const point = only(extensionPoints, "CustomFunctions extension point");
      const part = (name: string): Element => only(elementsNS(point, NS.overrides, name), name);
      const urls = readResources(document).urls;
      expect(urls.get(sourceLocation(part("Script")))).toBe(`${DEV_ORIGIN}functions.js`);
      expect(urls.get(sourceLocation(part("Metadata")))).toBe(`${DEV_ORIGIN}functions.json`);
      expect(urls.get(sourceLocation(part("Page")))).toBe(`${DEV_ORIGIN}taskpane.html`);
      expect(readResources(document).shortStrings.get(resid(part("Namespace")))).toBe("QFIN");
    });

    it("runs functions and taskpane in one long-lived runtime: the same page everywhere", () => {
      const runtime = only(elementsNS(host(), NS.overrides, "Runtime"), "Runtime");
      expect(runtime.getAttribute("lifetime")).toBe("long");
      const runtimeUrl = resid(runtime);
      const page = elementsNS(host(), NS.overrides, "Page")[0];
      const functionFile = only(elementsNS(host(), NS.overrides, "FunctionFile"), "FunctionFile");
      const showTaskpane = elementsNS(host(), NS.overrides, "Action").filter((action) => xsiType(action) === "ShowTaskpane");
      expect(sourceLocation(page)).toBe(runtimeUrl);
      expect(resid(functionFile)).toBe(runtimeUrl);
      expect(showTaskpane.length).toBeGreaterThan(0);
      for (const action of showTaskpane) expect(sourceLocation(action)).toBe(runtimeUrl);
    });

    it("has no TaskpaneId on any action of the host with the long-lived runtime (Microsoft's shared-runtime guidance)", () => {
      expect(elementsNS(host(), NS.overrides, "Runtime").map((runtime) => runtime.getAttribute("lifetime"))).toEqual(["long"]);
      expect(elementsNS(host(), NS.overrides, "Action").length).toBeGreaterThan(0);
      expect(elementsNS(host(), NS.overrides, "TaskpaneId")).toEqual([]);
      // The check itself works: the manifest as it was, with a TaskpaneId on its action, is caught.
      const withId = parseManifest(manifestXml.replace('<Action xsi:type="ShowTaskpane">', '<Action xsi:type="ShowTaskpane"><TaskpaneId>QfinTaskpane</TaskpaneId>'));
      expect(elementsNS(withId, NS.overrides, "TaskpaneId")).toHaveLength(1);
    });

    it("has a ribbon button on the Home tab that opens the taskpane, with 16/32/80 px icons", () => {
      const surfaces = elementsNS(host(), NS.overrides, "ExtensionPoint").filter((point) => xsiType(point) === "PrimaryCommandSurface");
      const tab = only(elementsNS(only(surfaces, "PrimaryCommandSurface"), NS.overrides, "OfficeTab"), "OfficeTab");
      expect(tab.getAttribute("id")).toBe("TabHome");
      const buttons = elementsNS(tab, NS.overrides, "Control").filter((control) => xsiType(control) === "Button");
      const button = only(buttons, "ribbon button");
      expect(xsiType(only(elementsNS(button, NS.overrides, "Action"), "Action"))).toBe("ShowTaskpane");
      const sizes = elementsNS(button, NS.bt, "Image").map((image) => image.getAttribute("size"));
      expect(sizes).toEqual(["16", "32", "80"]);
    });
  });

  describe("resources", () => {
    it("defines every resid it uses, from the right table, with ids of at most 32 characters", () => {
      const resources = readResources(document);
      const used = allElements(document).filter((element) => element.hasAttribute("resid"));
      expect(used.length).toBeGreaterThan(10);
      for (const element of used) {
        const id = element.getAttribute("resid") ?? "";
        const kind = RESID_KIND[element.localName ?? ""];
        expect({ element: element.localName, kind }).toEqual({ element: element.localName, kind: expect.any(String) });
        expect({ id, definedIn: resources[kind].has(id) ? kind : "nowhere" }).toEqual({ id, definedIn: kind });
        expect(id.length).toBeLessThanOrEqual(32);
      }
      const allIds = [...resources.images.keys(), ...resources.urls.keys(), ...resources.shortStrings.keys(), ...resources.longStrings.keys()];
      for (const id of allIds) expect(id.length).toBeLessThanOrEqual(32);
      // No dead resources: each one defined is used.
      const usedIds = new Set(used.map((element) => element.getAttribute("resid")));
      expect(allIds.filter((id) => !usedIds.has(id))).toEqual([]);
    });

    it("keeps short strings within 125 and long strings within 250 characters", () => {
      const { shortStrings, longStrings } = readResources(document);
      for (const [id, value] of shortStrings) expect({ id, length: value.length <= 125 && value.length > 0 }).toEqual({ id, length: true });
      for (const [id, value] of longStrings) expect({ id, length: value.length <= 250 && value.length > 0 }).toEqual({ id, length: true });
    });

    it("uses https URLs only, all on the development origin the production build rewrites", () => {
      const urls = allUrls(document);
      expect(urls.length).toBeGreaterThan(8);
      for (const url of urls) {
        expect(url).toMatch(/^https:\/\//);
        expect(url.startsWith(DEV_ORIGIN)).toBe(true);
      }
      // Nothing else spells the origin differently (http://, another port) where the rewrite would miss it.
      const spellings = new Set(manifestXml.match(/[a-z]+:\/\/localhost[^/"<\s]*/g));
      expect([...spellings]).toEqual(["https://localhost:3000"]);
    });

    it("points every icon at a committed PNG of the size it declares", () => {
      const { images } = readResources(document);
      const declared: [string, number][] = [...images].map(([id, url]) => [url, Number(/(\d+)x\1$/.exec(id)?.[1])]);
      const iconUrl = only(elementsNS(root, NS.app, "IconUrl"), "IconUrl").getAttribute("DefaultValue") ?? "";
      const highResolution = only(elementsNS(root, NS.app, "HighResolutionIconUrl"), "HighResolutionIconUrl").getAttribute("DefaultValue") ?? "";
      declared.push([iconUrl, 32], [highResolution, 64]);
      for (const [url, size] of declared) {
        const file = join(PROJECT_ROOT, url.slice(DEV_ORIGIN.length));
        expect({ url, exists: existsSync(file) }).toEqual({ url, exists: true });
        expect(pngSize(file)).toEqual({ width: size, height: size });
      }
    });
  });
});
