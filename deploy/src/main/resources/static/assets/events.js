// The list of events (the buyer's home page).
import { apiRead, dateTime, el, renderNav, say, UNREACHABLE } from './app.js';

renderNav('events');
const list = document.getElementById('events');
const message = document.getElementById('events-message');

try {
  const answer = await apiRead('/api/v1/events', { auth: false });
  if (!answer.ok) {
    say(message, 'The events could not be loaded. Please try again in a moment.');
  } else if (answer.body.length === 0) {
    say(message, 'No events are on sale yet.', 'info');
  } else {
    list.replaceChildren(...answer.body.map(event => el('article', { class: 'card', 'data-event-id': event.eventId },
        el('h2', {}, el('a', { href: '/event.html?id=' + event.eventId }, event.name)),
        el('p', { class: 'muted' }, dateTime(event.startsAt)),
        el('p', {}, event.available > 0 ? `${event.available} tickets available` : 'No tickets available right now'))));
  }
} catch {
  say(message, UNREACHABLE);
}
