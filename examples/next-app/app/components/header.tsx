import Link from "next/link";
import { currentSession } from "@/lib/current";
import { SignOutButton } from "./sign-out-button";

export async function Header() {
  const session = await currentSession();

  return (
    <header className="top">
      <div className="inner">
        <Link href="/" className="brand">
          auth<span>cache</span> demo
        </Link>
        <nav className="links">
          <Link href="/account">Account</Link>
          <Link href="/sessions">Sessions</Link>
          <Link href="/status">Status</Link>
        </nav>
        {session ? (
          <div className="who">
            <span data-testid="signed-in-as">{session.user.name}</span>
            <span className="badge">{session.user.role}</span>
            <SignOutButton />
          </div>
        ) : (
          <Link className="button secondary" href="/signin">
            Sign in
          </Link>
        )}
      </div>
    </header>
  );
}
