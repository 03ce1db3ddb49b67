// Checkout: what is held and for how long, payment, then the tickets. The order is re-read
// from the API while anything can still change (payment, expiry); nothing is assumed.
// The payment starts only when the buyer clicks Pay (POST .../payment makes the order's one
// payment intent); loading this page calls neither the payment API nor Stripe's. A free order
// is confirmed when it is made: this page just shows its tickets.
import { api, apiRead, el, money, param, price, problemSentence, renderNav, requireSignIn, say, serverNow, sleep,
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
let refusal = null;      // Stripe refused this order's payment for good (PAYMENT_UNAVAILABLE's detail)

/** A refusal that ends the payment attempt with a sentence instead of a card error. */
class PaymentStopped extends Error {}

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
      el('td', { class: 'num' }, price(line.unitPriceCents * line.quantity, order.currency)))));
  document.getElementById('order-total').textContent = price(order.totalCents, order.currency);
  payButton.textContent = 'Pay ' + money(order.totalCents, order.currency);

  statusLine.dataset.status = order.status;
  const backLink = el('a', { href: '/event.html?id=' + order.eventId }, 'Back to the event');
  const refused = order.payment && order.payment.status === 'refused';
  switch (refusal && OPEN.includes(order.status) ? 'REFUSING' : order.status) {
    case 'REFUSING': // Stripe said no; the order's cancellation is on its way to this read
      statusLine.replaceChildren(el('span', { class: 'badge CANCELLED' }, 'Payment refused'), ' ', refusal, ' ', backLink);
      break;
    case 'RESERVED':
      statusLine.replaceChildren(el('span', { class: 'badge RESERVED' }, 'Reserved'), ' These tickets are held for you while you pay.');
      break;
    case 'PAYMENT_PROCESSING':
      statusLine.replaceChildren(el('span', { class: 'badge PAYMENT_PROCESSING' }, 'Processing payment…'),
          ' Your bank is confirming the payment. Your tickets stay held meanwhile.');
      break;
    case 'CONFIRMED':
      statusLine.replaceChildren(el('span', { class: 'badge CONFIRMED' }, order.totalCents === 0 ? 'Confirmed' : 'Paid'),
          " You're going! Your tickets are below.");
      break;
    case 'EXPIRED':
      statusLine.replaceChildren(el('span', { class: 'badge EXPIRED' }, 'Expired'),
          ` This reservation expired at ${new Date(order.expiresAt).toLocaleTimeString()} and the tickets went back on sale. Nothing was charged. `, backLink);
      break;
    case 'CANCELLED':
      statusLine.replaceChildren(...(refused
          ? [el('span', { class: 'badge CANCELLED' }, 'Payment refused'),
             ` Stripe could not take this payment: ${refusalReason(order.payment.lastError)}; your tickets were released and nothing was charged. `]
          : [el('span', { class: 'badge CANCELLED' }, 'Released'), ' You released these tickets; nothing was charged. ']),
          backLink);
      break;
    case 'REFUNDED':
      statusLine.replaceChildren(el('span', { class: 'badge REFUNDED' }, 'Refunded'),
          ' This order was refunded in full and its tickets are no longer valid. ', backLink);
      break;
  }
  const canPay = order.status === 'RESERVED' && !refusal;
  paymentSection.hidden = !canPay && !(order.status === 'PAYMENT_PROCESSING' && !refusal);
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
  const holding = order && order.status === 'RESERVED' && order.expiresAt && !refusal;
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

/** "Stripe cannot take this payment (Amount must be …)" as recorded: the part in brackets, Stripe's words. */
function refusalReason(lastError) {
  const text = (lastError || '').trim();
  const bracketed = /^Stripe cannot take this payment \((.*)\)\.?$/s.exec(text);
  return (bracketed ? bracketed[1] : text || 'it refused it').replace(/\.$/, '');
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
  // Stripe's deferred intent flow: the Payment Element is shown for the order's amount, and the
  // intent is made only when the buyer pays (docs.stripe.com/payments/accept-a-payment-deferred)
  const stripe = window.Stripe(paymentConfig.publishableKey);
  const elements = stripe.elements({ mode: 'payment', amount: order.totalCents, currency: order.currency });
  elements.create('payment').mount(box);
  stripeJs = { stripe, elements };
}

function usesStandin() {
  return !/^https:\/\/api\.stripe\.com\/?$/.test(paymentConfig.stripeApiBase || '');
}

/**
 * The buyer starts to pay: the order's payment intent and its client secret (made now, once per
 * order). Stripe busy (PAYMENT_NOT_READY) is no failure: asked again every second while the hold
 * lasts. Stripe refusing the order for good, or an order no longer awaiting payment, stops here.
 */
async function startPayment() {
  for (;;) {
    const answer = await api(`/api/v1/orders/${orderId}/payment`, { method: 'POST' });
    if (answer.ok) return answer.body;
    const code = answer.body && answer.body.code;
    if (code === 'PAYMENT_UNAVAILABLE') {
      refusal = answer.body.detail || 'Stripe cannot take this payment. Your tickets were released and nothing was charged.';
      throw new PaymentStopped();
    }
    if (code === 'ORDER_NOT_PAYABLE') {
      await loadOrder();
      if (order.status === 'RESERVED') say(paymentError, problemSentence(answer.body)); // the read has yet to catch up
      throw new PaymentStopped();
    }
    if (code !== 'PAYMENT_NOT_READY' && answer.status !== 503) throw answer;
    if (Date.parse(order.expiresAt) <= serverNow()) { // the hold ended while Stripe was busy
      await loadOrder();
      throw new PaymentStopped();
    }
    say(paymentError, 'Getting your payment ready…', 'info');
    await sleep(1000);
  }
}

/**
 * Confirms the intent from the browser, as Stripe.js does, with the publishable key. Stripe's
 * rate limit (429) is waited out quietly: again after 250 ms, 500 ms, 1 s, 2 s, 4 s.
 */
async function confirmWithStandin(secret, paymentMethod) {
  for (let attempt = 0, wait = 250; ; attempt++, wait *= 2) {
    const response = await fetch(`${paymentConfig.stripeApiBase}/v1/payment_intents/${secret.paymentIntentId}/confirm`, {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + paymentConfig.publishableKey, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ payment_method: paymentMethod, client_secret: secret.clientSecret }),
    });
    const body = await response.json().catch(() => ({}));
    if (response.ok) return { intent: body };
    if (response.status !== 429 || attempt >= 5) {
      return { error: response.status === 429 ? { message: 'Stripe is busy right now; nothing was charged.' }
                                               : body.error || {} };
    }
    await sleep(wait);
  }
}

payForm.addEventListener('submit', async e => {
  e.preventDefault();
  if (paying || refusal || !order || order.status !== 'RESERVED') return;
  paying = true;
  payButton.disabled = true;
  say(paymentError, null);
  const original = payButton.textContent;
  payButton.textContent = 'Paying…';
  try {
    let result;
    if (stripeJs) {
      // Stripe: the Payment Element is checked (and wallets collected) first, while the click is fresh
      const submitted = await stripeJs.elements.submit();
      if (submitted.error) {
        result = { error: submitted.error };
      } else {
        const secret = await startPayment();
        say(paymentError, null);
        result = await stripeJs.stripe.confirmPayment({ elements: stripeJs.elements, clientSecret: secret.clientSecret,
            redirect: 'if_required', confirmParams: { return_url: location.href } });
        result = result.error ? { error: result.error } : { intent: result.paymentIntent };
      }
    } else {
      const card = payForm.querySelector('input[name="card"]:checked').value;
      const secret = await startPayment();
      say(paymentError, null);
      result = await confirmWithStandin(secret, card);
    }
    if (result.error) {
      say(paymentError, `${result.error.message || 'The payment did not go through.'} Try again or use another card.`);
    } else {
      say(paymentError, 'Processing payment…', 'info');
      statusLine.replaceChildren(el('span', { class: 'badge PAYMENT_PROCESSING' }, 'Processing payment…'));
      await followPayment();
    }
  } catch (failure) {
    if (!(failure instanceof PaymentStopped)) {
      say(paymentError, failure && failure.body ? problemSentence(failure.body) : UNREACHABLE);
    }
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
