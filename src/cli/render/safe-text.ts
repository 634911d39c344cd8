/**
 * Text that came from AWS — tag values above all, which anyone allowed to tag a volume writes —
 * made safe to show. Control characters could rewrite a terminal (an escape sequence that clears
 * the screen or moves the cursor); Unicode bidi controls (U+202E RIGHT-TO-LEFT OVERRIDE, the
 * isolates U+2066–U+2069, …) and other format characters (zero-width spaces and joiners, U+FEFF,
 * the soft hyphen) make a line read differently from what it holds — `vol-1` followed by
 * U+202E shows the rest of the line backwards. Each becomes a visible escape such as `\u202E`,
 * so a reader sees that something odd is there. Line and paragraph separators are escaped too:
 * a value must never start a new line.
 */

// Cc: C0 and C1 controls (tab and newline included); Cf: format characters, which include every
// bidi control (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069) and the zero-width ones;
// Zl, Zp: U+2028, U+2029.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** `\uXXXX` (four hex digits, upper case) or `\u{XXXXX}` beyond the BMP. */
function visibleEscape(char: string): string {
  const code = char.codePointAt(0)!;
  const hex = code.toString(16).toUpperCase();
  return code > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
}

/**
 * Text for a terminal or a page, with control, bidi and format characters shown as escapes.
 * Every renderer of text from AWS goes through this one function.
 *
 * @example safeText('web\u001b[2J') // 'web\\u001B[2J'
 * @example safeText('invoice\u202Efdp.exe') // 'invoice\\u202Efdp.exe'
 */
export function safeText(text: string): string {
  return text.replace(UNSAFE, visibleEscape);
}
