"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

/** Signs out through NextAuth, whose sign-out event makes authcache revoke the session. */
export function SignOutButton({ label = "Sign out" }: { label?: string }) {
  const [busy, setBusy] = useState(false);

  return (
    <button
      type="button"
      className="secondary"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void signOut({ callbackUrl: "/signin?reason=signed-out" });
      }}
    >
      {busy ? "Signing out…" : label}
    </button>
  );
}
