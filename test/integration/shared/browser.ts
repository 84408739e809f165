/**
 * A scripted browser for the Auth.js endpoints: a cookie jar and the sign-in / read / update /
 * sign-out sequence, over a transport that calls the real handler in-process (next-auth v4's
 * `NextAuth(req, res, options)` or @auth/core's `Auth(request, config)`).
 */

/** One request to `/api/auth/<action...>`. Form fields are posted as a form, `json` as JSON. */
export interface AuthRequest {
  method: "GET" | "POST";
  action: string[];
  form?: Record<string, string>;
  json?: unknown;
  cookies: Record<string, string>;
}

export interface SetCookie {
  name: string;
  value: string;
  /** Seconds; 0 clears the cookie. */
  maxAge: number | null;
  expires: Date | null;
}

export interface AuthResponse {
  status: number;
  body: unknown;
  setCookies: SetCookie[];
}

export type Transport = (request: AuthRequest) => Promise<AuthResponse>;

/** A browser's cookies at one moment, to replay later. */
export type CookieSnapshot = ReadonlyMap<string, string>;

export class Browser {
  readonly jar = new Map<string, string>();
  /** Every response this browser received, newest last. */
  readonly responses: AuthResponse[] = [];

  constructor(
    private readonly transport: Transport,
    /** The session cookie's name: `next-auth.session-token` or `authjs.session-token`. */
    readonly sessionCookie: string,
  ) {}

  async send(request: Omit<AuthRequest, "cookies">): Promise<AuthResponse> {
    const response = await this.transport({ ...request, cookies: Object.fromEntries(this.jar) });
    this.responses.push(response);

    for (const cookie of response.setCookies) {
      const cleared = cookie.maxAge === 0 || cookie.value === "" || isPast(cookie.expires);
      if (cleared) this.jar.delete(cookie.name);
      else this.jar.set(cookie.name, cookie.value);
    }
    return response;
  }

  async csrf(): Promise<string> {
    const response = await this.send({ method: "GET", action: ["csrf"] });
    const token = (response.body as { csrfToken?: unknown } | null)?.csrfToken;
    if (typeof token !== "string")
      throw new Error(`no csrf token: ${JSON.stringify(response.body)}`);
    return token;
  }

  async signIn(credentials: Record<string, string>): Promise<AuthResponse> {
    const csrfToken = await this.csrf();
    return this.send({
      method: "POST",
      action: ["callback", "credentials"],
      form: { ...credentials, csrfToken, callbackUrl: "http://localhost:3000/", json: "true" },
    });
  }

  async session(): Promise<AuthResponse> {
    return this.send({ method: "GET", action: ["session"] });
  }

  async update(data: unknown): Promise<AuthResponse> {
    const csrfToken = await this.csrf();
    return this.send({ method: "POST", action: ["session"], json: { csrfToken, data } });
  }

  async signOut(): Promise<AuthResponse> {
    const csrfToken = await this.csrf();
    return this.send({
      method: "POST",
      action: ["signout"],
      form: { csrfToken, callbackUrl: "http://localhost:3000/", json: "true" },
    });
  }

  /** The session cookie(s): one entry, or `.0`, `.1`… when Auth.js had to chunk it. */
  sessionCookies(): [string, string][] {
    return [...this.jar].filter(
      ([name]) => name === this.sessionCookie || name.startsWith(`${this.sessionCookie}.`),
    );
  }

  snapshot(): CookieSnapshot {
    return new Map(this.jar);
  }

  /** Replaces the jar with an earlier snapshot: the old cookie, replayed. */
  restore(snapshot: CookieSnapshot): void {
    this.jar.clear();
    for (const [name, value] of snapshot) this.jar.set(name, value);
  }
}

/** Parses `Set-Cookie` header values (the attributes the tests need). */
export function parseSetCookies(headers: readonly string[]): SetCookie[] {
  return headers.map((header) => {
    const [pair = "", ...attributes] = header.split(";");
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq).trim();
    const value = decodeURIComponent(pair.slice(eq + 1).trim());

    let maxAge: number | null = null;
    let expires: Date | null = null;
    for (const attribute of attributes) {
      const [key = "", raw = ""] = attribute.trim().split("=");
      if (key.toLowerCase() === "max-age") maxAge = Number(raw);
      if (key.toLowerCase() === "expires") expires = new Date(attribute.trim().slice(8));
    }
    return { name, value, maxAge, expires };
  });
}

function isPast(date: Date | null): boolean {
  return date !== null && Number.isFinite(date.getTime()) && date.getTime() <= Date.now();
}
