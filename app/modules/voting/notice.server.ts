import crypto from "node:crypto";
import type { DB } from "~db";
import { env } from "~db/env";
import { recordAudit } from "~/lib/audit.server";
import { checkEvidenceFiles } from "~/lib/files";
import { formatDateTime } from "~/lib/format";
import { todayInTaizhou } from "~/lib/time";
import { storedFileColumns } from "~/lib/upload.server";
import { NOMINATION_AUDIT, OUTCOME_LABELS } from "~/modules/nominations/labels";
import { maskPhone, noticeState } from "~/modules/voting/policy";
import type { RELATIONS } from "~/modules/voting/labels";
import { voterHash } from "~/modules/people/pii.server";
import { spendCode, verifyCode, type Origin, type Refused } from "~/modules/voting/voting.server";

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
  phone: string;
  code: string;
  relation: (typeof RELATIONS)[number];
  nominationId: number;
  content: string;
}

const LOOKUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const lookupCode = () => "YY" + Array.from(crypto.randomBytes(8), (b) => LOOKUP_ALPHABET[b % LOOKUP_ALPHABET.length]).join("");

/** Files a real-name objection, its attachments checked by content, in one transaction with the code it spends. */
export async function fileObjection(
  db: DB,
  campaignId: number,
  input: ObjectionFiling,
  files: Array<{ name: string; bytes: Uint8Array }>,
  origin: Pick<Origin, "address">,
  now = new Date(),
): Promise<{ ok: true; lookup: string } | Refused> {
  const campaign = await db.selectFrom("campaign").select(["status", "notice_start", "notice_end"]).where("id", "=", campaignId).executeTakeFirst();
  if (!campaign) return { ok: false, status: 404, message: "没有这次公示" };
  if (noticeState(campaign, todayInTaizhou(now)) !== "open") return { ok: false, status: 409, message: "公示期已结束或尚未开始，不能再提出异议" };
  if (files.length > 3) return { ok: false, status: 400, message: "最多上传 3 个附件", field: "files" };
  const checked = checkEvidenceFiles(files);
  if (!checked.ok) return { ok: false, status: 400, message: checked.message, field: "files" };
  return db.transaction().execute(async (tx): Promise<{ ok: true; lookup: string } | Refused> => {
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
    const objection = await tx
      .insertInto("objection")
      .values({
        nomination_id: nominee.id,
        received_on: todayInTaizhou(now),
        source: `网上实名异议（${input.name}，${input.relation}）`,
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
        objector_name: input.name,
        relation: input.relation,
        phone_hash: voterHash(campaignId, input.phone),
        phone_masked: maskPhone(input.phone),
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
      after: { objectionId: objection.id, receivedOn: todayInTaizhou(now), source: "网上实名异议", attachments: checked.files.length },
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
