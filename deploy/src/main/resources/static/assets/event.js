// An event's page: tiers with live counts, quantities across tiers, one reservation.
import { api, apiRead, currentUser, dateTime, el, param, price, problemSentence, renderNav, say,
         UNREACHABLE, watchAvailability } from './app.js';

renderNav('events');
const eventId = param('id');
const tiersBox = document.getElementById('tiers');
const form = document.getElementById('reserve-form');
const pageMessage = document.getElementById('page-message');
const reserveError = document.getElementById('reserve-error');
const reserveButton = document.getElementById('reserve');
const myBox = document.getElementById('my-reservation');
const live = document.getElementById('live');
const reserveHint = document.getElementById('reserve-hint');

let state = null;          // the latest availability (anonymous, from the stream)
let mine = null;           // the caller's live reservation, if any
let idempotencyKey = null; // one per reservation attempt: a retried request reserves once
const rows = new Map();    // tierId -> {counts, input, error}

function tierNames() {
  return Object.fromEntries((state ? state.tiers : []).map(t => [t.tierId, t.name]));
}

/** What this buyer holds of a tier (their own hold is not "reserved by others"). */
function heldByMe(tierId) {
  if (!mine || !['RESERVED', 'PAYMENT_PROCESSING'].includes(mine.status)) return 0;
  return (mine.lines || []).filter(l => l.tierId === tierId).reduce((n, l) => n + l.quantity, 0);
}

function countsSentence(tier) {
  const others = Math.max(0, tier.reserved - heldByMe(tier.tierId));
  if (tier.available === 0 && others === 0) return heldByMe(tier.tierId) > 0 ? 'No more left — you hold the last ones' : 'Sold out';
  if (tier.available === 0) return `None available now, ${others} reserved by others (they may come back if not paid)`;
  return `${tier.available} available` + (others > 0 ? `, ${others} reserved by others` : '');
}

function render(view) {
  state = view;
  document.title = `${view.name} — Tickets`;
  document.getElementById('event-name').textContent = view.name;
  document.getElementById('event-when').textContent = dateTime(view.startsAt) + (view.membersOnly ? ' · Members only' : '');
  document.getElementById('event-counts').textContent = view.available > 0
      ? `${view.available} tickets available in all.` : 'Nothing available right now.';
  for (const tier of view.tiers) {
    let row = rows.get(tier.tierId);
    if (!row) {
      const inputId = 'qty-' + tier.tierId;
      row = {
        counts: el('p', { class: 'counts', id: 'counts-' + tier.tierId, 'aria-live': 'polite' }),
        input: el('input', { id: inputId, type: 'number', min: 0, value: 0, inputmode: 'numeric',
                             'data-tier-id': tier.tierId, 'aria-describedby': 'counts-' + tier.tierId + ' error-' + tier.tierId,
                             oninput: updateTotal }),
        error: el('p', { class: 'field-error', id: 'error-' + tier.tierId, role: 'alert' }),
      };
      tiersBox.append(el('div', { class: 'tier', 'data-tier-id': tier.tierId },
          el('div', {}, el('span', { class: 'name' }, tier.name), ' · ',
              el('span', { class: 'price', id: 'price-' + tier.tierId }, price(tier.priceCents, view.currency))),
          el('div', { class: 'qty field inline' }, el('label', { for: inputId }, el('span', { class: 'hint' }, 'Tickets for ' + tier.name)), row.input),
          row.counts, row.error));
      rows.set(tier.tierId, row);
    }
    row.counts.textContent = countsSentence(tier);
    row.counts.dataset.soldOut = String(tier.available === 0 && tier.reserved === 0);
    row.input.max = tier.available + heldByMe(tier.tierId);
  }
  updateTotal();
}

function selections() {
  return [...rows.entries()]
      .map(([tierId, row]) => ({ tierId, quantity: Number.parseInt(row.input.value || '0', 10) }))
      .filter(s => s.quantity > 0);
}

/** Whether what is chosen costs nothing (or, before anything is chosen, every tier is free). */
function choosingFree() {
  if (!state) return false;
  const prices = Object.fromEntries(state.tiers.map(t => [t.tierId, t.priceCents]));
  const chosen = selections();
  return chosen.length > 0 ? chosen.every(s => prices[s.tierId] === 0)
                           : state.tiers.length > 0 && state.tiers.every(t => t.priceCents === 0);
}

function buttonLabel() {
  return choosingFree() ? 'Get tickets' : 'Reserve tickets';
}

function updateTotal() {
  if (!state) return;
  const prices = Object.fromEntries(state.tiers.map(t => [t.tierId, t.priceCents]));
  const chosen = selections();
  const total = chosen.reduce((sum, s) => sum + prices[s.tierId] * s.quantity, 0);
  const count = chosen.reduce((n, s) => n + s.quantity, 0);
  document.getElementById('order-total').textContent = count === 0 ? '—'
      : `${count} ticket${count === 1 ? '' : 's'}, ${price(total, state.currency)}`;
  if (!reserveButton.disabled) reserveButton.textContent = buttonLabel();
  reserveHint.textContent = choosingFree() ? 'Free tickets are yours at once: no payment needed.'
                                           : 'Reserved tickets are held for you while you pay.';
}

function showMine() {
  const active = mine && ['RESERVED', 'PAYMENT_PROCESSING'].includes(mine.status);
  myBox.hidden = !active;
  if (active) {
    myBox.replaceChildren('You hold tickets for this event until ',
        el('time', { datetime: mine.expiresAt }, new Date(mine.expiresAt).toLocaleTimeString()), '. ',
        el('a', { href: '/checkout.html?order=' + mine.orderId, id: 'continue-checkout' }, 'Continue to checkout'));
  }
}

/** The signed-in buyer's own hold comes from an authenticated read (the stream is anonymous). */
async function loadMine() {
  if (!currentUser()) return;
  const answer = await apiRead(`/api/v1/events/${eventId}/availability`);
  if (answer.ok) {
    mine = answer.body.myReservation || null;
    showMine();
    render(state || answer.body); // counts stay those of the stream, which are pushed in commit order

  }
}

function clearErrors() {
  say(reserveError, null);
  for (const row of rows.values()) row.error.textContent = '';
}

form.addEventListener('submit', async e => {
  e.preventDefault();
  clearErrors();
  const chosen = selections();
  if (chosen.length === 0) {
    say(reserveError, 'Choose how many tickets you want in at least one tier.');
    return;
  }
  const bad = [...rows.values()].find(r => !Number.isInteger(Number(r.input.value || '0')) || Number(r.input.value) < 0);
  if (bad) {
    bad.error.textContent = 'Enter a whole number of tickets.';
    bad.input.focus();
    return;
  }
  if (!currentUser()) {
    location.href = '/signin.html?next=' + encodeURIComponent(location.pathname + location.search);
    return;
  }
  idempotencyKey = idempotencyKey || crypto.randomUUID();
  reserveButton.disabled = true;
  reserveButton.textContent = choosingFree() ? 'Getting your tickets…' : 'Reserving…';
  try {
    const answer = await api(`/api/v1/events/${eventId}/orders`, { method: 'POST', body: { selections: chosen },
        headers: { 'Idempotency-Key': idempotencyKey } });
    if (answer.status === 201) { // held until paid, or (free) confirmed already: the order page shows which
      location.href = '/checkout.html?order=' + answer.body.orderId;
      return;
    }
    idempotencyKey = null; // refused: the next attempt is a new request
    showRefusal(answer);
  } catch {
    say(reserveError, UNREACHABLE); // the same key is sent again: a retry cannot reserve twice
  } finally {
    reserveButton.disabled = false;
    reserveButton.textContent = buttonLabel();
  }
});

function showRefusal(answer) {
  const problem = answer.body || {};
  const sentence = problemSentence(problem, tierNames());
  if (problem.code === 'TIER_SOLD_OUT' && rows.has(problem.tierId)) {
    const row = rows.get(problem.tierId);
    row.error.textContent = sentence;
    row.input.focus();
  } else if (problem.code === 'PENDING_ORDER_EXISTS') {
    say(reserveError, sentence);
    reserveError.append(' ', el('a', { href: '/checkout.html?order=' + problem.orderId }, 'Go to your order'));
  } else if (problem.code === 'UNAUTHENTICATED') {
    say(reserveError, 'Your sign-in has expired. ');
    reserveError.append(el('a', { href: '/signin.html?next=' + encodeURIComponent(location.pathname + location.search) }, 'Sign in again'));
  } else {
    say(reserveError, sentence);
  }
  reserveError.focus?.();
}

if (!eventId) {
  say(pageMessage, 'No event was chosen. Go back to the list of events.');
  form.hidden = true;
} else {
  try {
    const first = await apiRead(`/api/v1/events/${eventId}/availability`);
    if (first.status === 404) {
      say(pageMessage, 'This event does not exist.');
      form.hidden = true;
    } else if (first.ok) {
      mine = first.body.myReservation || null;
      render(first.body);
      showMine();
      watchAvailability(eventId, view => {
            const heldBefore = state ? state.reserved : null;
            render(view);
            if (view.reserved !== heldBefore) loadMine(); // my hold may have started, ended or expired
          },
          status => {
            live.dataset.state = status;
            live.textContent = status === 'live' ? 'Live' : 'Reconnecting…';
          });
    } else {
      say(pageMessage, problemSentence(first.body));
    }
  } catch {
    say(pageMessage, UNREACHABLE);
  }
}
