// fetch wrappers for the emulator's JSON API: JSON in, JSON out, {error} replies thrown as Error.
export async function api<T>(path: string, method = 'GET', body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data: unknown = text;
  try {
    data = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  if (!res.ok) {
    const reply = data as { error?: string; message?: string } | string;
    throw new Error(typeof reply === 'string' ? reply || `HTTP ${res.status}` : (reply.error ?? reply.message ?? `HTTP ${res.status}`));
  }
  return data as T;
}

export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
