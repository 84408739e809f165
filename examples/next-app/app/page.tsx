import Link from "next/link";
import accounts from "@/demo-accounts.json";
import { demo } from "@/lib/cache";
import { currentSession } from "@/lib/current";

export const dynamic = "force-dynamic";

export default async function Home() {
  const session = await currentSession();
  const { storeLabel, storeSource } = demo();

  return (
    <>
      <h1>Sessions you can take back</h1>
      <p className="lead">
        This app signs people in with NextAuth's JWT sessions and adds authcache: every session can
        be revoked, profiles come from a cache in front of the database, and the jwt callback keeps
        working when the cache does not.
      </p>

      <div className="grid">
        <section className="card">
          <h2>Try it</h2>
          <ol className="muted">
            <li>
              <Link href="/account">Edit your name or role</Link>: the next page shows it, with the
              same cookie.
            </li>
            <li>
              Sign in from a second browser, then open <Link href="/sessions">Sessions</Link> and
              revoke it: its next click lands on the sign-in page.
            </li>
            <li>
              Watch the cache's hit ratios and latencies on <Link href="/status">Status</Link>.
            </li>
          </ol>
          {session ? (
            <p>
              Signed in as <strong>{session.user.name}</strong>.
            </p>
          ) : (
            <Link className="button" href="/signin">
              Sign in
            </Link>
          )}
        </section>

        <section className="card">
          <h2>Demo accounts</h2>
          <table>
            <tbody>
              {accounts.map((a) => (
                <tr key={a.email}>
                  <td>
                    <code>{a.email}</code>
                  </td>
                  <td>
                    <code>{a.password}</code>
                  </td>
                  <td>
                    <span className="badge">{a.role}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="small muted">
            Cache store: <strong>{storeLabel}</strong> ({storeSource}).
          </p>
        </section>
      </div>
    </>
  );
}
