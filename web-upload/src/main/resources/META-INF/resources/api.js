// The coordinator's REST API as the page uses it. Every error is an RFC 9457 problem; ApiError carries it.

export class ApiError extends Error {
  constructor(status, problem) {
    const reasons = Array.isArray(problem.errors) && problem.errors.length > 1 ? `: ${problem.errors.join('; ')}` : '';
    super((problem.detail || problem.title || `HTTP ${status}`) + reasons);
    this.status = status;
    this.problem = problem;
  }
}

/** Fired on window when the coordinator answers 401: the session ended (account.js shows the sign-in page). */
export const SIGNED_OUT = 'farm:signed-out';

async function call(url, options = {}) {
  let response;
  try {
    response = await fetch(url, options);
  } catch (e) {
    throw new ApiError(0, { detail: 'The coordinator cannot be reached; check that the farm is running.' });
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    if (response.status === 401 && !url.startsWith('/api/v1/session')) window.dispatchEvent(new Event(SIGNED_OUT));
    throw new ApiError(response.status, body);
  }
  return body;
}

const json = (body) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

export const startUpload = (declared) => call('/api/v1/uploads', json(declared));
export const uploadStatus = (id) => call(`/api/v1/uploads/${encodeURIComponent(id)}`);
export const completeUpload = (id) => call(`/api/v1/uploads/${encodeURIComponent(id)}/complete`, { method: 'POST' });
export const sceneSummary = (digest) => call(`/api/v1/scenes/${encodeURIComponent(digest)}`);

/** PUTs one part to its presigned URL in object storage; onProgress(loaded) follows the bytes sent. */
export function putPart(url, blob, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve()
      : reject(new ApiError(xhr.status, { detail: `object storage refused a part (HTTP ${xhr.status})` })));
    xhr.onerror = () => reject(new ApiError(0, { detail: 'The connection to object storage dropped.' }));
    xhr.send(blob);
  });
}

export const quote = (request) => call('/api/v1/quotes', json(request));
export const launch = (request, idempotencyKey) => call('/api/v1/jobs', {
  ...json(request), headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
});
export const approvals = (id) => call(`/api/v1/jobs/${encodeURIComponent(id)}/approvals`);
export const approve = (id, frame) =>
  call(`/api/v1/jobs/${encodeURIComponent(id)}/frames/${frame}/approve`, { method: 'POST' });
export const reject = (id, frame, reason) =>
  call(`/api/v1/jobs/${encodeURIComponent(id)}/frames/${frame}/reject`, json({ reason }));
export const job = (id) => call(`/api/v1/jobs/${encodeURIComponent(id)}`);
export const pauseJob = (id) => call(`/api/v1/jobs/${encodeURIComponent(id)}/pause`, { method: 'POST' });
export const resumeJob = (id) => call(`/api/v1/jobs/${encodeURIComponent(id)}/resume`, { method: 'POST' });
export const setPriority = (id, priority) => call(`/api/v1/jobs/${encodeURIComponent(id)}/priority`,
  { ...json({ priority }), method: 'PUT' });
/** Whether a job in this state can still change: running, or paused by its artist. */
export const active = (state) => state === 'RUNNING' || state === 'PAUSED';
export const jobs = (limit, cursor) =>
  call(`/api/v1/jobs?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);

/** Follows a job's status over server-sent events until it finishes; returns a function that stops following. */
export function follow(id, onStatus, onLost) {
  const events = new EventSource(`/api/v1/jobs/${encodeURIComponent(id)}/events`);
  let finished = false;
  events.onmessage = (e) => {
    const status = JSON.parse(e.data);
    onStatus(status);
    if (!active(status.state)) {
      finished = true;
      events.close();
    }
  };
  events.onerror = () => { if (!finished && events.readyState === EventSource.CLOSED) onLost(); };
  return () => { finished = true; events.close(); };
}

// --- accounts (account.js): the session cookie is set and sent by the browser, never read by scripts ---
export const session = () => call('/api/v1/session');
export const signUp = (name, password) => call('/api/v1/accounts', json({ name, password }));
export const signIn = (name, password) => call('/api/v1/session', json({ name, password }));
export const signOut = () => call('/api/v1/session', { method: 'DELETE' });
export const tokens = () => call('/api/v1/tokens');
export const createToken = (name) => call('/api/v1/tokens', json({ name }));
export const webhookSecret = () => call('/api/v1/webhook-secret');
export const createWebhookSecret = () => call('/api/v1/webhook-secret', { method: 'POST' });
export const revokeToken = (id) => call(`/api/v1/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' });
