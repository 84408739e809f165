import { withAuthCache } from "authcache/next-auth";
import { headers } from "next/headers";
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import { authLogger } from "./auth-logger";
import { cache } from "./cache";
import { logger } from "./logger";
import { decoyHash, verifyPassword } from "./passwords";
import { authSecret } from "./secret";
import { recordSignOut } from "./sign-out";
import { findByEmail, upsertOAuthUser } from "./users";

/** GitHub sign-in appears only when the app is given its OAuth credentials. */
export const githubEnabled = Boolean(process.env.GITHUB_ID && process.env.GITHUB_SECRET);

const credentials = CredentialsProvider({
  name: "Email and password",
  credentials: {
    email: { label: "Email", type: "email" },
    password: { label: "Password", type: "password" },
  },
  async authorize(input) {
    const email = input?.email?.trim() ?? "";
    const password = input?.password ?? "";
    if (!email || !password) return null;

    const found = await findByEmail(email);
    const ok = await verifyPassword(password, found?.passwordHash ?? (await decoyHash()));
    if (!found || !ok) return null;

    const { id, name, image } = found.profile;
    return { id, name, email: found.profile.email, image };
  },
});

const github = githubEnabled
  ? [
      GitHubProvider({
        clientId: process.env.GITHUB_ID ?? "",
        clientSecret: process.env.GITHUB_SECRET ?? "",
        // A prefixed id keeps GitHub accounts apart from the database's own ids.
        profile: (p) => ({
          id: `gh-${p.id}`,
          name: p.name ?? p.login,
          email: p.email ?? `${p.login}@users.noreply.github.com`,
          image: p.avatar_url,
        }),
      }),
    ]
  : [];

const build = (): AuthOptions => ({
  secret: authSecret(),
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: "/signin", error: "/signin" },
  providers: [credentials, ...github],
  callbacks: {
    async signIn({ user, account }) {
      if (account?.provider !== "github" || !user.email) return true;

      try {
        await upsertOAuthUser({
          id: user.id,
          email: user.email,
          name: user.name ?? user.email,
          image: user.image ?? null,
        });
        return true;
      } catch {
        // The email already belongs to a password account: accounts are not merged silently.
        return "/signin?error=OAuthAccountNotLinked";
      }
    },
  },
  events: {
    // Runs after authcache revoked the session (or failed to): tells the sign-in page which.
    signOut: recordSignOut,
  },
  logger: authLogger(),
});

let wrapped: AuthOptions | undefined;

/**
 * The app's NextAuth options, wrapped by authcache: sessions become revocable, and
 * `session.user` is the cached profile (name, role...), read from the database on a miss.
 * Built on first use rather than at import, so that `next build` opens no database.
 */
export function authOptions(): AuthOptions {
  wrapped ??= withAuthCache(cache(), build(), {
    // The Sessions page names each session's browser from what it sent when signing in.
    userAgent: async () => (await headers()).get("user-agent"),
    // A revocation the store could not take at sign-out is a warning in the terminal.
    logger,
  });
  return wrapped;
}
