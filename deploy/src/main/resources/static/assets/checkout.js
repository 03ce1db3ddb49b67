// Checkout: what is held and for how long, payment, then the tickets. The order is re-read
// from the API while anything can still change (payment, expiry); nothing is assumed.
import { api, apiRead, el, money, param, problemSentence, renderNav, requireSignIn, say, serverNow, sleep,
         token, UNREACHABLE } from './app.js';

renderNav('orders');
const orderId = param('order');
const statusLine = document.getElementById('order-status');
const countdown = document.getElementById('countdown');
const pageMessage = document.getElementById('page-message');
const paymentSection = document.getElementById('payment');
const payForm = document.getElementById('pay-form');
const payButton = document.getElementById('pay');
const paymentError = document.getElementById('payment-error');
const releaseButton = document.getElementById('release');

const OPEN = ['RESERVED', 'PAYMENT_PROCESSING'];
// The stand-in's test cards, as Stripe's test mode names them.
const TEST_CARDS = [
  { pm: 'pm_card_visa', number: '4242 4242 4242 4242', label: 'Visa — payment succeeds' },
  { pm: 'pm_card_chargeDeclined', number: '4000 0000 0000 0002', label: 'Declined by the bank' },
  { pm: 'pm_card_processing', number: '', label: 'A bank that takes its time (the payment stays processing)' },
];

let order = null;
let event = null;        // availability of the order's event: names and prices of tiers
let paymentConfig = null;
let stripeJs = null;     // real Stripe: Stripe.js and its Payment Element
let paying = false;      // a payment attempt is between the card form and Stripe's answer
let ticketsShown = false;

function tierName(tierId) {
  const tier = event && event.tiers.find(t => t.tierId === tierId);
  return tier ? tier.name : 'Ticket';
}

function renderOrder() {
  document.getElementById('back-to-event').href = '/event.html?id=' + order.eventId;
  document.getElementById('back-to-event').textContent = '← Back to ' + (event ? event.name : 'the event');
  document.getElementById('order-heading').textContent = event ? `Your order for ${event.name}` : 'Your order';
  document.getElementById('order-lines').replaceChildren(...order.lines.map(line => el('tr', {},
      el('td', {}, tierName(line.tierId)), el('td', { class: 'num' }, line.quantity),
      el('td', { class: 'num' }, money(line.unitPriceCents * line.quantity, order.currency)))));
  document.getElementById('order-total').textContent = money(order.totalCents, order.currency);
  payButton.textContent = 'Pay ' + money(order.totalCents, order.currency);

  statusLine.dataset.status = order.status;
  const backLink = el('a', { href: '/event.html?id=' + order.eventId }, 'Back to the event');
  switch (order.status) {
    case 'RESERVED':
      statusLine.replaceChildren(el('span', { class: 'badge RESERVED' }, 'Reserved'), ' These tickets are held for you while you pay.');
      break;
    case 'PAYMENT_PROCESSING':
      statusLine.replaceChildren(el('span', { class: 'badge PAYMENT_PROCESSING' }, 'Processing payment…'),
          ' Your bank is confirming the payment. Your tickets stay held meanwhile.');
      break;
    case 'CONFIRMED':
      statusLine.replaceChildren(el('span', { class: 'badge CONFIRMED' }, 'Paid'), " You're going! Your tickets are below.");
      break;
    case 'EXPIRED':
      statusLine.replaceChildren(el('span', { class: 'badge EXPIRED' }, 'Expired'),
          ` This reservation expired at ${new Date(order.expiresAt).toLocaleTimeString()} and the tickets went back on sale. Nothing was charged. `, backLink);
      break;
    case 'CANCELLED':
      statusLine.replaceChildren(el('span', { class: 'badge CANCELLED' }, 'Released'),
          ' You released these tickets; nothing was charged. ', backLink);
      break;
    case 'REFUNDED':
      statusLine.replaceChildren(el('span', { class: 'badge REFUNDED' }, 'Refunded'),
          ' This order was refunded in full and its tickets are no longer valid. ', backLink);
      break;
  }
  const canPay = order.status === 'RESERVED';
  paymentSection.hidden = !canPay && !(order.status === 'PAYMENT_PROCESSING');
  payButton.disabled = !canPay || paying;
  releaseButton.hidden = !canPay;
  if (canPay && !paying && order.payment && order.payment.lastError) {
    say(paymentError, `${order.payment.lastError} Try again or use another card.`);
  }
  if (order.status === 'CONFIRMED' && !ticketsShown) showTickets();
  tick();
}

/** "Reserved for you — expires in 14:32", from the server's clock. */
function tick() {
  const holding = order && order.status === 'RESERVED' && order.expiresAt;
  countdown.hidden = !holding;
  if (!holding) return;
  const left = Math.max(0, Date.parse(order.expiresAt) - serverNow());
  const minutes = Math.floor(left / 60000);
  const seconds = Math.floor(left / 1000) % 60;
  const text = `${minutes}:${String(seconds).padStart(2, '0')}`;
  countdown.dataset.urgent = String(left < 60000);
  countdown.replaceChildren(left > 0 ? 'Reserved for you — expires in ' : 'Your hold has run out — checking…',
      left > 0 ? el('time', { datetime: `PT${minutes}M${seconds}S`, id: 'time-left' }, text) : '');
  countdown.setAttribute('aria-label', left > 0 ? `Reserved for you, expires in ${minutes} minutes ${seconds} seconds` : 'Hold ran out');
}

async function showTickets() {
  ticketsShown = true;
  const list = document.getElementById('tickets');
  document.getElementById('tickets-section').hidden = false;
  list.replaceChildren(...order.tickets.map(ticket => el('li', { class: 'ticket', 'data-ticket-id': ticket.ticketId },
      el('p', { class: 'name' }, el('strong', {}, tierName(ticket.tierId))),
      el('img', { alt: 'QR code for ticket ' + ticket.code, id: 'qr-' + ticket.ticketId, width: 192, height: 192 }),
      el('code', {}, ticket.code))));
  for (const ticket of order.tickets) {
    const answer = await fetch(`/api/v1/orders/${orderId}/tickets/${ticket.ticketId}/qr`,
        { headers: { Authorization: 'Bearer ' + token() } });
    if (answer.ok) document.getElementById('qr-' + ticket.ticketId).src = URL.createObjectURL(await answer.blob());
  }
}

async function loadOrder() {
  const answer = await apiRead('/api/v1/orders/' + orderId);
  if (!answer.ok) {
    say(pageMessage, answer.status === 404 ? 'We could not find this order.' : problemSentence(answer.body));
    return false;
  }
  order = answer.body;
  if (!event) {
    const availability = await apiRead(`/api/v1/events/${order.eventId}/availability`, { auth: false });
    if (availability.ok) event = availability.body;
  }
  renderOrder();
  return true;
}

/** The card form: Stripe's Payment Element with real keys, the stand-in's test cards otherwise. */
async function setUpCardEntry() {
  const answer = await api('/api/v1/payment-config', { auth: false });
  paymentConfig = answer.body;
  const box = document.getElementById('card-entry');
  if (usesStandin()) {
    box.replaceChildren(el('fieldset', { class: 'cards' },
        el('legend', {}, 'Test card'),
        el('p', { class: 'hint' }, 'This service runs with a Stripe stand-in: no real money moves. Choose a test card.'),
        ...TEST_CARDS.map((card, i) => el('label', {},
            el('input', { type: 'radio', name: 'card', value: card.pm, checked: i === 0 }),
            card.number ? el('code', {}, card.number) : null, ' ', card.label))));
    return;
  }
  await new Promise((resolve, reject) => {
    document.head.append(el('script', { src: 'https://js.stripe.com/v3/', onload: resolve, onerror: reject }));
  });
  const secret = await paymentSecret();
  const stripe = window.Stripe(paymentConfig.publishableKey);
  const elements = stripe.elements({ clientSecret: secret.clientSecret });
  const element = elements.create('payment');
  element.mount(box);
  stripeJs = { stripe, elements };
}

function usesStandin() {
  return !/^https:\/\/api\.stripe\.com\/?$/.test(paymentConfig.stripeApiBase || '');
}

/** The intent's client secret; the saga creates the intent a moment after the reservation. */
async function paymentSecret() {
  for (let attempt = 0; attempt < 20; attempt++) {
    const answer = await api(`/api/v1/orders/${orderId}/payment`);
    if (answer.ok) return answer.body;
    if (answer.body && answer.body.code !== 'PAYMENT_NOT_READY' && answer.status !== 503) throw answer;
    await sleep(500);
  }
  throw { body: { code: 'PAYMENT_NOT_READY' } };
}

/** Confirms the intent from the browser, as Stripe.js does, with the publishable key. */
async function confirmWithStandin(secret, paymentMethod) {
  const response = await fetch(`${paymentConfig.stripeApiBase}/v1/payment_intents/${secret.paymentIntentId}/confirm`, {
    method: 'POST',
    headers: { Authorization: 'Bearer ' + paymentConfig.publishableKey, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ payment_method: paymentMethod, client_secret: secret.clientSecret }),
  });
  const body = await response.json();
  return response.ok ? { intent: body } : { error: body.error };
}

payForm.addEventListener('submit', async e => {
  e.preventDefault();
  if (paying || !order || order.status !== 'RESERVED') return;
  paying = true;
  payButton.disabled = true;
  say(paymentError, null);
  const original = payButton.textContent;
  payButton.textContent = 'Paying…';
  try {
    let result;
    if (stripeJs) {
      result = await stripeJs.stripe.confirmPayment({ elements: stripeJs.elements, redirect: 'if_required',
          confirmParams: { return_url: location.href } });
      result = result.error ? { error: result.error } : { intent: result.paymentIntent };
    } else {
      const secret = await paymentSecret();
      result = await confirmWithStandin(secret, payForm.querySelector('input[name="card"]:checked').value);
    }
    if (result.error) {
      say(paymentError, `${result.error.message || 'The payment did not go through.'} Try again or use another card.`);
    } else {
      say(paymentError, 'Processing payment…', 'info');
      statusLine.replaceChildren(el('span', { class: 'badge PAYMENT_PROCESSING' }, 'Processing payment…'));
      await followPayment();
    }
  } catch (failure) {
    say(paymentError, failure && failure.body ? problemSentence(failure.body) : UNREACHABLE);
  } finally {
    paying = false;
    payButton.textContent = original;
    if (order) renderOrder();
  }
});

/** After Stripe accepted the card: the order follows when the webhook has been handled. */
async function followPayment() {
  for (let i = 0; i < 60 && order.status === 'RESERVED'; i++) {
    await sleep(500);
    await loadOrder();
  }
  if (order.status !== 'RESERVED') say(paymentError, null);
}

releaseButton.addEventListener('click', async () => {
  if (!confirm('Release these tickets? Someone else can then buy them.')) return;
  const answer = await api(`/api/v1/orders/${orderId}/cancel`, { method: 'POST' });
  if (!answer.ok) say(pageMessage, problemSentence(answer.body));
  await loadOrder();
});

if (!orderId) {
  say(pageMessage, 'No order was chosen. See your orders.');
} else if (requireSignIn()) {
  try {
    if (await loadOrder()) {
      if (OPEN.includes(order.status)) await setUpCardEntry();
      setInterval(tick, 250);
      // keep reading while the outcome can change without this page doing anything (expiry, settlement)
      (async function poll() {
        while (OPEN.includes(order.status)) {
          await sleep(order.status === 'PAYMENT_PROCESSING' || Date.parse(order.expiresAt) <= serverNow() ? 1000 : 3000);
          if (!paying) await loadOrder().catch(() => {});
        }
      })();
    }
  } catch {
    say(pageMessage, UNREACHABLE);
  }
}
