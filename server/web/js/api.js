// The HTTP side of the Ad Forge API: JSON requests, one error shape, the optional API key.

const KEY_STORAGE = "adforge.apiKey";

/** An error the page can show as is: the server's {type:"error", message, code, retryable}. */
export class ApiError extends Error {
  constructor(status, { message, code, retryable } = {}) {
    super(message || `The server answered HTTP ${status}.`);
    this.status = status;
    this.code = code || (status ? `http_${status}` : "network_error");
    this.retryable = Boolean(retryable);
  }
}

/** The API key, when the server was started with ADFORGE_API_KEYS (else empty). */
export function apiKey() {
  return localStorage.getItem(KEY_STORAGE) || "";
}

export function setApiKey(key) {
  if (key) localStorage.setItem(KEY_STORAGE, key.trim());
  else localStorage.removeItem(KEY_STORAGE);
}

function authHeaders() {
  const key = apiKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/**
 * A URL with the key as ?access_token=, for EventSource, which cannot send headers
 * (server/auth.py accepts both).
 */
export function withToken(path) {
  const key = apiKey();
  if (!key) return path;
  const url = new URL(path, location.origin);
  url.searchParams.set("access_token", key);
  return url.pathname + url.search;
}

/** Turn a non-2xx response into an ApiError, whatever its body (JSON, HTML from a proxy, none). */
export async function errorOf(response) {
  let body = {};
  try {
    body = await response.json();
  } catch {
    body = {};
  }
  if (typeof body !== "object" || body === null) body = {};
  const retryable = body.retryable ?? [408, 429, 502, 503, 504].includes(response.status);
  return new ApiError(response.status, { ...body, retryable });
}

async function send(path, { method = "GET", body, headers = {} } = {}) {
  const init = { method, headers: { Accept: "application/json", ...authHeaders(), ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  try {
    return await fetch(path, init);
  } catch {
    throw new ApiError(0, {
      message: "Cannot reach the AdForge server. Check that it is running, then try again.",
      code: "network_error",
      retryable: true,
    });
  }
}

/** GET/POST JSON; resolves to the parsed body, rejects with an ApiError. */
export async function api(path, options = {}) {
  const response = await send(path, options);
  if (!response.ok) throw await errorOf(response);
  return response.status === 204 ? null : response.json();
}

/**
 * POST a chat message and return once the server has accepted it.
 *
 * Asking for text/event-stream makes the server answer as soon as the turn has started (a 409 or
 * 422 still comes back at once), whereas the JSON mode holds the request until the turn ends.
 * The turn itself is shown by the session's EventSource, so this stream is closed straight away;
 * closing it never cancels the run (the server runs turns in the background).
 */
export async function postMessage(sessionId, body) {
  const response = await send(`/api/chat/sessions/${encodeURIComponent(sessionId)}/messages`, {
    method: "POST",
    body,
    headers: { Accept: "text/event-stream" },
  });
  if (!response.ok) throw await errorOf(response);
  response.body?.cancel().catch(() => {});
}
