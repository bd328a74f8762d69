/** A JSON response with the right content type. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(`${JSON.stringify(body, null, 2)}\n`, {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/** An error reply: `{ error, hint? }` so a human reading GitHub's delivery log knows what to do. */
export function jsonError(status: number, error: string, hint?: string, headers: Record<string, string> = {}): Response {
  return json(status, hint ? { error, hint } : { error }, headers);
}
