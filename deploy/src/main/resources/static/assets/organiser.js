// The organiser's dashboard: each event's tiers as live bars (sold / held / free), sales over
// time and the ledger, a form to create an event and one to change a tier's capacity.
import { api, apiRead, currentUser, dateTime, el, hasRole, money, param, problemSentence, renderNav, say, sleep,
         UNREACHABLE, watchAvailability } from './app.js';

renderNav('dashboard');
const pageMessage = document.getElementById('page-message');
const panel = document.getElementById('event-panel');
const live = document.getElementById('live');
const SVG = 'http://www.w3.org/2000/svg';

let selected = null;   // {eventId, view, source, ledgerTimer}
let lastSold = null;

async function loadEvents(selectId) {
  let answer;
  // a just-created event reaches the list when the availability projection has it: wait a little for it
  for (let attempt = 0; attempt < 20; attempt++) {
    answer = await apiRead('/api/v1/events', { auth: false });
    if (!answer.ok || !selectId || answer.body.some(e => e.eventId === selectId)) break;
    await sleep(250);
  }
  if (!answer.ok) { say(pageMessage, problemSentence(answer.body)); return; }
  const list = document.getElementById('event-select');
  list.replaceChildren(...answer.body.map(event =>
      el('option', { value: event.eventId }, `${event.name} · ${dateTime(event.startsAt)}`)));
  list.disabled = answer.body.length === 0;
  if (answer.body.length === 0) say(pageMessage, 'No events yet: create one below.', 'info');
  else if (pageMessage.dataset.kind === 'info') say(pageMessage, null);
  const wanted = selectId || param('event') || (answer.body[0] && answer.body[0].eventId);
  if (wanted) select(wanted);
}

function select(eventId) {
  if (selected) { selected.source.close(); clearInterval(selected.ledgerTimer); }
  document.getElementById('event-select').value = eventId;
  history.replaceState(null, '', '?event=' + eventId);
  lastSold = null;
  selected = { eventId, view: null };
  for (const id of ['tier-bars', 'event-bar', 'sales-chart', 'ledger']) document.getElementById(id).replaceChildren();
  selected.source = watchAvailability(eventId, view => {
    selected.view = view;
    renderPanel(view);
    if (view.sold !== lastSold) { // money moves when tickets sell; the ledger books it a moment later
      lastSold = view.sold;
      for (const delay of [0, 1000, 3000]) setTimeout(loadLedger, delay);
    }
  }, status => { live.dataset.state = status; live.textContent = status === 'live' ? 'Live' : 'Reconnecting…'; });
  selected.ledgerTimer = setInterval(loadLedger, 5000); // fees and refunds arrive without a seat moving
}

function bar(label, capacity, sold, held) {
  const free = Math.max(0, capacity - sold - held);
  const pct = n => capacity > 0 ? (100 * n / capacity).toFixed(2) + '%' : '0%';
  return [
    el('div', { class: 'bar', role: 'img', 'aria-label': `${label}: ${sold} sold, ${held} held, ${free} free of ${capacity}` },
        el('span', { class: 'sold', style: `width:${pct(sold)}` }), el('span', { class: 'held', style: `width:${pct(held)}` })),
    el('p', { class: 'legend' }, el('span', { class: 'key sold' }, `Sold ${sold}`), el('span', { class: 'key held' }, `Held ${held}`),
        el('span', { class: 'key free' }, `Free ${free}`), el('span', { class: 'muted' }, `of ${capacity}`)),
  ];
}

function renderPanel(view) {
  panel.hidden = false;
  document.getElementById('panel-heading').textContent = view.name;
  document.getElementById('panel-when').textContent = dateTime(view.startsAt) + (view.membersOnly ? ' · Members only' : '');
  document.getElementById('panel-public-link').href = '/event.html?id=' + view.eventId;
  const total = view.maxAttendees ?? view.tiers.reduce((n, t) => n + t.capacity, 0);
  document.getElementById('event-bar').replaceChildren(
      el('p', {}, el('strong', {}, 'Whole event'), view.maxAttendees ? ` · at most ${view.maxAttendees} attendees` : ''),
      ...bar('Whole event', total, view.sold, view.reserved));
  const box = document.getElementById('tier-bars');
  for (const tier of view.tiers) {
    let row = box.querySelector(`[data-tier-id="${tier.tierId}"]`);
    if (!row) {
      row = el('div', { class: 'tier-bar', 'data-tier-id': tier.tierId });
      box.append(row);
    }
    const input = row.querySelector('input');
    const keep = input && document.activeElement === input ? input.value : null; // don't overwrite what is being typed
    const error = row.querySelector('.field-error');
    const inputId = 'capacity-' + tier.tierId;
    row.replaceChildren(
        el('p', {}, el('strong', {}, tier.name), ` · ${money(tier.priceCents, view.currency)}`),
        ...bar(tier.name, tier.capacity, tier.sold, tier.reserved),
        el('form', { class: 'tier-row', novalidate: true, onsubmit: e => changeCapacity(e, tier) },
            el('div', { class: 'field' }, el('label', { for: inputId }, `Capacity of ${tier.name}`),
                el('input', { id: inputId, type: 'number', min: 0, inputmode: 'numeric', value: keep ?? tier.capacity })),
            el('button', { type: 'submit', class: 'secondary' }, 'Change capacity')),
        el('p', { class: 'field-error', role: 'alert' }, error ? error.textContent : ''));
    if (keep !== null) row.querySelector('input').focus();
  }
}

async function changeCapacity(e, tier) {
  e.preventDefault();
  const row = e.target.closest('.tier-bar');
  const error = row.querySelector('.field-error');
  const value = Number(row.querySelector('input').value);
  if (!Number.isInteger(value) || value < 0) { error.textContent = 'Enter a whole number, 0 or more.'; return; }
  const answer = await api(`/api/v1/events/${selected.eventId}/tiers/${tier.tierId}`, { method: 'PATCH', body: { capacity: value } });
  error.textContent = answer.ok ? '' : problemSentence(answer.body);
  if (answer.ok) say(pageMessage, `${tier.name} now has ${value} places.`, 'ok');
}

async function loadLedger() {
  if (!selected) return;
  const eventId = selected.eventId;
  const answer = await apiRead('/api/v1/ledger/entries?eventId=' + eventId);
  if (!answer.ok || !selected || selected.eventId !== eventId) return;
  const currency = selected.view ? selected.view.currency : 'usd';
  const revenueAccount = 'ticket_revenue:' + eventId;
  const refundAccount = 'refunds:' + eventId;
  const paidOrders = new Set();
  let revenue = 0, refunds = 0, fees = 0, net = 0;
  const points = [];
  for (const entry of [...answer.body].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
    for (const line of entry.lines) {
      if (line.account === revenueAccount && line.creditCents > 0) {
        revenue += line.creditCents; net += line.creditCents; paidOrders.add(entry.orderId);
      } else if (line.account === refundAccount && line.debitCents > 0 && paidOrders.has(entry.orderId)) {
        refunds += line.debitCents; net -= line.debitCents; // a refund of a sale (late payments never were one)
      } else if (line.account === 'stripe_fees') {
        fees += line.debitCents - line.creditCents;
      }
    }
    points.push({ at: Date.parse(entry.at), net });
  }
  const figure = (id, label, cents) => el('div', { id }, el('dt', {}, label), el('dd', {}, money(cents, currency)));
  document.getElementById('ledger').replaceChildren(figure('ledger-revenue', 'Ticket revenue', revenue),
      figure('ledger-refunds', 'Refunds', refunds), figure('ledger-fees', 'Stripe fees', fees),
      figure('ledger-net', 'Net', revenue - refunds - fees));
  drawChart(points, currency);
}

/** Net sales over time as a step line, from the ledger's dated entries. */
function drawChart(points, currency) {
  const box = document.getElementById('sales-chart');
  if (points.length === 0) { box.replaceChildren(el('p', { class: 'muted' }, 'No sales yet.')); return; }
  const W = 600, H = 180, L = 70, B = 24;
  const t1 = Math.max(Date.now(), points[points.length - 1].at + 1);
  const t0 = points[0].at - Math.max(60000, (t1 - points[0].at) / 10); // a little time before the first sale
  const top = Math.max(1, ...points.map(p => p.net));
  const x = t => L + (W - L - 10) * (t - t0) / (t1 - t0);
  const y = v => H - B - (H - B - 10) * v / top;
  let d = `M${x(t0)},${y(0)}`;
  for (const p of points) d += ` H${x(p.at).toFixed(1)} V${y(p.net).toFixed(1)}`;
  d += ` H${x(t1)}`;
  const node = (tag, attrs, text) => {
    const n = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
    if (text) n.textContent = text;
    return n;
  };
  const last = points[points.length - 1];
  const svg = node('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img',
      'aria-label': `Net sales over time: ${money(last.net, currency)} by ${new Date(last.at).toLocaleTimeString()}` });
  svg.append(node('line', { x1: L, y1: H - B, x2: W - 10, y2: H - B, stroke: '#9ca3af' }),
      node('line', { x1: L, y1: 10, x2: L, y2: H - B, stroke: '#9ca3af' }),
      node('text', { x: L - 6, y: 16, 'text-anchor': 'end', 'font-size': 11 }, money(top, currency)),
      node('text', { x: L - 6, y: H - B, 'text-anchor': 'end', 'font-size': 11 }, money(0, currency)),
      node('text', { x: L, y: H - 6, 'font-size': 11 }, new Date(t0).toLocaleTimeString()),
      node('text', { x: W - 10, y: H - 6, 'text-anchor': 'end', 'font-size': 11 }, 'now'),
      node('path', { d, fill: 'none', stroke: '#1d4ed8', 'stroke-width': 2.5 }));
  box.replaceChildren(svg);
}

document.getElementById('event-select').addEventListener('change', e => select(e.target.value));

// --- create an event ---
const tierInputs = document.getElementById('tier-inputs');
let tierCount = 0;
function addTierRow(name = '', price = '', capacity = '') {
  const n = ++tierCount;
  const row = el('div', { class: 'tier-row', 'data-tier-row': n },
      el('div', { class: 'field' }, el('label', { for: `tier-name-${n}` }, 'Tier name'), el('input', { id: `tier-name-${n}`, value: name, maxlength: 200 })),
      el('div', { class: 'field' }, el('label', { for: `tier-price-${n}` }, 'Price'), el('input', { id: `tier-price-${n}`, value: price, inputmode: 'decimal', placeholder: '25.00', size: 8 })),
      el('div', { class: 'field' }, el('label', { for: `tier-capacity-${n}` }, 'Capacity'), el('input', { id: `tier-capacity-${n}`, type: 'number', min: 0, value: capacity, inputmode: 'numeric' })),
      el('button', { type: 'button', class: 'link', onclick: () => row.remove() }, 'Remove'));
  tierInputs.append(row);
  return row;
}
document.getElementById('add-tier').addEventListener('click', () => addTierRow().querySelector('input').focus());

/** "25", "25.5" or "25.50" to minor units, without floating point. */
function cents(text) {
  const m = /^\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  return m ? Number(m[1]) * 100 + Number((m[2] || '0').padEnd(2, '0')) : null;
}

document.getElementById('create-event').addEventListener('submit', async e => {
  e.preventDefault();
  const error = document.getElementById('create-error');
  const fail = (message, field) => { say(error, message); if (field) document.getElementById(field).focus(); };
  say(error, null);
  const name = document.getElementById('ev-name').value.trim();
  const starts = document.getElementById('ev-starts').value;
  const max = document.getElementById('ev-max').value;
  const perOrder = document.getElementById('ev-per-order').value;
  if (!name) return fail('Give the event a name.', 'ev-name');
  if (!starts || Number.isNaN(Date.parse(starts))) return fail('Choose when the event starts.', 'ev-starts');
  const tiers = [];
  for (const row of tierInputs.querySelectorAll('[data-tier-row]')) {
    const [tierName, price, capacity] = row.querySelectorAll('input');
    if (!tierName.value.trim() && !price.value.trim() && !capacity.value.trim()) continue;
    if (!tierName.value.trim()) return fail('Give every tier a name.', tierName.id);
    if (cents(price.value) === null) return fail(`Enter the price of ${tierName.value.trim()} like 25.00.`, price.id);
    if (!/^\d+$/.test(capacity.value.trim())) return fail(`Enter the capacity of ${tierName.value.trim()} as a whole number.`, capacity.id);
    tiers.push({ name: tierName.value.trim(), priceCents: cents(price.value), capacity: Number(capacity.value) });
  }
  if (tiers.length === 0) return fail('Add at least one tier.', 'add-tier');
  const body = { name, startsAt: new Date(starts).toISOString(), currency: document.getElementById('ev-currency').value,
                 membersOnly: document.getElementById('ev-members').checked, tiers };
  if (max) body.maxAttendees = Number(max);
  if (perOrder) body.maxTicketsPerOrder = Number(perOrder);
  try {
    const answer = await api('/api/v1/events', { method: 'POST', body });
    if (answer.status !== 201) return fail(problemSentence(answer.body));
    say(pageMessage, `${name} is on sale.`, 'ok');
    e.target.reset();
    tierInputs.replaceChildren();
    addTierRow('General', '', '');
    await loadEvents(answer.body.eventId);
    panel.scrollIntoView({ behavior: 'smooth' });
  } catch {
    fail(UNREACHABLE);
  }
});

if (!currentUser() || !hasRole('ORGANIZER')) {
  say(pageMessage, 'This page is for organisers. ');
  pageMessage.append(el('a', { href: '/signin.html?next=/organiser.html' }, 'Sign in as an organiser'));
  for (const section of document.querySelectorAll('main > section')) section.hidden = true;
} else {
  addTierRow('General', '', '');
  try { await loadEvents(); } catch { say(pageMessage, UNREACHABLE); }
}
