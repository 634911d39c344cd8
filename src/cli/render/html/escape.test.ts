import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript } from './escape.js';

describe('escaping for pages', () => {
  it('escapes every character that could open markup or end an attribute', () => {
    // Act
    const escaped = escapeHtml(`<script>alert("x") & 'y'</script>`);

    // Assess
    expect(escaped).toBe('&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;');
  });

  it('shows bidi and format characters as visible escapes, so a value cannot reorder the page', () => {
    // Act
    const escaped = escapeHtml('web\u202Eexe.txt\u2066x\u2069\u200B\uFEFF\u00AD\u001b');

    // Assess
    expect(escaped).toBe('web\\u202Eexe.txt\\u2066x\\u2069\\u200B\\uFEFF\\u00AD\\u001B');
  });

  it('keeps the JSON island exact: format characters go through unchanged', () => {
    // Prepare
    const value = { name: 'a\u202Eb\u200Dc' };

    // Act
    const json = jsonForScript(value);

    // Assess
    expect(JSON.parse(json)).toEqual(value);
  });

  it('writes JSON that cannot end its script element, and parses back to the same value', () => {
    // Prepare
    const value = { name: '</script><!-- <script>', other: 'a\u2028b & c' };

    // Act
    const json = jsonForScript(value);

    // Assess
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});
