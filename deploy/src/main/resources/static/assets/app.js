// Shared by every page: the signed-in user, calls to the API, plain-sentence errors,
// money and time formatting, the site navigation and live availability.
// No framework: each page is a small module that builds its DOM with el().

const TOKEN_KEY = 'ticketing.token';

export function token() {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) localStorage.setItem(TOKEN_KEY, value);
  else localStorage.removeItem(TOKEN_KEY);
}

/** The signed-in user read from the token's claims ({sub, roles, exp}), or null. */
export function currentUser() {
  const t = token();
  if (!t) return null;
  try {
    const payload = t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(decodeURIComponent(escape(atob(payload))));
    if (claims.exp && claims.exp * 1000 < Date.now()) return null;
    return { sub: claims.sub, roles: claims.roles || [] };
  } catch {
    return null;
  }
}

export function hasRole(role) {
  const user = currentUser();
  return !!user && user.roles.includes(role);
}

/** The server's clock minus ours, from the Date header of the last answer (for countdowns). */
let clockSkewMs = 0;
export function serverNow() {
  return Date.now() + clockSkewMs;
}

/**
 * Calls the API. Resolves to {status, ok, body} for every HTTP answer (problem+json included);
 * rejects only when the service cannot be reached. A 401 on a signed-in call means the token
 * is no longer valid (the standalone's dev keys change on restart): it is dropped.
 */
export async function api(path, { method = 'GET', body, headers = {}, auth = true } = {}) {
  const h = { Accept: 'application/json, application/problem+json', ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (auth && token()) h.Authorization = 'Bearer ' + token();
  const response = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const date = response.headers.get('Date');
  if (date) clockSkewMs = Date.parse(date) + 500 - Date.now();
  const text = await response.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = text; }
  if (response.status === 401 && auth && token()) setToken(null);
  return { status: response.status, ok: response.ok, body: parsed, headers: response.headers };
}

/** Retries reads the service answers with 503 while a read model catches up. */
export async function apiRead(path, options) {
  for (let attempt = 0; ; attempt++) {
    const answer = await api(path, options);
    if (answer.status !== 503 || attempt >= 10) return answer;
    await sleep(300 * (attempt + 1));
  }
}

export function sleep(ms) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** One sentence a person can act on, for an API refusal. `names` maps tier ids to names. */
export function problemSentence(problem, names = {}) {
  const p = problem && typeof problem === 'object' ? problem : {};
  switch (p.code) {
    case 'TIER_SOLD_OUT': {
      const tier = names[p.tierId] || 'This tier';
      return p.available > 0 ? `Only ${p.available} left in ${tier}. Choose ${p.available} or fewer.`
                             : `${tier} is sold out right now.`;
    }
    case 'EVENT_AT_CAPACITY':
      return p.available > 0 ? `The event has only ${p.available} place${p.available === 1 ? '' : 's'} left in all. Choose fewer tickets.`
                             : 'The event is full right now.';
    case 'MEMBERSHIP_REQUIRED': return 'This event is for members only. Sign in with a member account to buy tickets.';
    case 'PENDING_ORDER_EXISTS': return 'You already hold an unpaid order for this event. Pay for it or release it before you reserve again.';
    case 'UNAUTHENTICATED': return 'Please sign in first.';
    case 'FORBIDDEN': return 'Your account is not allowed to do this.';
    case 'EVENT_NOT_FOUND': return 'This event does not exist (any more).';
    case 'TIER_NOT_FOUND': return 'One of the ticket types no longer exists. Reload the page.';
    case 'ORDER_NOT_FOUND': return 'We could not find this order.';
    case 'ORDER_NOT_CANCELLABLE': return 'This order can no longer be released.';
    case 'CAPACITY_BELOW_COMMITTED': return 'That is fewer than the tickets already sold or held. Choose a larger number.';
    case 'PAYMENT_NOT_READY': return 'The payment is still being set up. Try again in a moment.';
    case 'ORDER_NOT_PAYABLE': return 'This order is no longer waiting for a payment.';
    case 'READ_MODEL_BEHIND':
    case 'READ_MODEL_REBUILDING': return 'The service is catching up. Try again in a moment.';
    case 'VALIDATION_FAILED': {
      const first = (p.errors || [])[0];
      return first ? `Please check ${first.field}: ${first.message}.` : (p.detail || 'Please check what you entered.');
    }
    default:
      return p.detail || 'Something went wrong. Please try again.';
  }
}

export const UNREACHABLE = 'Could not reach the ticketing service. Check your connection and try again.';

export function money(cents, currency) {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: (currency || 'usd').toUpperCase() })
        .format(cents / 100);
  } catch {
    return (cents / 100).toFixed(2) + ' ' + (currency || '').toUpperCase();
  }
}

/** A price as buyers read it: "Free" for nothing, the amount otherwise. */
export function price(cents, currency) {
  return Number(cents) === 0 ? 'Free' : money(cents, currency);
}

export function dateTime(iso) {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function param(name) {
  return new URLSearchParams(location.search).get(name);
}

/** Builds an element: attributes (on* are listeners) and children (strings become text, never HTML). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** The header's navigation, with the signed-in user and their pages. */
export function renderNav(active) {
  const nav = document.getElementById('site-nav');
  if (!nav) return;
  const user = currentUser();
  const link = (href, label, key) =>
      el('a', { href, 'aria-current': active === key ? 'page' : null }, label);
  const items = [link('/', 'Events', 'events')];
  if (user) items.push(link('/orders.html', 'My orders', 'orders'));
  if (user && user.roles.includes('ORGANIZER')) items.push(link('/organiser.html', 'Dashboard', 'dashboard'));
  const next = encodeURIComponent(location.pathname + location.search);
  items.push(user
      ? el('span', { class: 'who' }, el('span', { id: 'signed-in-as' }, user.sub),
           el('button', { type: 'button', class: 'link', onclick: () => { setToken(null); location.href = '/'; } }, 'Sign out'))
      : link('/signin.html?next=' + next, 'Sign in', 'signin'));
  nav.replaceChildren(...items);
}

/** A page that needs a signed-in user sends a visitor to sign in first (and back afterwards). */
export function requireSignIn() {
  if (currentUser()) return true;
  location.replace('/signin.html?next=' + encodeURIComponent(location.pathname + location.search));
  return false;
}

/**
 * Live availability of one event: calls onState with the API's availability JSON at connect
 * and on every change. The browser's EventSource reconnects by itself; onStatus hears
 * 'live' / 'reconnecting'.
 */
export function watchAvailability(eventId, onState, onStatus = () => {}) {
  const source = new EventSource(`/api/v1/events/${encodeURIComponent(eventId)}/availability/stream`);
  source.addEventListener('availability', e => onState(JSON.parse(e.data)));
  source.addEventListener('open', () => onStatus('live'));
  source.addEventListener('error', () => onStatus(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting'));
  return source;
}

/** Shows a message in a live region (polite by default), or clears it. */
export function say(region, message, kind = 'error') {
  if (!region) return;
  region.textContent = message || '';
  region.dataset.kind = message ? kind : '';
  region.hidden = !message;
}
