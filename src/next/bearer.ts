import { InvalidOptionError } from "../errors.js";

const encoder = new TextEncoder();

/**
 * A bearer-token gate for operations endpoints. Both tokens are hashed with SHA-256 and the
 * digests compared in full, so the time taken reveals neither the token's length nor how much
 * of a guess was right. Web Crypto only, so it runs on edge runtimes too.
 */
export function createBearerCheck(
  token: string | undefined,
): (request: Request) => Promise<boolean> {
  if (token === undefined) return async () => true;
  if (typeof token !== "string" || token.length === 0) {
    // An empty token (an unset variable read as "") would otherwise open the endpoint silently.
    throw new InvalidOptionError("token", "expected a non-empty string, or leave it undefined");
  }

  let expected: Promise<Uint8Array> | undefined;

  return async (request) => {
    const header = request.headers.get("authorization") ?? "";
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    expected ??= digest(token);

    const [want, got] = await Promise.all([expected, digest(match?.[1] ?? "")]);
    let diff = match ? 0 : 1;
    for (let i = 0; i < want.length; i++) diff |= (want[i] ?? 0) ^ (got[i] ?? 0);
    return diff === 0;
  };
}

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}
