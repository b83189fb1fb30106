import crypto from "node:crypto";
import { sql, type SqlBool } from "kysely";
import type { DB, Tx } from "~db";
import type { CodePurpose } from "~db/types";
import { env } from "~db/env";
import { recordAudit } from "~/lib/audit.server";
import { checkEvidenceFiles } from "~/lib/files";
import { formatDateTime } from "~/lib/format";
import { todayInTaizhou } from "~/lib/time";
import { storedFileColumns } from "~/lib/upload.server";
import { NOMINATION_AUDIT, OUTCOME_LABELS } from "~/modules/nominations/labels";
import { maskPhone, noticeState } from "~/modules/voting/policy";
import type { RELATIONS } from "~/modules/voting/labels";
import { decrypt, encrypt, voterHash } from "~/modules/people/pii.server";
import type { SessionUser } from "~/auth/roles";
import { accessTo, type Access } from "~/lib/access";
import { canReview } from "~/modules/nominations/policy";
import { canRevealPersonalData } from "~/modules/people/policy";
import { maskName, type IdNumberFacts } from "~/modules/people/id-number";
import { ONLINE_SOURCE } from "~/modules/nominations/labels";
import { codeMatches, limitReached, lockVoter, requestCode, spendCode, verifyCode, type Origin } from "~/modules/voting/voting.server";
import { refuse, type Result } from "~/lib/result";

/**
 * 社会公示 on the platform: the proposed names in public for the notice period, and a real-name
 * objection form whose filings go into the review's own objection handling. The objector proves
 * their number with a code and gets a lookup code for the outcome.
 */

/** What the public notice page shows: the period, the union's contact, and the proposed names. */
export async function noticeBoard(db: DB, campaignId: number, now = new Date()) {
  const campaign = await db
    .selectFrom("campaign")
    .select(["id", "number", "title", "status", "notice_start", "notice_end"])
    .where("id", "=", campaignId)
    .executeTakeFirst();
  if (!campaign) return null;
  const state = noticeState(campaign, todayInTaizhou(now));
  // Before the notice there is nothing to show; after it, only that it is over.
  const names =
    state === "open"
      ? await db
          .selectFrom("nomination")
          .innerJoin("person", "person.id", "nomination.person_id")
          .select(["nomination.id", "nomination.seq", "person.name", "person.employer", "person.industry", "nomination.deeds_summary"])
          .where("nomination.campaign_id", "=", campaignId)
          .where("nomination.candidate", "=", true)
          .where("nomination.withdrawn_reason", "is", null)
          .orderBy("nomination.seq")
          .limit(300)
          .execute()
      : [];
  return {
    campaign,
    state,
    contact: env().unionContact,
    names: names.map((n) => ({ ...n, deeds_summary: n.deeds_summary.slice(0, 200) })),
  };
}

export interface ObjectionFiling {
  name: string;
  idNumber: IdNumberFacts;
  phone: string;
  code: string;
  relation: (typeof RELATIONS)[number];
  nominationId: number;
  content: string;
}

const LOOKUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/** The code an objector looks up the outcome with (the campaign notice's and the subsidy 公示's alike). */
export const lookupCode = () => "YY" + Array.from(crypto.randomBytes(8), (b) => LOOKUP_ALPHABET[b % LOOKUP_ALPHABET.length]).join("");

/**
 * How often one number and one address may file objections. Each pending objection stands between
 * the campaign (or a subsidy's payment) and its end until the city has looked into it, so filing is
 * rationed like the codes: a handful per number over the notice, a few dozen per network a day.
 */
export const FILING_LIMITS = {
  // One person, whatever number they use.
  identity: [{ withinMs: 31 * 86_400_000, max: 10, message: "您本次公示期内提出异议的次数已达上限，如有补充请联系市总工会" }],
  phone: [
    { withinMs: 86_400_000, max: 3, message: "该号码今天提出异议的次数已达上限，如有补充请联系市总工会" },
    { withinMs: 31 * 86_400_000, max: 10, message: "该号码本次公示期内提出异议的次数已达上限，如有补充请联系市总工会" },
  ],
  address: [
    { withinMs: 3_600_000, max: 10, message: "您所在网络一小时内提出的异议过多，请稍后再试" },
    { withinMs: 86_400_000, max: 30, message: "您所在网络今天提出的异议过多，请改日再试或联系市总工会" },
  ],
} as const;

/** The attachments one objection takes: the photo thread converts no more of a filing's files than this. */
export const OBJECTION_MAX_FILES = 3;

/** Where verified objections are kept: the campaign notice's filings and the subsidy 公示's objections. */
type FilingTable = "objection_filing" | "subsidy_objection";

/**
 * Before a code is sent for an objection: not sent (no SMS spent, no code to wait for) to a number
 * or from a network that has already filed all it may — the filing would be refused after it.
 */
export function filingLimitBeforeCode(db: DB, table: FilingTable, phoneHash: string, address: string | null, now: Date) {
  return limitReached(db, table, "filed_at", now, [
    { limits: FILING_LIMITS.phone, rows: sql<SqlBool>`phone_hash = ${phoneHash}`, field: "phone" },
    { limits: FILING_LIMITS.address, rows: address ? sql<SqlBool>`address = ${address}` : null },
  ]);
}

/**
 * Inside the filing's transaction, after the code's check has locked the number: the network and
 * the person locked too, so parallel posts cannot all pass the same count, then every limit.
 */
export async function filingLimit(tx: Tx, table: FilingTable, who: { phoneHash: string; identityHash: string; address: string | null }, now: Date) {
  if (who.address) await lockVoter(tx, `objection-address:${who.address}`);
  await lockVoter(tx, who.identityHash);
  return limitReached(tx, table, "filed_at", now, [
    { limits: FILING_LIMITS.phone, rows: sql<SqlBool>`phone_hash = ${who.phoneHash}`, field: "phone" },
    { limits: FILING_LIMITS.identity, rows: sql<SqlBool>`id_number_hash = ${who.identityHash}`, field: "idNumber" },
    { limits: FILING_LIMITS.address, rows: who.address ? sql<SqlBool>`address = ${who.address}` : null },
  ]);
}

/**
 * An objection's attachments, checked by content. Phone photos are converted (seconds of the photo
 * thread's time) only for a filing whose code is live: anyone may post the form, and a made-up code
 * must cost nothing — its filing is refused in the transaction, files unread.
 */
export async function objectionFiles(codeLive: boolean, attachments: () => Promise<Array<{ name: string; bytes: Uint8Array }>>) {
  const files = codeLive ? await attachments() : [];
  if (files.length > OBJECTION_MAX_FILES) return refuse(`最多上传 ${OBJECTION_MAX_FILES} 个附件`, { field: "files" });
  const checked = checkEvidenceFiles(files);
  return checked.ok ? checked : refuse(checked.message, { field: "files" });
}

/** What an objection keeps of who filed it: encrypted for the city's audited reveal, the number masked for its list. */
export const objectorColumns = (input: Pick<ObjectionFiling, "name" | "idNumber" | "phone">) => ({
  name_cipher: encrypt(input.name),
  id_number_cipher: encrypt(input.idNumber.idNumber),
  phone_cipher: encrypt(input.phone),
  phone_masked: maskPhone(input.phone),
});

/** What requestCode is asked with, less the purpose: here it is always "objection". */
type ObjectionCodeRequest = Parameters<typeof requestCode> extends [...infer Request, CodePurpose?] ? Request : never;

/**
 * A code for filing an objection: not sent to a number or from a network that has already filed
 * all it may.
 */
export async function requestObjectionCode(...request: ObjectionCodeRequest): ReturnType<typeof requestCode> {
  const [db, gateway, campaignId, input, origin, now = new Date()] = request;
  const limited = await filingLimitBeforeCode(db, "objection_filing", voterHash(campaignId, input.phone), origin.address, now);
  if (limited) return limited;
  return requestCode(db, gateway, campaignId, input, origin, now, "objection");
}

/**
 * Files a real-name objection, its attachments checked by content, in one transaction with the code
 * it spends. The objector's name, ID number and phone are kept encrypted (the city reveals them,
 * audited); the objection itself says only that it came in online and how the objector knows the
 * nominee, so the nominee's county, which looks into it, does not learn who filed it.
 */
export async function fileObjection(
  db: DB,
  campaignId: number,
  input: ObjectionFiling,
  attachments: () => Promise<Array<{ name: string; bytes: Uint8Array }>>,
  origin: Pick<Origin, "address">,
  now = new Date(),
): Promise<Result<{ lookup: string }>> {
  const campaign = await db.selectFrom("campaign").select(["status", "notice_start", "notice_end"]).where("id", "=", campaignId).executeTakeFirst();
  if (!campaign) return { ok: false, status: 404, message: "没有这次公示" };
  if (noticeState(campaign, todayInTaizhou(now)) !== "open") return { ok: false, status: 409, message: "公示期已结束或尚未开始，不能再提出异议" };
  // With a wrong code the transaction below counts the attempt and refuses it, files unread.
  const checked = await objectionFiles(await codeMatches(db, campaignId, "objection", input, now), attachments);
  if (!checked.ok) return checked;
  return db.transaction().execute(async (tx): Promise<Result<{ lookup: string }>> => {
    const nominee = await tx
      .selectFrom("nomination")
      .select("id")
      .where("id", "=", input.nominationId)
      .where("campaign_id", "=", campaignId)
      .where("candidate", "=", true)
      .where("withdrawn_reason", "is", null)
      .executeTakeFirst();
    if (!nominee) return { ok: false, status: 400, message: "请从公示名单中选择异议对象", field: "nominationId" };
    const code = await verifyCode(tx, campaignId, "objection", input, origin.address, now);
    if (!code.ok) return code;
    const phoneHash = voterHash(campaignId, input.phone);
    const address = origin.address;
    const identityHash = voterHash(campaignId, `id:${input.idNumber.idNumber}`);
    const limited = await filingLimit(tx, "objection_filing", { phoneHash, identityHash, address }, now);
    if (limited) return limited;
    const objection = await tx
      .insertInto("objection")
      .values({
        nomination_id: nominee.id,
        received_on: todayInTaizhou(now),
        source: `${ONLINE_SOURCE}（${input.relation}）`,
        content: input.content,
        recorded_by: "public",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const lookup = lookupCode();
    await tx
      .insertInto("objection_filing")
      .values({
        objection_id: objection.id,
        lookup_code: lookup,
        objector_name: maskName(input.name),
        ...objectorColumns(input),
        id_number_hash: identityHash,
        relation: input.relation,
        phone_hash: phoneHash,
        address,
        filed_at: now,
      })
      .execute();
    if (checked.files.length) {
      await tx
        .insertInto("objection_attachment")
        .values(checked.files.map((f) => ({ objection_id: objection.id, ...storedFileColumns(f, "public") })))
        .execute();
    }
    await recordAudit(tx, NOMINATION_AUDIT, {
      actor: null,
      id: nominee.id,
      action: "objection_received",
      after: { objectionId: objection.id, receivedOn: todayInTaizhou(now), source: ONLINE_SOURCE, attachments: checked.files.length },
      comment: input.content,
    });
    await spendCode(tx, code.id, now);
    return { ok: true, lookup };
  });
}

/** The objector looks up what became of their objection; the code shows nothing of anyone else's. */
export async function objectionOutcome(db: DB, campaignId: number, lookup: string) {
  const row = await db
    .selectFrom("objection_filing as f")
    .innerJoin("objection", "objection.id", "f.objection_id")
    .innerJoin("nomination", "nomination.id", "objection.nomination_id")
    .innerJoin("person", "person.id", "nomination.person_id")
    .select(["person.name", "f.filed_at", "objection.outcome", "objection.handling"])
    .where("f.lookup_code", "=", lookup)
    .where("nomination.campaign_id", "=", campaignId)
    .executeTakeFirst();
  return row ? { nominee: row.name, filedAt: row.filed_at, outcome: OUTCOME_LABELS[row.outcome], handling: row.handling } : null;
}

/**
 * What the public can take part in right now, for the landing page: a vote open for ballots and a
 * 社会公示 open for objections, each with its page and when it ends.
 */
export async function publicHappenings(db: DB, now = new Date()) {
  const today = todayInTaizhou(now);
  const [votes, notices] = await Promise.all([
    db
      .selectFrom("campaign")
      .innerJoin("vote_rule", "vote_rule.campaign_id", "campaign.id")
      .select(["campaign.id", "campaign.title", "vote_rule.closes_at"])
      .where("campaign.status", "=", "online_vote")
      .where("vote_rule.opens_at", "<=", now)
      .where("vote_rule.closes_at", ">", now)
      .orderBy("campaign.number")
      .execute(),
    db
      .selectFrom("campaign")
      .select(["id", "title", "notice_end"])
      .where("status", "=", "public_notice")
      .where("notice_start", "<=", today)
      .where("notice_end", ">=", today)
      .orderBy("number")
      .execute(),
  ]);
  return [
    ...votes.map((v) => ({ key: `vote-${v.id}`, link: `/vote/${v.id}`, label: `${v.title} · 网络投票进行中`, until: formatDateTime(v.closes_at) })),
    ...notices.map((n) => ({ key: `notice-${n.id}`, link: `/notice/${n.id}`, label: `${n.title} · 社会公示中，欢迎监督`, until: n.notice_end! })),
  ];
}

/**
 * The online filings of a nomination's objections as the city's page lists them before a reveal:
 * the objector's name and number masked, and the attachments to open. The city's only.
 */
export async function filingsOf(db: DB, actor: SessionUser, nominationId: number) {
  if (!canReview(actor)) return [];
  const [filings, attachments] = await Promise.all([
    db
      .selectFrom("objection_filing as f")
      .innerJoin("objection", "objection.id", "f.objection_id")
      .select(["f.objection_id", "f.objector_name", "f.phone_masked"])
      .where("objection.nomination_id", "=", nominationId)
      .orderBy("f.objection_id")
      .execute(),
    db
      .selectFrom("objection_attachment as a")
      .innerJoin("objection", "objection.id", "a.objection_id")
      .select(["a.id", "a.objection_id", "a.filename", "a.size"])
      .where("objection.nomination_id", "=", nominationId)
      .orderBy("a.id")
      .execute(),
  ]);
  return filings.map((f) => ({
    objectionId: f.objection_id,
    name: f.objector_name,
    phone: f.phone_masked,
    attachments: attachments.filter((a) => a.objection_id === f.objection_id).map((a) => ({ id: a.id, filename: a.filename, size: a.size })),
  }));
}

type ObjectorReveal = Result<{ name: string; idNumber: string | null; phone: string | null }>;

/**
 * The city reads who filed an online objection — name, ID number, phone — to reach them, with a
 * reason, recorded in the nomination's history like any reveal of personal data.
 */
export async function revealObjector(db: DB, actor: SessionUser, nominationId: number, objectionId: number, reason: string): Promise<ObjectorReveal> {
  if (!canRevealPersonalData(actor)) return refuse("无权查看", { status: 403 });
  return db.transaction().execute(async (tx): Promise<ObjectorReveal> => {
    const filing = await tx
      .selectFrom("objection_filing as f")
      .innerJoin("objection", "objection.id", "f.objection_id")
      .select(["f.objector_name", "f.name_cipher", "f.id_number_cipher", "f.phone_cipher", "f.identity_erased_at"])
      .where("f.objection_id", "=", objectionId)
      .where("objection.nomination_id", "=", nominationId)
      .executeTakeFirst();
    if (!filing) return refuse("异议记录不存在", { status: 404 });
    // The retention schedule erased who it was; the mask left is no identity to reveal.
    if (filing.identity_erased_at) return refuse("异议人的身份信息已按保存期限删除，异议内容和处理结论仍保留", { status: 409 });
    await recordAudit(tx, NOMINATION_AUDIT, { actor, id: nominationId, action: "reveal_objector", after: { objectionId }, comment: reason });
    return {
      ok: true,
      // Filings from before the name was encrypted kept it in the clear.
      name: filing.name_cipher ? decrypt(filing.name_cipher) : filing.objector_name,
      idNumber: filing.id_number_cipher ? decrypt(filing.id_number_cipher) : null,
      phone: filing.phone_cipher ? decrypt(filing.phone_cipher) : null,
    };
  });
}

/** An objection's attachment, for the city that looks into it (it may well say who the objector is). */
export async function objectionAttachmentForViewer(
  db: DB,
  actor: SessionUser,
  id: number,
): Promise<Access<{ filename: string; content_type: string; data: Uint8Array }>> {
  const file = await db.selectFrom("objection_attachment").select(["filename", "content_type", "data"]).where("id", "=", id).executeTakeFirst();
  return accessTo(file, () => canReview(actor));
}
