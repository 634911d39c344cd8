/**
 * The pages' one script (plain ES2019, no library): sortable tables, a filter box, the hover
 * read-out of line charts, and "download data". It builds text with `textContent` only, never
 * `innerHTML`, and reads data from the page's JSON island; the page's Content-Security-Policy
 * lets this exact script run and nothing else.
 */
export const CLIENT_SCRIPT = `
(function () {
  'use strict';
  var island = document.getElementById('page-data');
  var data = island ? JSON.parse(island.textContent) : {};

  function sortable(table) {
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    heads.forEach(function (th, column) {
      if (!th.dataset.sort) return;
      th.tabIndex = 0;
      function sort() {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var numeric = th.dataset.sort === 'num';
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var keys = new Map(rows.map(function (row) {
          var cell = row.cells[column];
          var v = cell.dataset.v !== undefined ? cell.dataset.v : cell.textContent;
          return [row, numeric ? Number(v) : v.toLowerCase()];
        }));
        rows.sort(function (a, b) {
          var x = keys.get(a), y = keys.get(b);
          var c = numeric ? x - y : x < y ? -1 : x > y ? 1 : 0;
          return ascending ? c : -c;
        });
        var fragment = document.createDocumentFragment();
        rows.forEach(function (row) { fragment.appendChild(row); });
        body.appendChild(fragment);
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); }
      });
    });
  }

  function filter(input) {
    var table = document.getElementById(input.dataset.filter);
    var count = document.getElementById(input.dataset.filter + '-count');
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
    input.addEventListener('input', function () {
      var q = input.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (r, i) {
        var hit = !q || texts[i].indexOf(q) >= 0;
        r.hidden = !hit;
        if (hit) shown++;
      });
      if (count) count.textContent = shown + ' of ' + rows.length + (rows.length === 1 ? ' row' : ' rows');
    });
  }

  function readout(svg) {
    var series = data[svg.dataset.hover];
    var out = document.getElementById(svg.dataset.hover + '-readout');
    var cursor = svg.querySelector('.cursor');
    var hit = svg.querySelector('.hit');
    if (!series || !out || !cursor || !hit) return;
    var x0 = Number(svg.dataset.x0), x1 = Number(svg.dataset.x1), points = Number(svg.dataset.points);
    var format = series.format === 'usd'
      ? function (v) { return '$' + v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }); }
      : function (v) { return Math.round(v).toLocaleString('en-US'); };
    hit.addEventListener('mousemove', function (e) {
      var p = svg.createSVGPoint();
      p.x = e.clientX; p.y = e.clientY;
      var local = p.matrixTransform(svg.getScreenCTM().inverse());
      var i = Math.max(0, Math.min(points - 1, Math.round((local.x - x0) / (x1 - x0) * (points - 1))));
      var x = x0 + (x1 - x0) * i / (points - 1);
      cursor.setAttribute('x1', x); cursor.setAttribute('x2', x);
      cursor.setAttribute('visibility', 'visible');
      out.textContent = '';
      var head = document.createElement('b');
      head.textContent = series.x[i] + ': ';
      out.appendChild(head);
      out.appendChild(document.createTextNode(series.lines.map(function (l) {
        return l.label + ' ' + format(l.values[i]);
      }).join(' · ')));
    });
    hit.addEventListener('mouseleave', function () {
      cursor.setAttribute('visibility', 'hidden');
      out.textContent = '';
    });
  }

  function download(button) {
    button.addEventListener('click', function () {
      var text = JSON.stringify(data.document, null, 2);
      var link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      link.download = button.dataset.file;
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  }

  document.querySelectorAll('table.sortable').forEach(sortable);
  document.querySelectorAll('input[data-filter]').forEach(filter);
  document.querySelectorAll('svg[data-hover]').forEach(readout);
  document.querySelectorAll('button[data-download]').forEach(download);
  document.documentElement.dataset.ready = 'true';
})();
`;
