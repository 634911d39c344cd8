/**
 * One self-contained page: styles, data and script inline, nothing loaded from anywhere. A
 * Content-Security-Policy allows exactly the page's own style sheet and script (by hash) and no
 * request at all, so even a tag value that slipped through escaping could not run or call out.
 */
import { createHash } from 'node:crypto';
import { CLIENT_SCRIPT } from './client-script.js';
import { escapeHtml, jsonForScript } from './escape.js';
import { STYLES } from './styles.js';

export interface PageParts {
  /** The document title (browser tab). */
  readonly title: string;
  /** The big heading, as HTML (escape what goes in). */
  readonly heading: string;
  readonly subtitle: string;
  /** The sections, as HTML. */
  readonly body: string;
  /** The page's data island (read by the script; `document` is what "download data" saves). */
  readonly data: Readonly<Record<string, unknown>>;
  /** File name for "download data"; no button when undefined. */
  readonly downloadName?: string;
  readonly footer: string;
}

const hash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

const POLICY = [
  "default-src 'none'",
  `style-src ${hash(STYLES)}`,
  `script-src ${hash(CLIENT_SCRIPT)}`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The whole page. */
export function renderPage(parts: PageParts): string {
  const download =
    parts.downloadName === undefined
      ? ''
      : `<button type="button" data-download data-file="${escapeHtml(parts.downloadName)}">Download data (JSON)</button>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ebs-snapper">
<title>${escapeHtml(parts.title)}</title>
<style>${STYLES}</style>
</head>
<body>
<main>
<header class="top"><div><h1>${parts.heading}</h1><p class="sub">${escapeHtml(parts.subtitle)}</p></div>${download}</header>
${parts.body}
<footer>${escapeHtml(parts.footer)}</footer>
</main>
<script type="application/json" id="page-data">${jsonForScript(parts.data)}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}

/** A summary card: a label, a big value, a detail line. */
export function card(
  label: string,
  value: string,
  detail = '',
  tone: '' | 'ok' | 'bad' | 'warn' = '',
): string {
  return `<div class="card${tone === '' ? '' : ` ${tone}`}"><div class="k">${escapeHtml(label)}</div><div class="v">${escapeHtml(value)}</div><div class="d">${escapeHtml(detail)}</div></div>`;
}

/** A panel with a heading, an optional hint line and content (HTML); `alert` makes it stand out red. */
export function panel(title: string, content: string, hint = '', alert = false): string {
  const hintLine = hint === '' ? '' : `<p class="hint">${escapeHtml(hint)}</p>`;
  return `<section class="panel${alert ? ' alert' : ''}"><h2>${escapeHtml(title)}</h2>${hintLine}${content}</section>`;
}
