/** The pages' one style sheet: a laptop-width layout, system fonts, no images, no web fonts. */
export const STYLES = `
:root { --bg: #f5f6f8; --card: #fff; --ink: #1d2430; --muted: #5b6576; --line: #e2e5ea;
  --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff4c2; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 20px 24px 40px; }
header.top { display: flex; align-items: flex-end; justify-content: space-between; gap: 16px; margin-bottom: 16px; }
h1 { font-size: 22px; margin: 0; letter-spacing: -0.01em; }
h1 .brand { color: var(--muted); font-weight: 500; }
h2 { font-size: 16px; margin: 0 0 10px; }
.sub { color: var(--muted); margin: 4px 0 0; }
button { font: inherit; border: 1px solid var(--line); background: var(--card); border-radius: 6px; padding: 6px 12px; cursor: pointer; }
button:hover { border-color: #b6bcc6; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(118px, 1fr)); gap: 10px; margin-bottom: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.card .k { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
.card .v { font-size: 21px; font-weight: 650; margin-top: 2px; font-variant-numeric: tabular-nums; }
.card .d { color: var(--muted); font-size: 12px; }
.card.bad .v { color: var(--bad); } .card.warn .v { color: var(--warn); } .card.ok .v { color: var(--ok); }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin-bottom: 16px; }
.panel .hint { color: var(--muted); font-size: 12px; margin: -4px 0 10px; }
.panel svg.chart + table { margin-top: 12px; }
.grid2 { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 16px; }
.grid2 > .panel { margin-bottom: 16px; }
@media (max-width: 900px) { .grid2 { grid-template-columns: 1fr; } }
.toolbar { display: flex; gap: 10px; align-items: center; margin-bottom: 8px; }
.toolbar input { font: inherit; padding: 5px 9px; border: 1px solid var(--line); border-radius: 6px; width: 340px; }
.toolbar .count { color: var(--muted); font-size: 12px; }
.scroll { max-height: 480px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: 13px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
td.wrap { white-space: normal; min-width: 220px; }
th { white-space: normal; vertical-align: bottom; }
th { position: sticky; top: 0; background: #f0f2f5; font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.03em; z-index: 1; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th[aria-sort="ascending"]::after { content: " ▲"; }
table.sortable th[aria-sort="descending"]::after { content: " ▼"; }
td.num, th.num { text-align: right; }
tbody tr:nth-child(even) { background: #fafbfc; }
tbody tr:hover { background: #eef4ff; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.muted { color: var(--muted); }
.pill { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 11.5px; font-weight: 650; letter-spacing: 0.03em; }
.pill.OK { color: var(--ok); background: var(--ok-bg); }
.pill.OVERDUE { color: var(--bad); background: var(--bad-bg); }
.pill.UNPROTECTED { color: var(--warn); background: var(--warn-bg); }
.pill.UNKNOWN { color: #fff; background: var(--bad); }
.panel.alert { border-color: var(--bad); background: var(--bad-bg); }
.panel.alert h2 { color: var(--bad); }
.tag { display: inline-block; background: #f0f2f5; border-radius: 4px; padding: 0 6px; margin: 1px 4px 1px 0; font-size: 12px; }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--ink); }
svg.chart text.axis, svg.chart text.note { fill: var(--muted); }
svg.chart .grid { stroke: #eceef2; stroke-width: 1; }
svg.chart .track { stroke: #eceef2; stroke-width: 1; }
svg.chart .cursor { stroke: #8c959f; stroke-width: 1; stroke-dasharray: 3 3; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 8px 0 0 64px; color: var(--ink); font-size: 12.5px; }
.legend .key svg { vertical-align: middle; margin-right: 6px; }
.readout { min-height: 20px; color: var(--muted); font-size: 12.5px; margin: 4px 0 0 64px; font-variant-numeric: tabular-nums; }
.readout b { color: var(--ink); }
.note { color: var(--muted); font-size: 12.5px; margin: 8px 0 0; }
footer { color: var(--muted); font-size: 12px; margin-top: 8px; }
`;
