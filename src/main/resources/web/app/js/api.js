// REST client for docs/API.md: same-origin cookie session, X-CSRF-Token on writes,
// errors turned into ApiError with the server's human message (never raw JSON).

let csrfToken = null;
let onUnauthenticated = () => {};

export function setCsrfToken(token) {
  csrfToken = token;
}

/** The CSRF token, for requests made without api() (a file upload that reports its progress). */
export function csrf() {
  return csrfToken;
}

export function onSessionLost(fn) {
  onUnauthenticated = fn;
}

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

function fallbackMessage(status) {
  if (status === 401) return 'Your session has ended. Please sign in again.';
  if (status === 403) return "You're not allowed to do that.";
  if (status === 404) return 'That no longer exists.';
  if (status === 413) return 'That is too large to send.';
  if (status === 429) return 'Too many requests — please wait a moment and try again.';
  if (status >= 500) return 'Something went wrong on the server. Please try again.';
  return 'The request could not be completed.';
}

export async function api(method, path, body, { quietAuth = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', "Can't reach Parley. Check your connection and try again.");
  }
  const text = await res.text().catch(() => '');
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const err = data && typeof data === 'object' ? data.error : null;
    // Server messages for 5xx are generic by contract; ours reads better than "internal_error".
    const message = res.status < 500 && err && typeof err.message === 'string' && err.message
      ? err.message : fallbackMessage(res.status);
    const error = new ApiError(res.status, (err && err.code) || `http_${res.status}`, message, err && err.field);
    // A deactivated agent's session is refused with 403 account_inactive: the session is over just the same.
    const lost = res.status === 401 || (res.status === 403 && error.code === 'account_inactive');
    if (lost && !quietAuth) onUnauthenticated(error);
    throw error;
  }
  return data;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body === undefined ? {} : body, opts);
export const patch = (path, body) => api('PATCH', path, body);
export const put = (path, body) => api('PUT', path, body);
export const del = (path) => api('DELETE', path);
