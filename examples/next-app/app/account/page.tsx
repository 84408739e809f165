import { requireSession } from "@/lib/session";
import { when } from "@/lib/time";
import { ROLES } from "@/lib/users";
import { saveProfile } from "./actions";

export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | undefined>>;

const ERRORS: Record<string, string> = {
  name: "Please enter a name of 1 to 80 characters.",
  role: "Please pick one of the roles.",
};

export default async function AccountPage({ searchParams }: { searchParams: Search }) {
  const { user } = await requireSession("/account");
  const { saved, error } = await searchParams;

  return (
    <>
      <h1>Your account</h1>
      <p className="lead">
        What you see here is <code>session.user</code>: the profile authcache keeps in its cache,
        read from the database only when the cache has no copy. Your cookie carries just your ids.
      </p>

      {saved === "cached" && (
        <div className="notice ok" data-testid="saved">
          Saved. The database changed and authcache's cached copy of your profile was replaced, so
          this page and the header above, rendered with the very same cookie, already show the
          change.
        </div>
      )}
      {saved === "store-down" && (
        <div className="notice warn" data-testid="saved">
          Saved in the database. The cache store is not answering, so authcache's copy of your
          profile could not be replaced: until the store is back, pages read your profile from the
          database, which is why this one already shows the change. When the store answers again,
          the cache loads your profile from the database; a copy it kept from before the outage, if
          any, lasts 15 minutes at most.
        </div>
      )}
      {error && ERRORS[error] && <div className="notice bad">{ERRORS[error]}</div>}

      <div className="grid">
        <section className="card">
          <h2>Profile</h2>
          <dl className="facts">
            <dt>Name</dt>
            <dd data-testid="profile-name">{user.name}</dd>
            <dt>Email</dt>
            <dd>{user.email}</dd>
            <dt>Role</dt>
            <dd>
              <span className="badge" data-testid="profile-role">
                {user.role}
              </span>
            </dd>
            <dt>Changed</dt>
            <dd>{user.updatedAt ? when(user.updatedAt) : "never"}</dd>
          </dl>
        </section>

        <form className="card" action={saveProfile}>
          <h2>Edit</h2>
          <div className="field">
            <label htmlFor="name">Name</label>
            <input id="name" name="name" defaultValue={user.name} maxLength={80} required />
          </div>
          <div className="field">
            <label htmlFor="role">Role</label>
            <select id="role" name="role" defaultValue={user.role}>
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {role}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">Save</button>
          <p className="small muted">
            In a real app only an admin would change roles; here you may, to see the change reach
            every page at once.
          </p>
        </form>
      </div>
    </>
  );
}
