/**
 * The release as the ingest sees it: lines with their numbers, markup residue of the page conversion removed
 * (`US\$`, `^{*8}` footnote markers, `**bold**`), and narrative paragraphs re-joined where a page break split
 * a sentence ("… in the same period" / blank / "of 2022.").
 */

export interface ReleaseLine {
  /** 1-based line number in the release text. */
  number: number;
  /** The line as stored, without its line ending. */
  raw: string;
  /** Markup removed; tabs kept. */
  text: string;
  /** Footnote markers the line carried, in order: ["*8"]. */
  footnotes: string[];
}

const FOOTNOTE_MARKER = /\^\{(\*\d+)\}/g;

/**
 * Removes the conversion's markup from one line.
 *
 * @example
 * cleanLine("Net income was RMB1,093.4 million (US\\$150.8 million)") // "Net income was RMB1,093.4 million (US$150.8 million)"
 * cleanLine("**Non-GAAP operating margin** was 31.5%.")              // "Non-GAAP operating margin was 31.5%."
 * cleanLine("rate^{*8} of loans")                                   // "rate of loans"
 */
export function cleanLine(raw: string): string {
  return raw
    .replace(FOOTNOTE_MARKER, "")
    .replace(/\*\*([^*]+)\*\*/g, "$1")
    .replace(/\\\$/g, "$")
    .replace(/[“”]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/\s+$/, "");
}

export function splitLines(text: string): ReleaseLine[] {
  return text.split(/\r?\n/).map((raw, index) => ({
    number: index + 1,
    raw,
    text: cleanLine(raw),
    footnotes: [...raw.matchAll(FOOTNOTE_MARKER)].map((match) => match[1] as string),
  }));
}

export interface Paragraph {
  /** Line number where the paragraph starts. */
  line: number;
  text: string;
  footnotes: string[];
}

/**
 * Narrative paragraphs (lines without tabs), with a paragraph that a page break split re-joined: a paragraph
 * that starts with a lower-case letter continues the one before it.
 */
export function paragraphs(lines: readonly ReleaseLine[], untilLine = Number.POSITIVE_INFINITY): Paragraph[] {
  const result: Paragraph[] = [];
  for (const line of lines) {
    if (line.number >= untilLine) break;
    const text = line.text.trim();
    if (text === "" || line.raw.includes("\t")) continue;
    const previous = result[result.length - 1];
    if (previous && /^[a-z]/.test(text)) {
      previous.text = `${previous.text} ${text}`;
      previous.footnotes.push(...line.footnotes);
    } else {
      result.push({ line: line.number, text, footnotes: [...line.footnotes] });
    }
  }
  return result;
}

/** Splits a paragraph into sentences, keeping decimals ("RMB3.91 billion") and "U.S." intact. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?]["”]?)\s+(?=["“A-Z0-9])/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}
