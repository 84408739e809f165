import type { SessionInfo } from "authcache";
import { cache } from "@/lib/cache";
import { requireSession } from "@/lib/session";
import { ago, when } from "@/lib/time";
import { describeBrowser } from "@/lib/user-agent";
import { SignOutButton } from "../components/sign-out-button";
import { revokeDevice, revokeOthers } from "./actions";

export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | undefined>>;

const DONE: Record<string, { tone: string; text: string }> = {
  revoked: { tone: "ok", text: "Revoked. That device is signed out at its next request." },
  others: { tone: "ok", text: "Every other device is signed out. This one stays signed in." },
  unknown: { tone: "warn", text: "That session is not one of your other devices any more." },
  "store-down": {
    tone: "bad",
    text: "The cache store is not answering, so nothing could be revoked. Try again shortly.",
  },
};

export default async function SessionsPage({ searchParams }: { searchParams: Search }) {
  const { user, sessionId: current } = await requireSession("/sessions");
  const { done } = await searchParams;
  const listed = await listSessions(user.id);
  const notice = done ? DONE[done] : undefined;

  return (
    <>
      <h1>Your sessions</h1>
      <p className="lead">
        Every sign-in, on each browser or device, is a session authcache can revoke. A revoked
        device keeps its cookie, but the cookie stops working at its next request.
      </p>
      {notice && (
        <div className={`notice ${notice.tone}`} data-testid="sessions-notice">
          {notice.text}
        </div>
      )}

      <section className="card">
        {listed === null ? (
          <div className="notice bad">
            The cache store is not answering, so your devices cannot be listed right now. You stay
            signed in; see <a href="/status">Status</a>.
          </div>
        ) : (
          <DeviceTable sessions={listed} current={current} />
        )}
        <div className="row" style={{ marginTop: 16 }}>
          <form action={revokeOthers}>
            <button type="submit" className="danger" data-testid="revoke-others">
              Sign out everywhere else
            </button>
          </form>
          <span className="spacer" />
          <SignOutButton label="Sign out this device" />
        </div>
      </section>
    </>
  );
}

function DeviceTable({ sessions, current }: { sessions: SessionInfo[]; current: string | null }) {
  if (sessions.length === 0) return <p className="muted">No sessions are recorded.</p>;

  return (
    <table data-testid="devices">
      <thead>
        <tr>
          <th>Browser</th>
          <th>Signed in</th>
          <th>Last seen</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {sessions.map((s) => {
          const mine = s.sessionId === current;
          return (
            <tr key={s.sessionId} className={mine ? "current" : undefined} data-testid="device">
              <td>
                {describeBrowser(s.userAgent)}{" "}
                {mine && (
                  <span className="badge ok" data-testid="this-device">
                    this device
                  </span>
                )}
                <div className="small muted">
                  <code>{s.sessionId.slice(0, 8)}</code>
                </div>
              </td>
              <td title={new Date(s.createdAt).toISOString()}>{when(s.createdAt)}</td>
              <td title={new Date(s.lastSeenAt).toISOString()}>{ago(s.lastSeenAt)}</td>
              <td style={{ textAlign: "right" }}>
                {!mine && (
                  <form action={revokeDevice}>
                    <input type="hidden" name="sessionId" value={s.sessionId} />
                    <button type="submit" className="danger" data-testid="revoke">
                      Revoke
                    </button>
                  </form>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The user's live sessions, or `null` when the store cannot be asked. */
async function listSessions(userId: string): Promise<SessionInfo[] | null> {
  try {
    return await cache().listUserSessions(userId);
  } catch {
    return null;
  }
}
