// The one API client: same-origin fetch with cookies, the CSRF token protocol (fetched lazily,
// replaced after sign-in/out, refreshed once on a CSRF refusal) and the error shape.
export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null | undefined) {
  csrfToken = token ?? null;
}

async function fetchCsrf(): Promise<string> {
  const res = await fetch('/api/csrf', { credentials: 'same-origin' });
  const body = await res.json();
  csrfToken = body.token;
  return body.token;
}

async function request<T>(method: string, path: string, body?: unknown, retried = false): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const mutation = method !== 'GET';
  if (mutation) headers['X-CSRF-Token'] = csrfToken ?? (await fetchCsrf());
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const code = data?.code ?? 'HTTP_' + res.status;
    if (mutation && !retried && (code === 'CSRF_INVALID' || code === 'CSRF_EXPIRED')) {
      await fetchCsrf();
      return request<T>(method, path, body, true);
    }
    throw new ApiError(res.status, code, data?.error ?? res.statusText, data?.details ?? {});
  }
  return data as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  patch: <T>(path: string, body: unknown = {}) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown = {}) => request<T>('PUT', path, body),
  del: <T>(path: string, body: unknown = {}) => request<T>('DELETE', path, body),
};
