import { Cookie, Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from "lucia";
import type { DB } from "~db";
import type { Role } from "~/auth/roles";
import { countedDataVersionSql, workDataVersionSql } from "~/lib/data-version.server";
import { env } from "~db/env";

/** Lucia v3 is deprecated upstream; everything that touches it lives in this folder. */

interface UserAttributes {
  username: string;
  display_name: string;
  role: Role;
  org_unit_id: number | null;
  person_id: number | null;
  active: boolean;
  /** The versions of what the union's figures and a user's work are read from, as this statement saw them (see versionsFor in session.server). */
  data_version: string;
  work_version: string;
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof buildLucia>;
    DatabaseUserAttributes: UserAttributes;
  }
}

export const SESSION_COOKIE = "jx_session";
export const SESSION_LIFETIME_HOURS = 12;
/**
 * A session opened by a phone code (or WeChat) on the person's own device, and bound to it: it lasts
 * this long since it was last used, and slides at most until DEVICE_SESSION_MAX_DAYS after the sign-in.
 */
export const DEVICE_SESSION_DAYS = 30;
export const DEVICE_SESSION_MAX_DAYS = 90;
const DAY_MS = 24 * 3600_000;

/** A session and its user in one statement, with the data's versions (see versionsFor in session.server). */
const sessionAndUser = (db: DB, sessionId: string) =>
  db
    .selectFrom("user_session")
    .innerJoin("app_user", "app_user.id", "user_session.user_id")
    .select([
      "user_session.id as session_id",
      "user_session.expires_at",
      "user_session.lifetime_seconds",
      "user_session.device_hash",
      "user_session.not_after",
      "app_user.id as user_id",
      "app_user.username",
      "app_user.display_name",
      "app_user.role",
      "app_user.org_unit_id",
      "app_user.person_id",
      "app_user.active",
      countedDataVersionSql.as("data_version"),
      workDataVersionSql.as("work_version"),
    ])
    .where("user_session.id", "=", sessionId)
    .executeTakeFirst();

type SessionAndUserRow = NonNullable<Awaited<ReturnType<typeof sessionAndUser>>>;

const userOf = (row: SessionAndUserRow): DatabaseUser => ({
  id: row.user_id,
  attributes: {
    username: row.username,
    display_name: row.display_name,
    role: row.role,
    org_unit_id: row.org_unit_id,
    person_id: row.person_id,
    active: row.active,
    data_version: row.data_version,
    work_version: row.work_version,
  },
});

export class KyselyAdapter implements Adapter {
  constructor(private readonly db: DB) {}

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const row = await sessionAndUser(this.db, sessionId);
    if (!row) return [null, null];
    return [{ id: row.session_id, userId: row.user_id, expiresAt: new Date(row.expires_at), attributes: {} }, userOf(row)];
  }

  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    const rows = await this.db.selectFrom("user_session").selectAll().where("user_id", "=", userId).execute();
    return rows.map((r) => ({ id: r.id, userId: r.user_id, expiresAt: new Date(r.expires_at), attributes: {} }));
  }

  /** Lucia's own sessions (the tests' cookieFor): the ordinary twelve hours, on no device. */
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
    // The ordinary session's lifetime: what Lucia's createSession gives. Sliding is ours (validateSession).
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

/**
 * When a session used now slides, and to when: by its own lifetime (Lucia's sessionExpiresIn is one
 * for all). A twelve-hour session slides when used in its second half, as Lucia's did; a month-long
 * one once a day at most (so a phone used every few weeks stays signed in, for one write a day) —
 * never past its not_after.
 */
function slideTo(session: { expiresAt: Date; lifetimeSeconds: number; notAfter: Date | null }, now: Date): Date | null {
  const lifetime = session.lifetimeSeconds * 1000;
  const slidesFrom = session.expiresAt.getTime() - lifetime + Math.min(lifetime / 2, DAY_MS);
  if (now.getTime() < slidesFrom) return null;
  const to = Math.min(now.getTime() + lifetime, session.notAfter?.getTime() ?? Infinity);
  return to > session.expiresAt.getTime() ? new Date(to) : null;
}

type ValidSession = { id: string; expiresAt: Date; fresh: boolean; user: DatabaseUser };

/**
 * A session cookie's session, if it is valid now and for the device this request carries (the hash
 * of its jx_device token). Ours rather than Lucia's validateSession, which slides every session by
 * the one global lifetime. A session bound to a device that arrives without it is ended: its cookie
 * was copied off the device, and the owner is safer signing in again than the copy being tried later
 * beside a stolen device cookie.
 */
export async function validateSession(db: DB, sessionId: string, deviceHash: string | null, now = new Date()): Promise<ValidSession | null> {
  const row = await sessionAndUser(db, sessionId);
  if (!row) return null;
  const adapter = new KyselyAdapter(db);
  const expiresAt = new Date(row.expires_at);
  const notAfter = row.not_after && new Date(row.not_after);
  // (A session never slides past its not_after, so its expiry is the one limit to check.)
  if (expiresAt <= now || (row.device_hash !== null && row.device_hash !== deviceHash)) {
    await adapter.deleteSession(row.session_id);
    return null;
  }
  const slid = slideTo({ expiresAt, lifetimeSeconds: row.lifetime_seconds, notAfter }, now);
  if (slid) await adapter.updateSessionExpiration(row.session_id, slid);
  return { id: row.session_id, expiresAt: slid ?? expiresAt, fresh: !!slid, user: userOf(row) };
}

/** The session cookie, living exactly as long as its session from now: twelve hours, or a month on a device. */
export function sessionCookie(sessionId: string, expiresAt: Date, now = new Date()): string {
  const maxAge = Math.max(0, Math.round((expiresAt.getTime() - now.getTime()) / 1000));
  return new Cookie(SESSION_COOKIE, sessionId, { httpOnly: true, secure: cookieIsSecure(), sameSite: "lax", path: "/", maxAge }).serialize();
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
