import accounts from "@/demo-accounts.json";
import { githubEnabled } from "@/lib/auth";
import { safeCallback } from "@/lib/safe-redirect";
import { lastSignOut } from "@/lib/sign-out";
import { SignInForm } from "./signin-form";

export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;

/** What brought the visitor here, in words: NextAuth's error codes and the proxy's reasons. */
const NOTICES: Record<string, { tone: "bad" | "warn" | "ok"; text: string }> = {
  revoked: {
    tone: "warn",
    text: "Your session was revoked, from another device or by “sign out everywhere”. Please sign in again.",
  },
  "signed-out": {
    tone: "ok",
    text: "You are signed out. Your old session cookie no longer works, wherever a copy of it is.",
  },
  // The store could not take the revocation: only this server knows of it, for now.
  "signed-out-unconfirmed": {
    tone: "warn",
    text:
      "You are signed out in this browser: its session cookie is cleared. The cache store was " +
      "not answering, so the sign-out is not stored yet: this server already refuses the old " +
      "cookie and stores the sign-out once the store is back. Until then, a copy of the cookie " +
      "would still work on other servers sharing the store, or here after a restart.",
  },
  CredentialsSignin: { tone: "bad", text: "That email and password do not match an account." },
  OAuthSignin: { tone: "bad", text: "GitHub sign-in could not start. Please try again." },
  OAuthCallback: { tone: "bad", text: "GitHub sign-in did not complete. Please try again." },
  OAuthAccountNotLinked: {
    tone: "bad",
    text: "That GitHub account's email belongs to an account with a password. Sign in with it.",
  },
  SessionRequired: { tone: "warn", text: "Please sign in to see that page." },
};

export default async function SignInPage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  let key = first(params.reason) ?? first(params.error);
  if (key === "signed-out" && (await lastSignOut()) === "unconfirmed") {
    key = "signed-out-unconfirmed";
  }
  const notice = key ? (NOTICES[key] ?? { tone: "bad", text: "Sign-in failed." }) : null;

  return (
    <div className="auth-box">
      <h1>Sign in</h1>
      <p className="lead">
        Use one of the demo accounts below{githubEnabled ? ", or your GitHub account" : ""}.
      </p>
      {notice && (
        <div className={`notice ${notice.tone}`} role="status" data-testid="signin-notice">
          {notice.text}
        </div>
      )}
      <SignInForm
        callbackUrl={safeCallback(first(params.callbackUrl))}
        github={githubEnabled}
        accounts={accounts.map(({ email, password, name, role }) => ({
          email,
          password,
          name,
          role,
        }))}
      />
    </div>
  );
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
