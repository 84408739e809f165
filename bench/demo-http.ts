/**
 * A visitor of the running demo over plain HTTP: signs in through next-auth's real credentials
 * flow (CSRF token, then the callback), reads its session, signs out. The load test replays the
 * cookies this hands out, exactly as a browser would send them.
 */
const SESSION_COOKIE = "next-auth.session-token";
const USER_AGENT = "authcache-bench demo-load";
const TIMEOUT_MS = 10_000;

export interface Account {
  email: string;
  password: string;
}

/** Cookies as a `Cookie` header sends them: `name=value; name=value`. */
type Jar = Map<string, string>;

const header = (jar: Jar) => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");

function keep(jar: Jar, res: Response): void {
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(";", 1)[0] ?? "";
    const at = pair.indexOf("=");
    if (at > 0) jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
}

async function request(base: string, path: string, jar: Jar, init: RequestInit = {}) {
  const res = await fetch(`${base}${path}`, {
    ...init,
    redirect: "manual",
    signal: AbortSignal.timeout(TIMEOUT_MS),
    headers: { "user-agent": USER_AGENT, cookie: header(jar), ...init.headers },
  });
  keep(jar, res);
  return res;
}

async function postForm(base: string, path: string, jar: Jar, fields: Record<string, string>) {
  const csrf = await request(base, "/api/auth/csrf", jar);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  return request(base, path, jar, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...fields, csrfToken, json: "true" }),
  });
}

/** Signs in and returns the session cookie(s) as one `Cookie` header value. */
export async function signIn(base: string, account: Account): Promise<string> {
  const jar: Jar = new Map();
  const res = await postForm(base, "/api/auth/callback/credentials", jar, {
    email: account.email,
    password: account.password,
    callbackUrl: `${base}/account`,
  });
  await res.body?.cancel();

  // A large token is split into `.0`, `.1`… chunks; all of them make the session.
  const session = [...jar].filter(([name]) => name.startsWith(SESSION_COOKIE));
  if (session.length === 0) throw new Error(`sign-in of ${account.email} failed (${res.status})`);
  return header(new Map(session));
}

/** What `GET /api/auth/session` answers for this cookie: its status and signed-in email. */
export async function readSession(
  base: string,
  cookie: string,
): Promise<{ status: number; email: string | null }> {
  const res = await fetch(`${base}/api/auth/session`, {
    headers: { "user-agent": USER_AGENT, cookie },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const body = (await res.json().catch(() => null)) as { user?: { email?: string } } | null;
  return { status: res.status, email: body?.user?.email ?? null };
}

/** Signs this cookie's session out through the app, as the sign-out button does. */
export async function signOut(base: string, cookie: string): Promise<number> {
  const jar: Jar = new Map(
    cookie.split("; ").map((pair) => {
      const at = pair.indexOf("=");
      return [pair.slice(0, at), pair.slice(at + 1)] as [string, string];
    }),
  );
  const res = await postForm(base, "/api/auth/signout", jar, { callbackUrl: `${base}/` });
  await res.body?.cancel();
  return res.status;
}

/** Whether a body from `GET /api/auth/session` is a signed-in session. */
export const isSignedIn = (body: string) => body.includes('"user"');
