import type { DB, Tx } from "~db";
import type { ChsiKind, ChsiStage } from "~db/types";
import type { SessionUser } from "~/auth/roles";
import { recordAudit } from "~/lib/audit.server";
import { fieldsRefused, refuse, type Result } from "~/lib/result";
import { todayInTaizhou } from "~/lib/time";
import { decrypt } from "~/modules/people/pii.server";
import {
  canCheckChsi,
  canEnterChsi,
  CHSI_KIND_LABELS,
  CHSI_OUTCOME_LABELS,
  CHSI_STAGE_KINDS,
  chsiLapse,
  chsiReportUrl,
  chsiStageOf,
  chsiValidRange,
  checkProblems,
  type ChsiCheckInput,
  validUntilProblem,
} from "~/modules/subsidies/chsi";
import { SUBSIDY_AUDIT } from "~/modules/subsidies/labels";
import { relation } from "~/modules/subsidies/policy";
import type { ApplicationView } from "~/modules/subsidies/subsidies.server";

/** 学信网 verification of an application (rules in chsi.ts): the codes entered, what the officers saw, and the gates they set. */

/** The validity the year's policy asks applicants to choose (Taizhou: 6 months). */
async function askedMonths(db: DB, year: number): Promise<number> {
  const policy = await db.selectFrom("subsidy_policy").select("chsi_valid_months").where("year", "=", year).executeTakeFirst();
  return policy?.chsi_valid_months ?? 6;
}

/** The code that counts for a stage: the one entered last. */
function latestReport(db: DB, applicationId: number, stage: ChsiStage) {
  return db
    .selectFrom("subsidy_chsi_report")
    .selectAll()
    .where("application_id", "=", applicationId)
    .where("stage", "=", stage)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** The application's state, locked: a code entered or checked as a step moves it is judged against the state that stays. */
function lockedApplication(tx: Tx, id: number) {
  return tx.selectFrom("subsidy_application").select(["id", "status", "org_unit_id", "person_id", "year"]).where("id", "=", id).forUpdate().executeTakeFirst();
}

/** Everything the application page shows of the verification, and which of its forms the viewer gets. */
export async function chsiCard(db: DB, user: SessionUser, app: ApplicationView, now = new Date()) {
  const today = todayInTaizhou(now);
  const rows = await db
    .selectFrom("subsidy_chsi_report as r")
    .leftJoin("app_user as checker", "checker.id", "r.checked_by")
    .select([
      "r.id",
      "r.stage",
      "r.kind",
      "r.code",
      "r.valid_until",
      "r.entered_at",
      "r.outcome",
      "r.name_matches",
      "r.id_digits_match",
      "r.school",
      "r.level",
      "r.record_status",
      "r.graduated_on",
      "r.check_note",
      "r.checked_at",
      "checker.display_name as checker_name",
    ])
    .where("r.application_id", "=", app.id)
    .orderBy("r.id", "desc")
    .execute();
  const stage = chsiStageOf(app.status);
  const latest = stage ? (rows.find((r) => r.stage === stage) ?? null) : null;
  const checkable = latest && latest.outcome === null && canCheckChsi(user, app) ? latest : null;
  let idTail: string | null = null;
  if (checkable) {
    const person = await db.selectFrom("person").select("id_number_cipher").where("id", "=", app.person_id).executeTakeFirstOrThrow();
    idTail = decrypt(person.id_number_cipher).slice(-4);
  }
  const lapse = latest ? chsiLapse(latest.valid_until, today) : null;
  // Rows come newest first: each stage's first is the code that counts, the others were replaced.
  const counting = new Set((["enrolment", "graduation"] as const).map((s) => rows.find((r) => r.stage === s)?.id));
  return {
    reports: rows.map((r) => ({ ...r, url: chsiReportUrl(r.code), replaced: !counting.has(r.id) })),
    /** The stage the viewer may enter a code for, with its kinds and the dates the 学信网 offers. */
    entry:
      stage && canEnterChsi(user, app, latest, today)
        ? { stage, kinds: CHSI_STAGE_KINDS[stage], ...chsiValidRange(today), askedMonths: await askedMonths(db, app.year) }
        : null,
    /** The report the viewer may record what they saw of, and the applicant's facts to compare with it. */
    check: checkable
      ? { reportId: checkable.id, stage: checkable.stage, name: app.name, idTail, institution: app.institution, degree: app.target_degree }
      : null,
    lapse: latest && lapse ? { lapse, validUntil: latest.valid_until, owner: relation(user, app) === "owner" } : null,
    today,
  };
}

/**
 * The applicant enters the code of their report. Entered while someone reviews, the code waits for that
 * reviewer's check (who is told); entered while the application is the applicant's, it waits for submission.
 */
export async function enterChsiReport(
  db: DB,
  actor: SessionUser,
  app: ApplicationView,
  input: { code: string; kind: ChsiKind; validUntil: string },
  now = new Date(),
): Promise<Result> {
  const today = todayInTaizhou(now);
  return db.transaction().execute(async (tx): Promise<Result> => {
    const current = await lockedApplication(tx, app.id);
    if (!current) return refuse("申请不存在", { status: 404 });
    const stage = chsiStageOf(current.status);
    const latest = stage ? await latestReport(tx, app.id, stage) : undefined;
    if (!stage || !canEnterChsi(actor, current, latest ?? null, today)) {
      return refuse(relation(actor, current) === "owner" ? "当前状态下不能填写学信网验证码" : "学信网验证码由申请人本人填写", { status: 403 });
    }
    if (!(CHSI_STAGE_KINDS[stage] as readonly ChsiKind[]).includes(input.kind)) {
      return fieldsRefused({
        kind: [stage === "enrolment" ? "入学时请填写学籍在线验证报告的验证码" : "毕业后请填写学历在线验证报告或学历证书电子注册备案表的验证码"],
      });
    }
    const problem = validUntilProblem(input.validUntil, today, await askedMonths(tx, current.year));
    if (problem) return fieldsRefused({ validUntil: [problem] });
    // One person's report is no one else's: the same code on another applicant's application is a copied report.
    const elsewhere = await tx
      .selectFrom("subsidy_chsi_report as r")
      .innerJoin("subsidy_application as a", "a.id", "r.application_id")
      .select("r.id")
      .where("r.code", "=", input.code)
      .where("a.person_id", "!=", current.person_id)
      .executeTakeFirst();
    if (elsewhere) return fieldsRefused({ code: ["该验证码已在他人的补助申请中使用，请核对是否为本人的报告"] });
    await tx
      .insertInto("subsidy_chsi_report")
      .values({ application_id: app.id, stage, kind: input.kind, code: input.code, valid_until: input.validUntil, entered_by: actor.id })
      .execute();
    await recordAudit(tx, SUBSIDY_AUDIT, {
      actor,
      id: app.id,
      unit: current.org_unit_id,
      action:
        current.status === "submitted"
          ? "chsi_report_county"
          : current.status === "county_approved" || current.status === "disbursed"
            ? "chsi_report_city"
            : "chsi_report",
      after: { stage, reportKind: input.kind, code: input.code, validUntil: input.validUntil },
      comment: `${CHSI_KIND_LABELS[input.kind]}，验证码 ${input.code}，有效期至 ${input.validUntil}`,
    });
    return { ok: true };
  });
}

/**
 * The reviewing officer records what the official page showed for the latest code: 一致 (with what it
 * said) lets the review go on; 不一致 (with the reason) is what they return or reject the application for.
 */
export async function recordChsiCheck(
  db: DB,
  actor: SessionUser,
  app: ApplicationView,
  input: ChsiCheckInput & { reportId: number },
  now = new Date(),
): Promise<Result> {
  const today = todayInTaizhou(now);
  return db.transaction().execute(async (tx): Promise<Result> => {
    const current = await lockedApplication(tx, app.id);
    if (!current) return refuse("申请不存在", { status: 404 });
    const stage = chsiStageOf(current.status);
    if (!stage || !canCheckChsi(actor, current)) return refuse("只有正在审核的县级总工会或市总工会可以记录核验结果", { status: 403 });
    const report = await latestReport(tx, app.id, stage);
    if (!report || report.id !== input.reportId) return refuse("申请人已更换验证码，请刷新页面后核验最新的验证码", { status: 409 });
    if (report.outcome !== null) return refuse("该验证码的核验结果已记录", { status: 409 });
    const problems = checkProblems(stage, input);
    if (problems) return fieldsRefused(problems);
    if (input.outcome === "matches" && chsiLapse(report.valid_until, today) === "lapsed") {
      return refuse(`该验证码已于 ${report.valid_until} 过期，学信网上已无法查看；请记录为不一致，或等申请人重新填写`, { field: "outcome" });
    }
    const matches = input.outcome === "matches";
    const record = {
      outcome: input.outcome,
      name_matches: input.nameMatches,
      id_digits_match: input.idDigitsMatch,
      school: input.school,
      level: input.level,
      record_status: stage === "enrolment" ? input.recordStatus : null,
      graduated_on: stage === "graduation" ? input.graduatedOn : null,
      check_note: input.note,
    };
    await tx
      .updateTable("subsidy_chsi_report")
      .set({ ...record, checked_by: actor.id, checked_at: new Date() })
      .where("id", "=", report.id)
      .execute();
    const saw = [record.school, record.level, record.record_status, record.graduated_on && `${record.graduated_on}毕业`].filter(Boolean).join("，");
    await recordAudit(tx, SUBSIDY_AUDIT, {
      actor,
      id: app.id,
      unit: current.org_unit_id,
      action: "chsi_check",
      after: { code: report.code, outcome: input.outcome, nameMatches: input.nameMatches, idDigitsMatch: input.idDigitsMatch, seen: saw || null },
      comment: `验证码 ${report.code}：${CHSI_OUTCOME_LABELS[input.outcome]}${matches ? `（${saw}）` : ""}${input.note ? `，${input.note}` : ""}`,
    });
    return { ok: true };
  });
}

/** What the verification lacks before the application can be submitted. */
export async function chsiSubmitProblems(tx: Tx, applicationId: number, today: string): Promise<string[]> {
  const latest = await latestReport(tx, applicationId, "enrolment");
  if (!latest) return ["请填写学信网学籍在线验证报告的在线验证码"];
  return chsiLapse(latest.valid_until, today) === "lapsed" ? ["学信网验证码已过期，请重新生成并填写"] : [];
}

/**
 * Why a stage's review cannot pass yet, or null: its latest code must have been checked and found to
 * match (the name and the ID's last digits). Approval and closing ask this.
 */
export async function chsiApprovalProblem(tx: Tx, applicationId: number, stage: ChsiStage): Promise<string | null> {
  const latest = await latestReport(tx, applicationId, stage);
  if (!latest) return stage === "enrolment" ? "申请人尚未填写学信网学籍验证码" : "申请人尚未填写毕业的学信网验证码（学历在线验证报告或备案表）";
  if (latest.outcome === null) return "请先在学信网核验申请人填写的验证码，并记录核验结果";
  if (latest.outcome !== "matches" || !latest.name_matches || !latest.id_digits_match) {
    return "学信网核验结果为不一致，不能通过；请退回修改或不予通过，并说明理由";
  }
  return null;
}
