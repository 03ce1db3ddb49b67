// The signed-in buyer's orders, newest first.
import { apiRead, dateTime, el, price, problemSentence, renderNav, requireSignIn, say, UNREACHABLE } from './app.js';

renderNav('orders');
const box = document.getElementById('orders');
const message = document.getElementById('orders-message');
const LABELS = { RESERVED: 'Reserved — awaiting payment', PAYMENT_PROCESSING: 'Processing payment', CONFIRMED: 'Paid',
                 EXPIRED: 'Expired', CANCELLED: 'Released', REFUNDED: 'Refunded' };

/** What the badge says: a free order was never paid for, and Stripe may have refused one. */
function label(order) {
  if (order.status === 'CONFIRMED' && order.totalCents === 0) return 'Confirmed';
  if (order.status === 'CANCELLED' && order.payment && order.payment.status === 'refused') return 'Payment refused';
  return LABELS[order.status] || order.status;
}

if (requireSignIn()) {
  try {
    const [orders, events] = await Promise.all([apiRead('/api/v1/me/orders'), apiRead('/api/v1/events', { auth: false })]);
    if (!orders.ok) {
      say(message, problemSentence(orders.body));
    } else if (orders.body.length === 0) {
      say(message, 'You have no orders yet.', 'info');
      message.append(' ', el('a', { href: '/' }, 'See the events'));
    } else {
      const names = Object.fromEntries((events.ok ? events.body : []).map(e => [e.eventId, e]));
      box.replaceChildren(...orders.body.map(order => {
        const event = names[order.eventId];
        const tickets = order.lines.reduce((n, l) => n + l.quantity, 0);
        return el('article', { class: 'card', 'data-order-id': order.orderId },
            el('h2', {}, el('a', { href: '/checkout.html?order=' + order.orderId }, event ? event.name : 'Order')),
            el('p', {}, el('span', { class: 'badge ' + order.status }, label(order)), ' ',
                `${tickets} ticket${tickets === 1 ? '' : 's'}, ${price(order.totalCents, order.currency)}`),
            event ? el('p', { class: 'muted' }, dateTime(event.startsAt)) : null);
      }));
    }
  } catch {
    say(message, UNREACHABLE);
  }
}
