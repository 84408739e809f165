"use client";

import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";

interface DemoAccount {
  email: string;
  password: string;
  name: string;
  role: string;
}

export function SignInForm(props: {
  callbackUrl: string;
  github: boolean;
  accounts: DemoAccount[];
}) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);

    const result = await signIn("credentials", {
      email,
      password,
      redirect: false,
      callbackUrl: props.callbackUrl,
    });

    if (!result || result.error) {
      setError(
        result?.error === "CredentialsSignin"
          ? "That email and password do not match an account."
          : "Sign-in failed. Please try again.",
      );
      setBusy(false);
      return;
    }
    // A full navigation, so that the server renders the next page with the new cookie.
    window.location.assign(props.callbackUrl);
  }

  return (
    <>
      <form className="card" onSubmit={submit}>
        {error && (
          <div className="notice bad" role="alert" data-testid="signin-error">
            {error}
          </div>
        )}
        <div className="field">
          <label htmlFor="email">Email</label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <div className="row">
          <button type="submit" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
          {props.github && (
            <button
              type="button"
              className="secondary"
              onClick={() => void signIn("github", { callbackUrl: props.callbackUrl })}
            >
              Sign in with GitHub
            </button>
          )}
        </div>
      </form>

      <section className="card accounts">
        <h2>Demo accounts</h2>
        <p className="small muted">Click one to fill in the form.</p>
        {props.accounts.map((a) => (
          <button
            key={a.email}
            type="button"
            className="secondary"
            onClick={() => {
              setEmail(a.email);
              setPassword(a.password);
            }}
          >
            {a.name} <span className="badge">{a.role}</span>
            <br />
            <span className="small muted">
              {a.email} · {a.password}
            </span>
          </button>
        ))}
      </section>
    </>
  );
}
