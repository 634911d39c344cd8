/**
 * The values the streaming inventory reader takes whole: a key, a field, an item split across
 * pieces of text. The scanner finds where the value ends; the pieces seen so far are kept (or,
 * for a field nobody reads, only skipped) and joined once at its end, then parsed by `JSON.parse`.
 */
import { InventoryDocumentError } from './inventory-format.js';
import { JsonValueScanner } from './json-value-scanner.js';

interface Capture {
  readonly scanner: JsonValueScanner;
  readonly parts: string[];
  /** Keep the text (false: a field nobody reads, only skipped). */
  readonly keep: boolean;
  readonly limit: number;
  /** Names the value in messages. */
  readonly what: () => string;
  readonly deliver: (text: string) => void;
  chars: number;
}

export class ValueCapture {
  private current: Capture | undefined;

  constructor(private readonly source: string) {}

  /** True while a value is being taken. */
  get active(): boolean {
    return this.current !== undefined;
  }

  /** Characters of the value being taken so far. */
  get chars(): number {
    return this.current?.chars ?? 0;
  }

  /** Take the value that starts at the next character, and hand its text to `deliver`. */
  text(what: () => string, limit: number, deliver: (text: string) => void): void {
    this.current = { scanner: new JsonValueScanner(), parts: [], keep: true, limit, what, deliver, chars: 0 };
  }

  /** Take the value that starts at the next character, and hand it parsed to `use`. */
  value(what: () => string, limit: number, use: (value: unknown) => void): void {
    this.text(what, limit, (text) => use(this.parse(text, what)));
  }

  /** Pass over the value that starts at the next character, keeping nothing of it. */
  skip(what: () => string): void {
    const ignore = () => undefined;
    this.current = {
      scanner: new JsonValueScanner(),
      parts: [],
      keep: false,
      limit: 0,
      what,
      deliver: ignore,
      chars: 0,
    };
  }

  /** Go on with the value being taken from `pos`; returns where its end leaves the text. */
  continue(text: string, pos: number): number {
    const capture = this.current!;
    const end = capture.scanner.scan(text, pos);
    const stop = end < 0 ? text.length : end;
    capture.chars += stop - pos;
    if (capture.keep && capture.chars > capture.limit)
      throw new InventoryDocumentError(
        `${this.source}: ${capture.what()}: more than ${capture.limit.toLocaleString('en-US')} characters in one value: not a saved inventory item`,
      );
    if (end < 0) {
      if (capture.keep) capture.parts.push(text.slice(pos));
      return text.length;
    }
    this.finish(capture, text.slice(pos, end));
    return end;
  }

  /** The text ended: a number or literal being taken ends with it. */
  endBare(): void {
    const capture = this.current;
    if (capture?.scanner.isBare === true) this.finish(capture, '');
  }

  /** `JSON.parse`, its error named as the document's. */
  parse(text: string, what: () => string): unknown {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new InventoryDocumentError(
        `${this.source}: not JSON at ${what()} (${(error as Error).message})`,
        {
          cause: error,
        },
      );
    }
  }

  private finish(capture: Capture, last: string): void {
    this.current = undefined;
    if (!capture.keep) capture.deliver('');
    else capture.deliver(capture.parts.length === 0 ? last : capture.parts.join('') + last);
  }
}
