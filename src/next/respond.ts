/** Headers every operations answer carries: never cached by a CDN or the browser. */
const NO_STORE = { "cache-control": "no-store" };

/** A JSON answer that no proxy or browser will cache. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...NO_STORE, ...headers },
  });
}

/** A plain-text answer that no proxy or browser will cache. */
export function textResponse(status: number, body: string, contentType: string) {
  return new Response(body, { status, headers: { "content-type": contentType, ...NO_STORE } });
}

/** 401 with the challenge a client expects; the body says nothing about the token. */
export function unauthorized(): Response {
  return jsonResponse(401, { status: "unauthorized" }, { "www-authenticate": "Bearer" });
}
