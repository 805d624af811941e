/**
 * Text from reports, replies and file names is hostile to a terminal: ESC and CSI sequences clear
 * the screen or retitle the window, CR and backspace overwrite what was printed, bidi controls
 * reorder it. The admin tools print such text only through these helpers.
 */

// C0 and C1 controls, DEL, bidi embeddings, overrides, isolates and marks (U+061C, U+200E/F,
// U+202A–202E, U+2066–2069), the invisible joiners and separators around them, line and paragraph
// separators, the BOM, lone surrogates, and the backslash itself so that every escape is unambiguous.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\\]|[\ud800-\udfff]/gu
const NAMED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }

const escapeOne = (ch: string) => {
  const code = ch.charCodeAt(0)
  return NAMED[ch] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`)
}

/** One line of someone else's text, every control shown as a visible escape (newlines too). */
export const visible = (text: string): string => text.replace(UNSAFE, escapeOne)

/**
 * Marks lines that are someone else's words. The tool's own lines never start with it, so no line
 * of theirs can pass for a verdict.
 */
export const QUOTE = '  │ '

/** Someone else's text as quoted lines: their line breaks kept, everything else escaped. */
export function quoted(text: string): string[] {
  return text.split('\n').map(quotedLine)
}

/** A value that must stay on one quoted line (a name, a type). */
export const quotedLine = (text: string): string => (text ? `${QUOTE}${visible(text)}` : QUOTE.trimEnd())

// What JSON.stringify leaves raw but a terminal or an editor acts on.
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g

/**
 * JSON for scripts: JSON.stringify already escapes C0 controls and lone surrogates; this escapes
 * the C1, bidi and invisible characters too. They occur only inside strings, so the document
 * parses back to exactly the same values.
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** Any value as quoted lines of JSON: already free of controls, so only the mark is added. */
export function quotedJson(value: unknown): string[] {
  return value === undefined
    ? []
    : safeJson(value)
        .split('\n')
        .map((line) => `${QUOTE}${line}`)
}
