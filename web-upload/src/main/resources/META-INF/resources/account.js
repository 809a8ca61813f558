// Accounts in the page: sign up, sign in and out, and API tokens for scripts. The browser itself
// authenticates with the session cookie only; the app (farm.js) loads once the visitor is signed in.
import * as api from './api.js';

const $ = (id) => document.getElementById(id);
let appLoaded = false;

function say(text, isError = true) {
  $('account-message').textContent = text;
  $('account-message').className = isError ? 'error' : 'ok';
  $('account-message').hidden = !text;
}

async function signedIn(account) {
  document.body.dataset.auth = 'signed-in';
  $('account-name').textContent = account.name;
  $('account-bar').hidden = false;
  say('');
  if (!appLoaded) {
    appLoaded = true;
    await import('./farm.js');
  }
}

function signedOut() {
  document.body.dataset.auth = 'signed-out';
  $('account-bar').hidden = true;
  $('tokens-panel').hidden = true;
  $('tokens-toggle').setAttribute('aria-expanded', 'false');
}

async function signInWith(form, first) {
  const name = form.elements.name.value.trim();
  const password = form.elements.password.value;
  say('');
  try {
    if (first) await api.signUp(name, password);
    const account = await api.signIn(name, password);
    form.reset();
    await signedIn(account);
  } catch (e) {
    say(e.message);
  }
}

// --- API tokens --------------------------------------------------------------------------

const when = (iso) => (iso ? new Date(iso).toLocaleString('en') : 'never');

async function loadTokens() {
  const body = $('tokens-table').tBodies[0];
  try {
    const tokens = await api.tokens();
    body.replaceChildren(...tokens.map((t) => {
      const row = document.createElement('tr');
      row.dataset.tokenId = t.id;
      for (const text of [t.name, when(t.createdAt), when(t.lastUsedAt)]) {
        const cell = document.createElement('td');
        cell.textContent = text;
        row.append(cell);
      }
      const revoke = document.createElement('button');
      revoke.type = 'button';
      revoke.className = 'quiet revoke';
      revoke.textContent = 'Revoke';
      revoke.setAttribute('aria-label', `Revoke token ${t.name}`);
      revoke.addEventListener('click', async () => {
        try {
          await api.revokeToken(t.id);
          await loadTokens();
        } catch (e) {
          say(e.message);
        }
      });
      const cell = document.createElement('td');
      cell.append(revoke);
      row.append(cell);
      return row;
    }));
    $('tokens-empty').hidden = tokens.length > 0;
  } catch (e) {
    say(e.message);
  }
}

async function createToken(event) {
  event.preventDefault();
  const name = $('token-name').value.trim();
  try {
    const created = await api.createToken(name);
    $('token-value').value = created.token;
    $('token-created').hidden = false;
    $('token-name').value = '';
    await loadTokens();
  } catch (e) {
    say(e.message);
  }
}

async function copyToken() {
  const input = $('token-value');
  try {
    await navigator.clipboard.writeText(input.value);
  } catch (e) {
    input.select(); // no clipboard permission: leave it selected for Ctrl-C
    document.execCommand('copy');
  }
  $('token-copy').textContent = 'Copied';
}

async function showWebhookState() {
  try {
    const state = await api.webhookSecret();
    $('webhook-state').textContent = state.exists
      ? `This account has a secret, made ${new Date(state.createdAt).toLocaleString()}; a new one replaces it.`
      : 'This account has no secret yet.';
  } catch (e) {
    say(e.message);
  }
}

async function createWebhookSecret() {
  try {
    const created = await api.createWebhookSecret();
    $('webhook-value').value = created.secret;
    $('webhook-created').hidden = false;
    await showWebhookState();
  } catch (e) {
    say(e.message);
  }
}

function toggleTokens() {
  const open = $('tokens-panel').hidden;
  $('tokens-panel').hidden = !open;
  $('tokens-toggle').setAttribute('aria-expanded', String(open));
  $('token-created').hidden = true;
  $('token-value').value = '';
  $('token-copy').textContent = 'Copy';
  $('webhook-created').hidden = true;
  $('webhook-value').value = '';
  if (open) {
    loadTokens();
    showWebhookState();
  }
}

// --- start -------------------------------------------------------------------------------

$('sign-in-form').addEventListener('submit', (e) => { e.preventDefault(); signInWith(e.target, false); });
$('sign-up-form').addEventListener('submit', (e) => { e.preventDefault(); signInWith(e.target, true); });
$('sign-out').addEventListener('click', async () => {
  await api.signOut().catch(() => {});
  location.hash = '#/';
  location.reload();
});
$('tokens-toggle').addEventListener('click', toggleTokens);
$('token-form').addEventListener('submit', createToken);
$('token-copy').addEventListener('click', copyToken);
$('webhook-create').addEventListener('click', createWebhookSecret);
window.addEventListener(api.SIGNED_OUT, () => { signedOut(); say('Your session ended; sign in again.'); });

try {
  const state = await api.session();
  if (state.signedIn) await signedIn(state.account);
  else signedOut();
} catch (e) {
  signedOut();
  say(e.message);
}
