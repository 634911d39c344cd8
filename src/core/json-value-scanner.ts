/**
 * Finds where one JSON value ends in text that arrives in pieces, without parsing it: strings
 * are skipped with their escapes, brackets counted. The streaming inventory reader hands each
 * item it finds this way to the engine's own `JSON.parse`, which is far faster than building
 * values character by character in JavaScript; the scanner only has to be right about where a
 * value ends. It resumes where the last piece stopped, so a value split across pieces is
 * scanned once, never again from its start.
 */

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;

/** True for JSON's four whitespace characters. */
export const isJsonSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

/** The state of one value being scanned. */
export class JsonValueScanner {
  private started = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** A number, `true`, `false` or `null`: it ends at the next delimiter. */
  private bare = false;

  /** True for a number or literal, which only a delimiter (or the end of the text) can end. */
  get isBare(): boolean {
    return this.bare;
  }

  /**
   * Scan `text` from `from`; returns the index just after the value's end, or -1 when the value
   * goes on past the end of `text` (feed the next piece from 0).
   *
   * @example new JsonValueScanner().scan('{"a":[1]} ,', 0) // 9
   */
  scan(text: string, from: number): number {
    let i = from;
    if (!this.started) {
      this.started = true;
      const c = text.charCodeAt(i);
      if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth = 1;
      else if (c === QUOTE) this.inString = true;
      else this.bare = true;
      i++;
    }
    if (this.bare) return this.scanBare(text, i);
    const length = text.length;
    for (; i < length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.depth === 0) return i + 1;
        }
      } else if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (--this.depth === 0) return i + 1;
      }
    }
    return -1;
  }

  private scanBare(text: string, from: number): number {
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isJsonSpace(c)) return i;
    }
    return -1;
  }
}
