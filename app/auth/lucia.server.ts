import { sql } from "kysely";
import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from "lucia";
import type { DB } from "~db";
import type { Role } from "~/auth/roles";
import { env } from "~db/env";

/** Lucia v3 is deprecated upstream; everything that touches it lives in this folder. */

interface UserAttributes {
  username: string;
  display_name: string;
  role: Role;
  org_unit_id: number | null;
  person_id: number | null;
  active: boolean;
  /** The database's snapshot as this statement saw it (see snapshotSeenBy in session.server). */
  snapshot: string;
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof buildLucia>;
    DatabaseUserAttributes: UserAttributes;
  }
}

export const SESSION_COOKIE = "jx_session";
export const SESSION_LIFETIME_HOURS = 12;

export class KyselyAdapter implements Adapter {
  constructor(private readonly db: DB) {}

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const row = await this.db
      .selectFrom("user_session")
      .innerJoin("app_user", "app_user.id", "user_session.user_id")
      .select([
        "user_session.id as session_id",
        "user_session.expires_at",
        "app_user.id as user_id",
        "app_user.username",
        "app_user.display_name",
        "app_user.role",
        "app_user.org_unit_id",
        "app_user.person_id",
        "app_user.active",
        sql<string>`pg_current_snapshot()::text`.as("snapshot"),
      ])
      .where("user_session.id", "=", sessionId)
      .executeTakeFirst();
    if (!row) return [null, null];
    return [
      { id: row.session_id, userId: row.user_id, expiresAt: new Date(row.expires_at), attributes: {} },
      {
        id: row.user_id,
        attributes: {
          username: row.username,
          display_name: row.display_name,
          role: row.role,
          org_unit_id: row.org_unit_id,
          person_id: row.person_id,
          active: row.active,
          snapshot: row.snapshot,
        },
      },
    ];
  }

  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    const rows = await this.db.selectFrom("user_session").selectAll().where("user_id", "=", userId).execute();
    return rows.map((r) => ({ id: r.id, userId: r.user_id, expiresAt: new Date(r.expires_at), attributes: {} }));
  }

  async setSession(session: DatabaseSession): Promise<void> {
    await this.db.insertInto("user_session").values({ id: session.id, user_id: session.userId, expires_at: session.expiresAt }).execute();
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    await this.db.updateTable("user_session").set({ expires_at: expiresAt }).where("id", "=", sessionId).execute();
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.db.deleteFrom("user_session").where("id", "=", sessionId).execute();
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await this.db.deleteFrom("user_session").where("user_id", "=", userId).execute();
  }

  async deleteExpiredSessions(): Promise<void> {
    await this.db.deleteFrom("user_session").where("expires_at", "<=", new Date()).execute();
  }
}

export function cookieIsSecure(): boolean {
  return env().cookieSecure;
}

function buildLucia(db: DB) {
  return new Lucia(new KyselyAdapter(db), {
    // Sliding: Lucia extends a session that is used in the second half of its lifetime.
    sessionExpiresIn: new TimeSpan(SESSION_LIFETIME_HOURS, "h"),
    sessionCookie: {
      name: SESSION_COOKIE,
      // The cookie lives as long as the session; when the session slides, the entry server
      // sends the cookie again with the new lifetime (takeExtendedSessionCookie).
      expires: true,
      attributes: { secure: cookieIsSecure(), sameSite: "lax" },
    },
    getUserAttributes: (a) => a,
  });
}

const instances = new WeakMap<DB, ReturnType<typeof buildLucia>>();

export function luciaFor(db: DB) {
  let lucia = instances.get(db);
  if (!lucia) {
    lucia = buildLucia(db);
    instances.set(db, lucia);
  }
  return lucia;
}

export { verifyRequestOrigin } from "lucia";
