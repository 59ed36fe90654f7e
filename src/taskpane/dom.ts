/**
 * Building DOM from data without ever parsing data as HTML: text goes in through text nodes only. There is no
 * `innerHTML` in the pane; a label such as `<img src=x onerror=…>` shows as those characters.
 */

export type Child = Node | string | null | undefined | false;

export interface ElementOptions {
  className?: string;
  /** Attributes set with setAttribute (values are plain strings, never markup). */
  attrs?: Record<string, string | boolean | undefined>;
}

/**
 * @example
 * el("p", { className: "note" }, "Net income ", el("strong", {}, "1,093.377")) // <p class="note">Net income <strong>1,093.377</strong></p>
 */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, options?: ElementOptions, ...children: Child[]): HTMLElementTagNameMap[K];
export function el(tag: string, options?: ElementOptions, ...children: Child[]): HTMLElement;
export function el(tag: string, options: ElementOptions = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  for (const [name, value] of Object.entries(options.attrs ?? {})) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? "" : value);
  }
  append(element, ...children);
  return element;
}

/** Appends children, strings as text nodes. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

/** Looks up an element the page template must have. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`taskpane.html lacks #${id}`);
  return found as T;
}
