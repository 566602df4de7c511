// sdkit dashboard: one EventSource to the tool, which sends a snapshot and then each changed service whole.
// Every registry string goes into the page as text (textContent), never as markup.
'use strict';

const SERVICES_PER_PAGE = 50;
const INSTANCES_PER_PAGE = 100;
const PLOT_WINDOW_MS = 5 * 60 * 1000;
const SVG = 'http://www.w3.org/2000/svg';

const model = {
  connection: null,
  services: new Map(),   // path -> service state, as the server sent it
  sorted: [],            // paths, sorted
  selected: null,
  servicePage: 0,
  instancePage: 0,
  filter: '',
  clockSkewMs: 0,        // server clock minus this browser's
  rendered: false,
};

const $ = (id) => document.getElementById(id);

function connect() {
  const events = new EventSource('api/events');
  events.addEventListener('snapshot', (e) => {
    const snapshot = JSON.parse(e.data);
    model.clockSkewMs = snapshot.serverMs - Date.now();
    model.connection = snapshot.connection;
    model.services = new Map(snapshot.services.map((s) => [s.path, s]));
    resort();
    $('stream').hidden = true;
    schedule();
  });
  events.addEventListener('service', (e) => {
    const service = JSON.parse(e.data);
    const known = model.services.has(service.path);
    model.services.set(service.path, service);
    if (!known) resort();
    schedule();
  });
  events.addEventListener('connection', (e) => {
    model.connection = JSON.parse(e.data);
    schedule();
  });
  // The browser reconnects by itself; the next snapshot replaces everything.
  events.onerror = () => { $('stream').hidden = false; };
}

function resort() {
  model.sorted = [...model.services.keys()].sort();
  if (model.selected === null || !model.services.has(model.selected)) {
    const wanted = decodeURIComponent(location.hash.slice(1));
    model.selected = model.services.has(wanted) ? wanted : (model.sorted[0] ?? null);
  }
}

let pending = false;
function schedule() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => { pending = false; render(); });
}

function now() { return Date.now() + model.clockSkewMs; }

function render() {
  renderConnection();
  renderServices();
  renderDetail();
  renderPlot($('total-plot'), totalHistory());
  if (!model.rendered && model.connection) {
    model.rendered = true;
    // The moment the service list first showed, for the browser test's measurement.
    document.body.dataset.renderedMs = performance.now().toFixed(1);
  }
}

function renderConnection() {
  const c = model.connection;
  if (!c) return;
  $('backend').textContent = `${c.backend} ${c.registry}`;
  $('root').textContent = c.root;
  const state = $('state');
  state.textContent = c.state;
  state.className = 'badge ' + ({ connected: 'ok', reconnected: 'ok', suspended: 'warn' }[c.state] ?? 'bad');
  state.dataset.state = c.state;
  $('client').textContent = `dashboard ${c.client}`;
  const error = $('discovery-error');
  error.hidden = !c.discoveryError;
  error.textContent = c.discoveryError ?? '';
}

function renderServices() {
  const paths = model.filter ? model.sorted.filter((p) => p.includes(model.filter)) : model.sorted;
  let total = 0;
  for (const s of model.services.values()) total += s.count;
  $('service-count').textContent = model.services.size;
  $('instance-count').textContent = total;
  const pages = Math.max(1, Math.ceil(paths.length / SERVICES_PER_PAGE));
  model.servicePage = Math.min(model.servicePage, pages - 1);
  const body = document.createElement('tbody');
  for (const path of paths.slice(model.servicePage * SERVICES_PER_PAGE, (model.servicePage + 1) * SERVICES_PER_PAGE)) {
    const s = model.services.get(path);
    const row = body.insertRow();
    row.dataset.service = path;
    if (path === model.selected) row.className = 'selected';
    cell(row, shortName(path)).title = path;
    const count = cell(row, s.answered ? String(s.count) : '…', 'num');
    if (s.error) { count.classList.add('stale'); count.title = `stale: ${s.error}`; }
    cell(row, s.changedMs ? ago(s.changedMs) + ' ago' : '');
  }
  $('services').tBodies[0].replaceWith(body);
  pager($('services-pager'), model.servicePage, pages, `${paths.length} services`);
}

function renderDetail() {
  const s = model.selected === null ? null : model.services.get(model.selected);
  $('service-title').textContent = s ? s.path : 'no service yet';
  const error = $('service-error');
  error.hidden = !(s && s.error);
  error.textContent = s && s.error ? `stale, the watch failed: ${s.error}` : '';
  const instances = s ? s.instances : [];
  const pages = Math.max(1, Math.ceil(instances.length / INSTANCES_PER_PAGE));
  model.instancePage = Math.min(model.instancePage, pages - 1);
  const body = document.createElement('tbody');
  for (const i of instances.slice(model.instancePage * INSTANCES_PER_PAGE, (model.instancePage + 1) * INSTANCES_PER_PAGE)) {
    const row = body.insertRow();
    row.dataset.instance = i.instance;
    cell(row, i.instance).title = i.instance;
    cell(row, i.key || '—').title = i.key;
    cell(row, i.owner);
    const age = cell(row, ago(i.createdMs ?? i.seenMs), 'num');
    age.title = i.createdMs ? 'since the registry created the entry' : 'since this dashboard first saw the entry (the registry keeps no creation time)';
  }
  $('instances').tBodies[0].replaceWith(body);
  pager($('instances-pager'), model.instancePage, pages, `${instances.length} instances`);

  const list = document.createElement('ol');
  list.id = 'timeline';
  for (const t of s ? s.timeline : []) {
    const item = document.createElement('li');
    item.dataset.kind = t.kind;
    const time = document.createElement('time');
    time.textContent = new Date(t.atMs).toLocaleTimeString();
    const kind = document.createElement('span');
    kind.className = 'kind';
    kind.textContent = t.kind;
    item.append(time, kind, document.createTextNode(describe(t)));
    list.append(item);
  }
  $('timeline').replaceWith(list);
  renderPlot($('service-plot'), s ? s.history : []);
}

function describe(t) {
  if (t.kind === 'error') return t.message ?? '';
  if (t.kind === 'recovered') return 'the watch reads the registry again';
  const more = t.count > t.instances.length ? ` and ${t.count - t.instances.length} more` : '';
  return (t.count > 1 ? `${t.count} instances: ` : '') + t.instances.join(', ') + more;
}

// A service's name below the root, as the list shows it; the root itself when entries sit directly below it.
function shortName(path) {
  const root = model.connection ? model.connection.root : '';
  return path === root ? `${root} (root)` : path.startsWith(root + '/') ? path.slice(root.length + 1) : path;
}

function cell(row, text, className) {
  const c = row.insertCell();
  c.textContent = text;
  if (className) c.className = className;
  return c;
}

function pager(element, page, pages, label) {
  element.querySelector('span').textContent = `${label}, page ${page + 1} of ${pages}`;
  const [prev, next] = element.querySelectorAll('button');
  prev.disabled = page === 0;
  next.disabled = page >= pages - 1;
}

function ago(ms) {
  let s = Math.max(0, Math.floor((now() - ms) / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60); s %= 60;
  if (m < 60) return `${m}m ${s}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

// The instance count under the root over time: the sum of every service's step function.
function totalHistory() {
  const points = [];
  for (const s of model.services.values()) for (const [t, count] of s.history) points.push([t, count, s.path]);
  points.sort((a, b) => a[0] - b[0]);
  const current = new Map();
  let total = 0;
  const history = [];
  for (const [t, count, path] of points) {
    total += count - (current.get(path) ?? 0);
    current.set(path, count);
    history.push([t, total]);
  }
  return history;
}

function renderPlot(svg, history) {
  const width = 400, height = 90, top = 12, bottom = 4;
  const end = now(), start = end - PLOT_WINDOW_MS;
  // The count at the window's start is the last point before it; then every change inside it, then now.
  let before = 0;
  const inside = [];
  for (const [t, count] of history) { if (t < start) before = count; else inside.push([t, count]); }
  const max = Math.max(1, before, ...inside.map((p) => p[1]));
  const x = (t) => ((t - start) / PLOT_WINDOW_MS) * width;
  const y = (c) => height - bottom - (c / max) * (height - top - bottom);
  let d = `M0,${y(before)}`;
  let last = before;
  for (const [t, count] of inside) { d += `H${x(t).toFixed(1)}V${y(count).toFixed(1)}`; last = count; }
  d += `H${width}`;
  const area = svgElement('path', { d: `${d}V${height}H0Z`, class: 'area' });
  const line = svgElement('path', { d, class: 'line' });
  const grid = svgElement('line', { x1: 0, x2: width, y1: y(max), y2: y(max), class: 'grid' });
  svg.replaceChildren(grid, area, line);
  const caption = svg.parentElement.querySelector('figcaption');
  caption.dataset.label ??= caption.textContent;
  caption.textContent = `${caption.dataset.label}: now ${last}, at most ${max}`;
  svg.dataset.count = String(last);
}

function svgElement(name, attributes) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

function wire() {
  $('services').addEventListener('click', (e) => {
    const row = e.target.closest('tr[data-service]');
    if (!row) return;
    model.selected = row.dataset.service;
    model.instancePage = 0;
    history.replaceState(null, '', '#' + encodeURIComponent(model.selected));
    schedule();
  });
  $('filter').addEventListener('input', (e) => { model.filter = e.target.value; model.servicePage = 0; schedule(); });
  for (const [id, key] of [['services-pager', 'servicePage'], ['instances-pager', 'instancePage']]) {
    $(id).addEventListener('click', (e) => {
      const step = Number(e.target.dataset.step ?? 0);
      if (step) { model[key] = Math.max(0, model[key] + step); schedule(); }
    });
  }
  // Ages and the plots move with the clock.
  setInterval(schedule, 1000);
}

wire();
connect();
