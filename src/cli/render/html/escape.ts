/**
 * Everything that reaches a page from AWS (tag values above all: anyone who can tag an instance
 * writes them) goes through here. Text and attribute values are escaped; JSON inlined in a
 * `<script>` element has every `<` escaped, so `</script>` or `<!--` in a tag value cannot end
 * the element or open a comment.
 */

import { safeText } from '../safe-text.js';

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text for an element's content or a quoted attribute value. Control, bidi and format characters
 * are shown as visible escapes first (`safeText`, as in the terminal), so a U+202E in a tag value
 * cannot reorder what a cell or its neighbours show.
 *
 * @example escapeHtml('<script>alert(1)</script>') // '&lt;script&gt;alert(1)&lt;/script&gt;'
 */
export function escapeHtml(text: string): string {
  return safeText(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * JSON safe inside `<script type="application/json">`: `<`, `>`, `&` and the two line
 * separators JavaScript once treated as newlines are written as `\u` escapes (still valid JSON).
 *
 * @example jsonForScript({ name: '</script>' }) // '{"name":"\\u003c/script\\u003e"}'
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
