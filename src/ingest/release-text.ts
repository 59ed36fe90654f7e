/**
 * The release as the ingest sees it: lines with their numbers, markup residue of the page conversion removed
 * (`US\$`, `^{*8}` footnote markers, `**bold**`), and narrative paragraphs re-joined where a page break split
 * a sentence ("… in the same period" / blank / "of 2022.").
 */

import { IngestError } from "./ingest-error";

/** A release text is about 40 KB in 400 lines, its longest line 2,294 characters; far larger input is not a release. */
export const MAX_RELEASE_BYTES = 5_000_000;
export const MAX_LINES = 50_000;
export const MAX_LINE_CHARS = 20_000;
/** A paragraph re-joined across page breaks is at most a few lines; the release's longest is 2,294 characters. */
export const MAX_PARAGRAPH_CHARS = 20_000;

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
    .trimEnd(); // not /\s+$/: that is quadratic on a long run of spaces followed by text
}

// The line is in the sentence (not a separate field), so every way of printing the failure shows it once.
const refuse = (message: string): never => {
  throw new IngestError([{ check: "release_text", status: "fail", message }]);
};

/**
 * Refuses text that is no release before anything parses it: too large, too many or too long lines, NUL bytes or
 * other control characters (a binary file, or UTF-16 read as UTF-8), characters lost in a conversion (U+FFFD).
 * One pass with indexOf and charCodeAt, so hostile input costs time linear in its size.
 *
 * @example
 * checkReleaseText("Title\n\0") // throws IngestError: line 2 has a NUL byte …
 */
export function checkReleaseText(text: string): void {
  if (text.length > MAX_RELEASE_BYTES) {
    refuse(`The text is ${text.length.toLocaleString("en-US")} characters long; a release is about 40,000 and at most ${MAX_RELEASE_BYTES.toLocaleString("en-US")} are read.`);
  }
  let line = 1;
  let start = 0;
  for (;;) {
    const end = text.indexOf("\n", start);
    const stop = end === -1 ? text.length : end;
    if (stop - start > MAX_LINE_CHARS) {
      refuse(`Line ${line} is ${(stop - start).toLocaleString("en-US")} characters long; a release line is at most ${MAX_LINE_CHARS.toLocaleString("en-US")} (the longest in a real release is about 2,300).`);
    }
    for (let index = start; index < stop; index++) {
      const code = text.charCodeAt(index);
      if (code === 0) refuse(`Line ${line} has a NUL byte at column ${index - start + 1}: this is not a text release (a binary file, or UTF-16 text?).`);
      if ((code < 0x20 && code !== 0x09 && code !== 0x0d && code !== 0x0c) || code === 0x7f) {
        refuse(`Line ${line} has the control character U+${code.toString(16).toUpperCase().padStart(4, "0")} at column ${index - start + 1}; a release text has none.`);
      }
      if (code === 0xfffd) refuse(`Line ${line} has U+FFFD at column ${index - start + 1}, the mark of bytes lost when the text was converted; convert the release again from its source.`);
    }
    if (end === -1) break;
    start = end + 1;
    line++;
    if (line > MAX_LINES) refuse(`The text has more than ${MAX_LINES.toLocaleString("en-US")} lines; a release has about 400.`);
  }
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
 * Narrative paragraphs, with a paragraph that a page break split re-joined: a paragraph that starts with a lower-case
 * letter continues the one before it. The prose has no tabs: a line with one (a damaged line, or a table whose caption
 * is not one the ingest knows) is refused, since it would otherwise be left out of the prose unread.
 */
export function paragraphs(lines: readonly ReleaseLine[], untilLine = Number.POSITIVE_INFINITY): Paragraph[] {
  const result: Paragraph[] = [];
  for (const line of lines) {
    if (line.number >= untilLine) break;
    const text = line.text.trim();
    if (text === "") continue;
    if (line.raw.includes("\t")) {
      refuse(`Line ${line.number} has a tab at column ${line.raw.indexOf("\t") + 1}, but it comes before the first table: the prose has none, and the line would be left out unread (a damaged line, or a table without one of the known captions?).`);
    }
    const previous = result[result.length - 1];
    if (previous && /^[a-z]/.test(text)) {
      if (previous.text.length + text.length > MAX_PARAGRAPH_CHARS) {
        refuse(`The paragraph starting at line ${previous.line} runs on past line ${line.number} to more than ${MAX_PARAGRAPH_CHARS.toLocaleString("en-US")} characters (lines that start in lower case continue the paragraph before); a release's longest is about 2,300.`);
      }
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
