/**
 * Reads an add-in manifest with a real XML parser (@xmldom/xmldom): any well-formedness problem, even one the
 * parser would recover from, fails the read.
 */
import { DOMParser, type Document, type Element } from "@xmldom/xmldom";

export const NS = {
  app: "http://schemas.microsoft.com/office/appforoffice/1.1",
  overrides: "http://schemas.microsoft.com/office/taskpaneappversionoverrides",
  bt: "http://schemas.microsoft.com/office/officeappbasictypes/1.0",
  xsi: "http://www.w3.org/2001/XMLSchema-instance",
} as const;

export function parseManifest(xml: string): Document {
  const problems: string[] = [];
  let document: Document | undefined;
  try {
    document = new DOMParser({
      onError: (level, message) => {
        problems.push(`${level}: ${message}`);
      },
    }).parseFromString(xml, "text/xml");
  } catch (error) {
    problems.push(`fatalError: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (problems.length > 0 || !document) throw new Error(`manifest.xml is not well-formed XML:\n${problems.join("\n")}`);
  return document;
}

/** Every element below `root` (document order). */
export function allElements(root: Document | Element): Element[] {
  return Array.from(root.getElementsByTagName("*"));
}

export function elementsNS(root: Document | Element, namespace: string, localName: string): Element[] {
  return Array.from(root.getElementsByTagNameNS(namespace, localName));
}

/** Direct children that are elements. */
export function childElements(parent: Element): Element[] {
  return Array.from(parent.childNodes).filter((node): node is Element => node.nodeType === 1);
}

export const xsiType = (element: Element): string | null => element.getAttributeNS(NS.xsi, "type");

/** Resources by kind: resource id → DefaultValue. */
export interface ManifestResources {
  images: Map<string, string>;
  urls: Map<string, string>;
  shortStrings: Map<string, string>;
  longStrings: Map<string, string>;
}

export function readResources(document: Document): ManifestResources {
  const resources = elementsNS(document, NS.overrides, "Resources")[0];
  if (!resources) throw new Error("manifest has no VersionOverrides/Resources");
  const collect = (group: string, item: string): Map<string, string> => {
    const map = new Map<string, string>();
    for (const container of elementsNS(resources, NS.bt, group)) {
      for (const element of elementsNS(container, NS.bt, item)) {
        const id = element.getAttribute("id") ?? "";
        if (map.has(id)) throw new Error(`resource id ${id} is defined twice in ${group}`);
        map.set(id, element.getAttribute("DefaultValue") ?? "");
      }
    }
    return map;
  };
  return {
    images: collect("Images", "Image"),
    urls: collect("Urls", "Url"),
    shortStrings: collect("ShortStrings", "String"),
    longStrings: collect("LongStrings", "String"),
  };
}

/** Every URL in the manifest: attribute values and text that start with a scheme. */
export function allUrls(document: Document): string[] {
  const urls: string[] = [];
  for (const element of allElements(document)) {
    for (const attribute of Array.from(element.attributes)) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(attribute.value) && !attribute.name.startsWith("xmlns")) urls.push(attribute.value);
    }
    const text = childElements(element).length === 0 ? (element.textContent ?? "").trim() : "";
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) urls.push(text);
  }
  return urls;
}
