// Sign-in: a dev token for a chosen name and role where the service issues them (the
// standalone), otherwise a bearer token pasted from the identity provider.
import { api, currentUser, param, renderNav, say, setToken, UNREACHABLE } from './app.js';

renderNav('signin');
const message = document.getElementById('signin-message');
const devForm = document.getElementById('dev-signin');
const tokenForm = document.getElementById('token-signin');

// only local paths: never send a freshly signed-in user to another site
const requested = param('next');
const next = requested && requested.startsWith('/') && !requested.startsWith('//') ? requested : '/';

function done() {
  const user = currentUser();
  location.href = next === '/' && user && user.roles.includes('ORGANIZER') ? '/organiser.html' : next;
}

// An empty request tells whether the dev issuer is there (400) or not (404), and issues nothing.
try {
  const probe = await api('/api/v1/dev/tokens', { method: 'POST', body: {}, auth: false });
  devForm.hidden = probe.status === 404;
  if (!devForm.hidden) document.getElementById('name').focus();
} catch {
  say(message, UNREACHABLE);
}

devForm.addEventListener('submit', async e => {
  e.preventDefault();
  const name = document.getElementById('name');
  if (!name.checkValidity()) {
    say(message, 'Please enter a name made of letters, digits and . _ @ - only.');
    name.focus();
    return;
  }
  const role = devForm.querySelector('input[name="role"]:checked').value;
  try {
    const answer = await api('/api/v1/dev/tokens', { method: 'POST', auth: false,
        body: { sub: name.value.trim(), roles: role ? [role] : [] } });
    if (answer.status !== 201) {
      say(message, 'Signing in did not work: ' + ((answer.body && answer.body.detail) || answer.status));
      return;
    }
    setToken(answer.body.token);
    done();
  } catch {
    say(message, UNREACHABLE);
  }
});

tokenForm.addEventListener('submit', e => {
  e.preventDefault();
  const value = document.getElementById('token').value.trim().replace(/^Bearer\s+/i, '');
  setToken(value);
  if (!currentUser()) {
    setToken(null);
    say(message, 'That is not a valid, unexpired token.');
    return;
  }
  done();
});
