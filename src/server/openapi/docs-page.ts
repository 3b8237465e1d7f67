/**
 * GET /docs: a self-contained page (no CDN: servers often have no internet) that renders
 * /openapi.json: each operation with its parameters, request body and answers; schemas expand
 * on click. Text is inserted with textContent only, never as HTML.
 */
export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>auditrail API</title>
<style>
  :root { color-scheme: light dark; --muted: #888; --line: #8884; --get: #2b7a3d; --post: #1f5fa8; --delete: #a82a1f; }
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 980px; padding: 1.5rem; }
  h1 { margin: 0 0 .25rem; } .muted { color: var(--muted); }
  details { border: 1px solid var(--line); border-radius: 6px; margin: .5rem 0; padding: .4rem .8rem; }
  summary { cursor: pointer; } .method { display: inline-block; min-width: 4.5em; font-weight: 700; font-family: ui-monospace, monospace; }
  .get { color: var(--get); } .post { color: var(--post); } .delete { color: var(--delete); }
  code, pre { font-family: ui-monospace, monospace; font-size: 13px; } pre { overflow: auto; background: #8881; padding: .6rem; border-radius: 4px; max-height: 28rem; }
  table { border-collapse: collapse; width: 100%; } td, th { text-align: left; border-bottom: 1px solid var(--line); padding: .2rem .4rem; vertical-align: top; }
  h2 { margin-top: 2rem; text-transform: capitalize; }
</style>
</head>
<body>
<h1>auditrail API</h1>
<p class="muted" id="intro">Loading /openapi.json…</p>
<main id="ops"></main>
<h2>Schemas</h2>
<main id="schemas"></main>
<script>
(function () {
  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }
  function pre(obj) { return el('pre', JSON.stringify(obj, null, 2)); }
  fetch('/openapi.json').then(function (r) { return r.json(); }).then(function (doc) {
    document.getElementById('intro').textContent = 'Version ' + doc.info.version + '. ' + doc.info.description;
    var byTag = {};
    Object.keys(doc.paths).forEach(function (path) {
      Object.keys(doc.paths[path]).forEach(function (method) {
        var op = doc.paths[path][method]; var tag = (op.tags || ['other'])[0];
        (byTag[tag] = byTag[tag] || []).push({ path: path, method: method, op: op });
      });
    });
    var ops = document.getElementById('ops');
    Object.keys(byTag).forEach(function (tag) {
      ops.appendChild(el('h2', tag));
      byTag[tag].forEach(function (o) {
        var d = el('details'); var s = el('summary');
        s.appendChild(el('span', o.method.toUpperCase(), 'method ' + o.method)); s.appendChild(el('code', o.path + ' ')); s.appendChild(el('span', o.op.summary || '', 'muted'));
        d.appendChild(s);
        if (o.op.description) d.appendChild(el('p', o.op.description));
        if (o.op.parameters && o.op.parameters.length) {
          var t = el('table'); var h = el('tr'); ['name', 'in', 'type', 'description'].forEach(function (c) { h.appendChild(el('th', c)); }); t.appendChild(h);
          o.op.parameters.forEach(function (p) {
            var tr = el('tr'); tr.appendChild(el('td', p.name + (p.required ? ' *' : ''))); tr.appendChild(el('td', p.in));
            var sc = p.schema || {}; tr.appendChild(el('td', sc.enum ? sc.enum.join(' | ') : (sc.type || '') + (sc.items && sc.items.enum ? ' of ' + sc.items.enum.join(' | ') : '')));
            tr.appendChild(el('td', p.description || '')); t.appendChild(tr);
          });
          d.appendChild(t);
        }
        if (o.op.requestBody) { d.appendChild(el('h4', 'Request body')); d.appendChild(pre(o.op.requestBody.content)); }
        d.appendChild(el('h4', 'Answers')); d.appendChild(pre(o.op.responses));
        ops.appendChild(d);
      });
    });
    var schemas = document.getElementById('schemas');
    Object.keys(doc.components.schemas).forEach(function (name) {
      var d = el('details'); d.id = 'schema-' + name; d.appendChild(el('summary', name)); d.appendChild(pre(doc.components.schemas[name])); schemas.appendChild(d);
    });
  }).catch(function (e) { document.getElementById('intro').textContent = 'Could not load /openapi.json: ' + e; });
})();
</script>
</body>
</html>
`;
