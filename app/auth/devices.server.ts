import crypto from "node:crypto";
import type { DB, Tx } from "~db";
import { SESSION_AUDIT } from "~/auth/labels";
import { luciaFor } from "~/auth/lucia.server";
import type { SessionUser } from "~/auth/roles";
import { recordAudit } from "~/lib/audit.server";
import { refuse, type Result } from "~/lib/result";

/**
 * The owner's list of the devices they are signed in on (the account page), each ended from there.
 * A session's id is its secret and never leaves in a page: a device is named by a hash of it.
 */

export interface SignedInDevice {
  /** Names the session in the page without giving its id. */
  handle: string;
  label: string | null;
  signedInAt: Date;
  expiresAt: Date;
  /** A month-long session, valid only in the browser it is bound to. */
  bound: boolean;
  /** This browser's own session. */
  current: boolean;
}

const handleOf = (sessionId: string) => crypto.createHash("sha256").update(`device-handle:${sessionId}`).digest("hex").slice(0, 16);

const liveSessions = (db: DB, userId: string, now: Date) =>
  db
    .selectFrom("user_session")
    .select(["id", "created_at", "expires_at", "device_hash", "device_label"])
    .where("user_id", "=", userId)
    .where("expires_at", ">", now)
    .where((eb) => eb.or([eb("not_after", "is", null), eb("not_after", ">", now)]))
    .orderBy("created_at", "desc")
    .execute();

const currentSession = (db: DB, request: Request) => luciaFor(db).readSessionCookie(request.headers.get("cookie") ?? "");

export async function signedInDevices(db: DB, request: Request, user: SessionUser, now = new Date()): Promise<SignedInDevice[]> {
  const current = currentSession(db, request);
  return (await liveSessions(db, user.id, now)).map((s) => ({
    handle: handleOf(s.id),
    label: s.device_label,
    signedInAt: s.created_at,
    expiresAt: s.expires_at,
    bound: s.device_hash !== null,
    current: s.id === current,
  }));
}

/**
 * Ends the user's session on one device ("退出此设备"). `signedOutHere` says it was this browser's
 * own, which is then signed out too.
 */
export async function endDeviceSession(
  db: DB,
  request: Request,
  user: SessionUser,
  handle: string,
  now = new Date(),
): Promise<Result<{ signedOutHere: boolean }>> {
  const session = (await liveSessions(db, user.id, now)).find((s) => handleOf(s.id) === handle);
  if (!session) return refuse("该设备已退出登录", { status: 409, field: "device" });
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom("user_session").where("id", "=", session.id).where("user_id", "=", user.id).execute();
    await recordAudit(tx, SESSION_AUDIT, {
      actor: { id: user.id, displayName: user.displayName },
      id: user.id,
      unit: user.orgUnitId,
      action: "sign_out_device",
      comment: session.device_label,
    });
  });
  return { ok: true, signedOutHere: session.id === currentSession(db, request) };
}

/** Ends every session of the user, this browser's included ("退出所有设备"). */
export async function endEverySession(db: DB, user: SessionUser): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom("user_session").where("user_id", "=", user.id).execute();
    await recordAudit(tx, SESSION_AUDIT, { actor: { id: user.id, displayName: user.displayName }, id: user.id, unit: user.orgUnitId, action: "sign_out_all" });
  });
}

/**
 * Ends the user's sessions on every other device, in the caller's transaction, keeping this browser's: after a change
 * to how the account is signed in to (the one-time code turned on or off), whoever else held a session must sign in
 * the new way. Answers how many were ended.
 */
export async function endOtherSessions(tx: Tx, request: Request, userId: string): Promise<number> {
  const current = luciaFor(tx).readSessionCookie(request.headers.get("cookie") ?? "");
  const ended = await tx
    .deleteFrom("user_session")
    .where("user_id", "=", userId)
    .$if(current !== null, (q) => q.where("id", "!=", current!))
    .executeTakeFirst();
  return Number(ended.numDeletedRows);
}
