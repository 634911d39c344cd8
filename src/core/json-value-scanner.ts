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

  /** Start again, for the next value. */
  reset(): this {
    this.started = false;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.bare = false;
    return this;
  }

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
    while (i < length) {
      if (this.inString) {
        i = this.skipString(text, i);
        if (i < 0) return -1;
        if (this.depth === 0) return i;
        continue;
      }
      const c = text.charCodeAt(i++);
      if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (--this.depth === 0) return i;
      }
    }
    return -1;
  }

  /**
   * Inside a string from `from`: the index just after its closing quote, or -1 when it goes on
   * past the end of `text`. Jumps from quote to quote (most of an inventory's text is strings); a
   * quote is escaped when an odd number of backslashes stands before it, counting one carried over
   * from the previous piece.
   */
  private skipString(text: string, from: number): number {
    let i = from;
    for (;;) {
      const quote = text.indexOf('"', i);
      const stop = quote < 0 ? text.length : quote;
      let backslashes = 0;
      let j = stop - 1;
      while (j >= i && text.charCodeAt(j) === BACKSLASH) {
        backslashes++;
        j--;
      }
      if (j < i && this.escaped) backslashes++;
      this.escaped = false;
      if (quote < 0) {
        this.escaped = backslashes % 2 === 1;
        return -1;
      }
      i = quote + 1;
      if (backslashes % 2 === 0) {
        this.inString = false;
        return i;
      }
    }
  }

  private scanBare(text: string, from: number): number {
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isJsonSpace(c)) return i;
    }
    return -1;
  }
}
