import ExcelJS from "exceljs";
import type { StoredFile } from "~/lib/file-response.server";
import { offThread } from "~/lib/off-thread.server";
import type { Expression, ExpressionBuilder, SqlBool } from "kysely";
import type { DB } from "~db";
import type { AttachmentKind, Database, PaymentStage, SubsidyStatus } from "~db/types";
import { isCityAdmin, isCraftsman, type SessionUser } from "~/auth/roles";
import { checkEvidenceFiles } from "~/lib/files";
import { formatFen, parseYuan } from "~/lib/money";
import { paginate } from "~/lib/sql";
import { recordAudit } from "~/lib/audit.server";
import { accessTo, type Access } from "~/lib/access";
import { isUniqueViolation } from "~/modules/people/people.server";
import {
  canEditApplication,
  canUploadGraduation,
  canViewApplication,
  degreeAboveRecorded,
  holdbackFen,
  maxSubsidyFen,
  SUBSIDY_STATUS_LABELS,
  SUBSIDY_STEPS,
  type SubsidyStep,
  subsidyWorkflow,
} from "~/modules/subsidies/policy";
import { type ApplicationInput } from "~/modules/subsidies/schema.server";
import { ownRowsOf } from "~/auth/scope.server";
import { storedFileColumns } from "~/lib/upload.server";
import { isRecordDate, todayInTaizhou } from "~/lib/time";
import { fieldsRefused, refuse, type Refusal, type Result, type SaveResult } from "~/lib/result";
import { SUBSIDY_AUDIT, SUBSIDY_POLICY_AUDIT, STUDY_MODE_LABELS } from "~/modules/subsidies/labels";
import { type Tx } from "~db";
import { paymentBlockers } from "~/modules/subsidies/payment-gate.server";
import { fillPlaces, placeOnSubmit, placeRank, placesLimitProblem, releasePlace, waitingRefusal } from "~/modules/subsidies/places.server";
import { combinedCapRefusal, declarationAtSubmit } from "~/modules/subsidies/other-schemes.server";
import { chsiApprovalProblem, chsiSubmitProblems } from "~/modules/subsidies/chsi.server";
import { objectionUpheld } from "~/modules/subsidies/notice.server";

/** Statuses whose approved amount is spent from the year's budget. */
const COMMITTED: SubsidyStatus[] = ["approved", "disbursed", "closed"];

export async function findPolicy(db: DB, year: number) {
  const policy = await db.selectFrom("subsidy_policy").selectAll().where("year", "=", year).executeTakeFirst();
  if (!policy) return null;
  const caps = await db.selectFrom("subsidy_cap").select(["degree", "cap_fen"]).where("year", "=", year).execute();
  return { ...policy, caps: Object.fromEntries(caps.map((c) => [c.degree, Number(c.cap_fen)])) as Record<string, number> };
}

export async function savePolicy(
  db: DB,
  actor: SessionUser,
  year: number,
  input: {
    budget: number;
    sharePercent: number;
    holdbackPercent: number;
    yearsAfterAward: number;
    open: boolean;
    /** null: no limit; left out, the year keeps its limit. */
    places?: number | null;
    caps: Record<string, number>;
    /** All schemes together pay at most this share of the tuition; left out, the year keeps its own. */
    combinedCapPercent?: number;
    /** The 公示's days; left out, the year keeps what it has (7 for a new one). */
    noticeDays?: number;
  },
): Promise<Result> {
  if (!isCityAdmin(actor)) return refuse("只有市总工会可以设定补助政策", { status: 403 });
  return db.transaction().execute(async (tx) => {
    const before = await tx.selectFrom("subsidy_policy").selectAll().where("year", "=", year).forUpdate().executeTakeFirst();
    const committed = await committedFen(tx, year);
    if (input.budget < committed) {
      return refuse(`年度预算不能低于已批准的金额（${(committed / 100).toFixed(2)} 元）`);
    }
    const places = input.places === undefined ? (before?.places ?? null) : input.places;
    const placesRefused = await placesLimitProblem(tx, year, places);
    if (placesRefused) return placesRefused;
    const row = {
      budget_fen: input.budget,
      share_percent: input.sharePercent,
      holdback_percent: input.holdbackPercent,
      years_after_award: input.yearsAfterAward,
      open: input.open,
      places,
      ...(input.combinedCapPercent === undefined ? {} : { combined_cap_percent: input.combinedCapPercent }),
      ...(input.noticeDays === undefined ? {} : { notice_days: input.noticeDays }),
      updated_at: new Date(),
    };
    if (before) await tx.updateTable("subsidy_policy").set(row).where("year", "=", year).execute();
    else
      await tx
        .insertInto("subsidy_policy")
        .values({ year, ...row })
        .execute();
    await tx.deleteFrom("subsidy_cap").where("year", "=", year).execute();
    const caps = Object.entries(input.caps).filter(([, fen]) => fen > 0);
    if (caps.length)
      await tx
        .insertInto("subsidy_cap")
        .values(caps.map(([degree, cap_fen]) => ({ year, degree, cap_fen })))
        .execute();
    await recordAudit(tx, SUBSIDY_POLICY_AUDIT, {
      actor,
      id: year,
      action: before ? "update" : "create",
      before: before
        ? {
            budgetFen: Number(before.budget_fen),
            sharePercent: before.share_percent,
            holdbackPercent: before.holdback_percent,
            places: before.places,
            combinedCapPercent: before.combined_cap_percent,
            noticeDays: before.notice_days,
          }
        : null,
      after: {
        budgetFen: input.budget,
        sharePercent: input.sharePercent,
        holdbackPercent: input.holdbackPercent,
        places,
        combinedCapPercent: input.combinedCapPercent ?? before?.combined_cap_percent ?? 100,
        caps: input.caps,
        noticeDays: input.noticeDays,
      },
    });
    await fillPlaces(tx, year, places, "名额增加，按提交时间递补");
    return { ok: true as const };
  });
}

async function committedFen(db: DB, year: number): Promise<number> {
  const row = await db
    .selectFrom("subsidy_application")
    .where("year", "=", year)
    .where("status", "in", COMMITTED)
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("approved_fen"), eb.lit(0)).as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The year's budget and what is committed and paid of it, and whether applications are open: one statement. */
export async function budgetStatus(db: DB, year: number) {
  const policy = (column: "budget_fen" | "open") => db.selectFrom("subsidy_policy").select(column).where("year", "=", year);
  const sums = await db
    .selectFrom("subsidy_application")
    .where("year", "=", year)
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>("approved_fen").filterWhere("status", "in", COMMITTED), eb.lit(0)).as("committed"),
      eb.fn.coalesce(eb.fn.sum<number>("paid_fen"), eb.lit(0)).as("paid"),
      policy("budget_fen").as("budget"),
      policy("open").as("open"),
    ])
    .executeTakeFirstOrThrow();
  const budget = Number(sums.budget ?? 0);
  return { budget, committed: Number(sums.committed), paid: Number(sums.paid), remaining: budget - Number(sums.committed), open: !!sums.open };
}

/** The list-query form of policy.canViewApplication. */
export function applicationVisibleTo(user: SessionUser) {
  return ownRowsOf<"subsidy_application">(user, { unit: "subsidy_application.org_unit_id", person: "subsidy_application.person_id" });
}

function applicationQuery(db: DB) {
  return db
    .selectFrom("subsidy_application")
    .innerJoin("person", "person.id", "subsidy_application.person_id")
    .innerJoin("org_unit", "org_unit.id", "subsidy_application.org_unit_id")
    .selectAll("subsidy_application")
    .select(["person.name", "person.employer", "org_unit.short_name as unit_name"])
    .select(placeRank);
}

export async function findApplication(db: DB, id: number) {
  return applicationQuery(db).where("subsidy_application.id", "=", id).executeTakeFirst();
}

export type ApplicationView = NonNullable<Awaited<ReturnType<typeof findApplication>>>;

export async function applicationForViewer(db: DB, user: SessionUser, id: number): Promise<Access<ApplicationView>> {
  return accessTo(await findApplication(db, id), (app) => canViewApplication(user, app));
}

export interface ApplicationFilter {
  year?: number;
  status?: SubsidyStatus;
  unitId?: number;
  degree?: string;
  queue?: "mine" | "review" | "approve";
  page?: number;
}

export async function listApplications(db: DB, user: SessionUser, filter: ApplicationFilter) {
  const matching = (eb: ExpressionBuilder<Database, "subsidy_application">) => {
    const conditions: Expression<SqlBool>[] = [applicationVisibleTo(user)(eb)];
    if (filter.year) conditions.push(eb("subsidy_application.year", "=", filter.year));
    if (filter.status) conditions.push(eb("subsidy_application.status", "=", filter.status));
    if (filter.unitId) conditions.push(eb("subsidy_application.org_unit_id", "=", filter.unitId));
    if (filter.degree) conditions.push(eb("subsidy_application.target_degree", "=", filter.degree));
    if (filter.queue === "review") conditions.push(eb("subsidy_application.status", "=", "submitted"));
    if (filter.queue === "approve") conditions.push(eb("subsidy_application.status", "=", "county_approved"));
    return eb.and(conditions);
  };
  return paginate(
    applicationQuery(db).where(matching).orderBy("subsidy_application.id", "desc"),
    db.selectFrom("subsidy_application").where(matching),
    filter.page,
  );
}

/** The named craftsman's award that makes them eligible, if any. */
export async function awardOf(db: DB, personId: number) {
  return db.selectFrom("award").select(["named_on", "title"]).where("person_id", "=", personId).orderBy("named_on", "desc").executeTakeFirst();
}

function applicationColumns(input: ApplicationInput) {
  return {
    current_education: input.currentEducation,
    target_degree: input.targetDegree,
    institution: input.institution,
    programme: input.programme,
    study_mode: input.studyMode,
    enrolled_on: input.enrolledOn,
    expected_graduation: input.expectedGraduation,
    tuition_fen: input.tuition,
    requested_fen: input.requested,
  };
}

const SAME_LEVEL = "您已申请或获得过该学历层次的补助，每个学历层次只能补助一次";

/** Checks the amount against the year's policy as the form is saved, so the applicant learns the limit early. */
/** What the records say against the application: a degree not above the education on file, amounts beyond the policy. */
async function amountProblem(db: DB, year: number, input: ApplicationInput, personId: number): Promise<Record<string, string[]> | null> {
  const person = await db.selectFrom("person").select("education").where("id", "=", personId).executeTakeFirstOrThrow();
  if (!degreeAboveRecorded(person.education, input.targetDegree)) {
    return { targetDegree: [`人员档案记载的学历为“${person.education}”，补助只用于报读更高层次的学历`] };
  }
  const policy = await findPolicy(db, year);
  if (!policy) return { targetDegree: [`${year}年的学历提升补助政策尚未发布`] };
  const cap = policy.caps[input.targetDegree];
  if (!cap) return { targetDegree: [`${year}年的政策不补助“${input.targetDegree}”`] };
  const max = maxSubsidyFen(input.tuition, policy.share_percent, cap);
  if (input.requested > max)
    return { requested: [`按政策最多可申请 ${(max / 100).toFixed(2)} 元（学费的 ${policy.share_percent}%，上限 ${(cap / 100).toFixed(2)} 元）`] };
  return null;
}

export async function createApplication(db: DB, actor: SessionUser, year: number, input: ApplicationInput): Promise<SaveResult | Refusal> {
  if (!isCraftsman(actor)) return refuse("学历提升补助由获评的工匠本人申请", { status: 403 });
  const person = await db.selectFrom("person").select("org_unit_id").where("id", "=", actor.personId).executeTakeFirstOrThrow();
  if (!(await awardOf(db, actor.personId))) return refuse("只有获评“台州工匠”的职工可以申请", { status: 403 });
  const problem = await amountProblem(db, year, input, actor.personId);
  if (problem) return fieldsRefused(problem);
  try {
    return await db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto("subsidy_application")
        .values({ ...applicationColumns(input), year, person_id: actor.personId, org_unit_id: person.org_unit_id, created_by: actor.id })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordAudit(tx, SUBSIDY_AUDIT, { actor, id: row.id, unit: person.org_unit_id, action: "create", after: { year, ...input } });
      return { ok: true as const, id: row.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return fieldsRefused({ targetDegree: [SAME_LEVEL] });
    throw error;
  }
}

export async function updateApplication(db: DB, actor: SessionUser, id: number, input: ApplicationInput): Promise<SaveResult | Refusal> {
  const app = await db.selectFrom("subsidy_application").selectAll().where("id", "=", id).executeTakeFirst();
  if (!app) return refuse("申请不存在", { status: 404 });
  if (!canEditApplication(actor, app)) return refuse("当前状态下不能修改", { status: 403 });
  const problem = await amountProblem(db, app.year, input, app.person_id);
  if (problem) return fieldsRefused(problem);
  try {
    await db.transaction().execute(async (tx) => {
      await tx
        .updateTable("subsidy_application")
        .set({ ...applicationColumns(input), updated_at: new Date() })
        .where("id", "=", id)
        .execute();
      await recordAudit(tx, SUBSIDY_AUDIT, {
        actor,
        id,
        unit: app.org_unit_id,
        action: "update",
        before: { tuitionFen: Number(app.tuition_fen), requestedFen: Number(app.requested_fen), targetDegree: app.target_degree },
        after: { tuitionFen: input.tuition, requestedFen: input.requested, targetDegree: input.targetDegree },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) return fieldsRefused({ targetDegree: [SAME_LEVEL] });
    throw error;
  }
  return { ok: true, id };
}

export async function attachmentsOf(db: DB, applicationId: number) {
  return db
    .selectFrom("subsidy_attachment")
    .select(["id", "kind", "filename", "content_type", "size", "created_at"])
    .where("application_id", "=", applicationId)
    .orderBy("id")
    .execute();
}

export async function addAttachments(
  db: DB,
  actor: SessionUser,
  app: ApplicationView,
  kind: AttachmentKind,
  files: Array<{ name: string; bytes: Uint8Array }>,
): Promise<Result> {
  const allowed = kind === "graduation" ? canUploadGraduation(actor, app) : canEditApplication(actor, app);
  if (!allowed) return refuse(kind === "graduation" ? "拨付后才能上传毕业证书" : "当前状态下不能上传材料", { status: 403 });
  if (!files.length) return refuse("请选择文件");
  if (files.length > 5) return refuse("一次最多上传5个文件");
  const result = checkEvidenceFiles(files);
  if (!result.ok) return refuse(result.message);
  const checked = result.files;
  await db.transaction().execute(async (tx) => {
    for (const file of checked) {
      await tx
        .insertInto("subsidy_attachment")
        .values({ application_id: app.id, kind, ...storedFileColumns(file, actor.id) })
        .execute();
    }
    await recordAudit(tx, SUBSIDY_AUDIT, { actor, id: app.id, unit: app.org_unit_id, action: "attach", after: { kind, files: checked.map((f) => f.name) } });
  });
  return { ok: true };
}

/**
 * The applicant takes a file back while the application is theirs to edit (a draft, or returned:
 * the blurry receipt the county asked to replace). Its removal is kept in the history.
 */
export async function removeAttachment(db: DB, actor: SessionUser, app: ApplicationView, attachmentId: number): Promise<Result> {
  if (!canEditApplication(actor, app)) return refuse("当前状态下不能删除材料", { status: 403 });
  return db.transaction().execute(async (tx): Promise<Result> => {
    const removed = await tx
      .deleteFrom("subsidy_attachment")
      .where("id", "=", attachmentId)
      .where("application_id", "=", app.id)
      .where("kind", "!=", "graduation")
      .returning(["filename", "kind"])
      .executeTakeFirst();
    if (!removed) return refuse("材料不存在", { status: 404 });
    await recordAudit(tx, SUBSIDY_AUDIT, {
      actor,
      id: app.id,
      unit: app.org_unit_id,
      action: "detach",
      before: { kind: removed.kind, file: removed.filename },
    });
    return { ok: true };
  });
}

export async function attachmentForViewer(db: DB, user: SessionUser, id: number): Promise<Access<StoredFile>> {
  const file = await db
    .selectFrom("subsidy_attachment")
    .innerJoin("subsidy_application as app", "app.id", "subsidy_attachment.application_id")
    .select(["subsidy_attachment.filename", "subsidy_attachment.content_type", "subsidy_attachment.data", "app.status", "app.org_unit_id", "app.person_id"])
    .where("subsidy_attachment.id", "=", id)
    .executeTakeFirst();
  return accessTo(file, (f) => canViewApplication(user, f));
}

/** Why an application cannot be submitted, all reasons at once. */
async function submitProblems(tx: Tx, app: ApplicationView): Promise<string[]> {
  const problems: string[] = [];
  const policy = await findPolicy(tx, app.year);
  if (!policy || !policy.open) problems.push(`${app.year}年的学历提升补助未开放申请`);
  const award = await awardOf(tx, app.person_id);
  if (!award) problems.push("不是获评的“台州工匠”");
  else if (policy && app.year - Number(award.named_on.slice(0, 4)) > policy.years_after_award) {
    problems.push(`获评“台州工匠”已超过 ${policy.years_after_award} 年，不在补助范围内`);
  }
  if (policy) {
    const cap = policy.caps[app.target_degree];
    if (!cap) problems.push(`${app.year}年的政策不补助“${app.target_degree}”`);
    else if (Number(app.requested_fen) > maxSubsidyFen(Number(app.tuition_fen), policy.share_percent, cap)) problems.push("申请金额超过政策允许的最高额");
  }
  const files = await attachmentsOf(tx, app.id);
  if (!files.some((f) => f.kind === "admission")) problems.push("请上传录取通知书或入学证明");
  if (!files.some((f) => f.kind === "receipt")) problems.push("请上传学费收据");
  problems.push(...(await chsiSubmitProblems(tx, app.id, todayInTaizhou())));
  return problems;
}

export type StepResult = Result<{ to: SubsidyStatus }>;

export type StepInput = {
  expected: string;
  reason: string | null;
  confirmed?: boolean;
  amount?: string;
  date?: string;
  voucher: string | null;
  /** At submission: the applicant states that no other scheme pays for these studies (other-schemes.server). */
  noOtherSchemes?: boolean;
};

/**
 * One step of the workflow in one transaction. Every step locks the year's policy row first, so
 * concurrent approvals queue up and the budget check sees every earlier one — and so do submissions,
 * rejections and withdrawals for the year's places (places.server).
 */
export async function takeSubsidyStep(db: DB, actor: SessionUser, id: number, step: SubsidyStep, input: StepInput): Promise<StepResult> {
  return db.transaction().execute((tx) => takeSubsidyStepIn(tx, actor, id, step, input));
}

/**
 * A step inside a transaction the caller holds: a payment batch records each of its lines paid
 * with the very step an officer takes on one application, all in the batch's one transaction.
 * `batchId` names that batch; a payment on some batch is otherwise refused, so nothing is paid
 * both one by one and by the bank's file.
 */
export async function takeSubsidyStepIn(tx: Tx, actor: SessionUser, id: number, step: SubsidyStep, input: StepInput, batchId?: number): Promise<StepResult> {
  const rule = SUBSIDY_STEPS[step];
  const badInput = subsidyWorkflow.checkInput(step, input);
  if (badInput) return badInput;
  let amountFen: number | null = null;
  if (step === "city_approve") {
    const parsed = parseYuan(input.amount ?? "");
    if (!parsed.ok) return { ok: false, status: 400, message: `批准金额：${parsed.message}` };
    if (parsed.fen === 0) return refuse("批准金额应大于0");
    amountFen = parsed.fen;
  }
  if ((step === "disburse" || step === "close") && (!input.date || !isRecordDate(input.date))) {
    return { ok: false, status: 400, message: input.date ? "日期不合理，请核对" : "请填写日期", field: "date" };
  }
  if (step === "disburse" && !input.voucher) return refuse("请填写拨付凭证号");

  const peek = await tx.selectFrom("subsidy_application").select("year").where("id", "=", id).executeTakeFirst();
  if (!peek) return refuse("申请不存在", { status: 404 });
  // Lock order: the year's policy, then the application — the same for every approval.
  const policy = await tx.selectFrom("subsidy_policy").selectAll().where("year", "=", peek.year).forUpdate().executeTakeFirst();
  await tx.selectFrom("subsidy_application").select("id").where("id", "=", id).forUpdate().execute();
  const app = (await findApplication(tx, id))!;
  const refused = subsidyWorkflow.checkRecord(actor, app, step, input);
  if (refused) return refused;

  if (step === "county_approve" || step === "city_approve") {
    const waiting = waitingRefusal(app);
    if (waiting) return waiting;
  }

  const changes: Partial<Record<string, unknown>> = { status: rule.to, status_reason: input.reason, updated_at: new Date() };
  const after: Record<string, unknown> = { status: rule.to };
  switch (step) {
    case "submit": {
      const problems = await submitProblems(tx, app);
      const declaration = await declarationAtSubmit(tx, app.id, input.noOtherSchemes ?? false);
      if ("problem" in declaration) problems.push(declaration.problem);
      if (problems.length) return { ok: false, status: 400, message: "暂不能提交", reasons: problems };
      if ("statement" in declaration) after.otherSchemes = declaration.statement;
      const cap = (await findPolicy(tx, app.year))!.caps[app.target_degree];
      changes.max_fen = maxSubsidyFen(Number(app.tuition_fen), policy!.share_percent, cap);
      Object.assign(changes, await placeOnSubmit(tx, app, policy!.places));
      after.place = changes.place ?? app.place;
      break;
    }
    case "county_approve": {
      const unverified = await chsiApprovalProblem(tx, app.id, "enrolment");
      if (unverified) return refuse(unverified, { status: 409 });
      break;
    }
    case "city_approve": {
      if (!policy) return { ok: false, status: 409, message: "本年度没有补助政策" };
      const unverified = await chsiApprovalProblem(tx, app.id, "enrolment");
      if (unverified) return refuse(unverified, { status: 409 });
      if (amountFen! > Number(app.max_fen)) {
        return { ok: false, status: 400, message: `批准金额不能超过按政策计算的最高额 ${(Number(app.max_fen) / 100).toFixed(2)} 元` };
      }
      const beside = await combinedCapRefusal(tx, app, amountFen!);
      if (beside) return { ok: false, status: 400, message: beside };
      const remaining = Number(policy.budget_fen) - (await committedFen(tx, app.year));
      if (amountFen! > remaining) {
        return { ok: false, status: 409, message: `年度预算余额不足：剩余 ${(remaining / 100).toFixed(2)} 元` };
      }
      changes.approved_fen = amountFen;
      after.approvedFen = amountFen;
      break;
    }
    case "revoke": {
      if (!(await objectionUpheld(tx, app.id))) return refuse("只有公示异议经核查属实的，才能撤销批准", { status: 409 });
      break;
    }
    case "disburse": {
      const blockers = await paymentBlockers(tx, app, new Date());
      if (blockers.length) return { ok: false, status: 409, message: "暂不能拨付", reasons: blockers };
      const held = holdbackFen(Number(app.approved_fen), policy?.holdback_percent ?? 0);
      const batched = await batchLineProblem(tx, app.id, "first", Number(app.approved_fen) - held, batchId);
      if (batched) return batched;
      changes.paid_fen = Number(app.approved_fen) - held;
      changes.held_fen = held;
      changes.first_voucher = input.voucher;
      changes.disbursed_on = input.date;
      Object.assign(after, { paidFen: changes.paid_fen, heldFen: held, voucher: input.voucher, date: input.date, batchId });
      break;
    }
    case "close": {
      const files = await attachmentsOf(tx, app.id);
      if (!files.some((f) => f.kind === "graduation")) return refuse("尚未上传毕业证书");
      const unverified = await chsiApprovalProblem(tx, app.id, "graduation");
      if (unverified) return refuse(unverified, { status: 409 });
      if (Number(app.held_fen) > 0 && !input.voucher) return refuse("请填写预留部分的拨付凭证号");
      const batched = await batchLineProblem(tx, app.id, "final", Number(app.held_fen), batchId);
      if (batched) return batched;
      changes.paid_fen = Number(app.paid_fen) + Number(app.held_fen);
      changes.held_fen = 0;
      changes.final_voucher = input.voucher;
      changes.closed_on = input.date;
      Object.assign(after, { paidFen: changes.paid_fen, voucher: input.voucher, date: input.date, batchId });
      break;
    }
  }
  await tx.updateTable("subsidy_application").set(changes).where("id", "=", id).execute();
  await recordAudit(tx, SUBSIDY_AUDIT, {
    actor,
    id,
    unit: app.org_unit_id,
    action: `subsidy_${step}`,
    before: { status: app.status },
    after,
    comment: input.reason,
  });
  await releasePlace(tx, app, rule.to, policy?.places ?? null);
  return { ok: true, to: rule.to };
}

/**
 * A payment on a batch is the batch's to record: one by one it is refused (the bank may already
 * have the file), and the batch's own record must pay what its line says.
 */
async function batchLineProblem(tx: Tx, applicationId: number, stage: PaymentStage, payingFen: number, batchId: number | undefined): Promise<Refusal | null> {
  const line = await tx
    .selectFrom("subsidy_payment_line")
    .select(["batch_id", "amount_fen"])
    .where("application_id", "=", applicationId)
    .where("stage", "=", stage)
    .executeTakeFirst();
  if (!line) return batchId === undefined ? null : refuse("该申请不在这个拨付批次中", { status: 409 });
  if (line.batch_id !== batchId) return refuse(`已列入第 ${line.batch_id} 号拨付批次，请在“补助拨付”页按批次登记`, { status: 409 });
  if (Number(line.amount_fen) !== payingFen) {
    return refuse(
      `批次金额 ${formatFen(Number(line.amount_fen))} 与现在应拨付的 ${formatFen(payingFen)} 不符（政策的预留比例可能已改），请撤销批次后重新生成`,
      {
        status: 409,
      },
    );
  }
  return null;
}

/** The year's applications and payments for the finance office. */
export async function exportApplications(db: DB, year: number): Promise<Buffer> {
  const rows = await applicationQuery(db).where("subsidy_application.year", "=", year).orderBy("subsidy_application.id").execute();
  const yuan = (fen: number | null) => (fen === null ? null : Number(fen) / 100);
  const cells = rows.map((r) => [
    r.id,
    r.name,
    r.unit_name,
    r.employer,
    r.target_degree,
    r.institution,
    r.programme,
    STUDY_MODE_LABELS[r.study_mode],
    yuan(r.tuition_fen),
    yuan(r.requested_fen),
    yuan(r.approved_fen),
    yuan(r.paid_fen),
    yuan(r.held_fen),
    SUBSIDY_STATUS_LABELS[r.status],
    r.disbursed_on,
    r.first_voucher,
    r.closed_on,
    r.final_voucher,
  ]);
  return Buffer.from(await applicationsWorkbook({ year, cells }));
}

/** Ten thousand rows take a second or two to write: in the worker thread, not on the server's loop. */
const applicationsWorkbook = offThread("subsidies.export", async ({ year, cells }: { year: number; cells: unknown[][] }) => {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(`${year}年学历提升补助`);
  sheet.addRow([`${year}年“台州工匠”学历提升补助申请及拨付明细`]).font = { bold: true, size: 14 };
  const headers = [
    "编号",
    "姓名",
    "所属单位",
    "工作单位",
    "报读学历",
    "院校",
    "专业",
    "学习形式",
    "学费（元）",
    "申请（元）",
    "批准（元）",
    "已拨付（元）",
    "预留（元）",
    "状态",
    "首次拨付日期",
    "首次凭证号",
    "结案日期",
    "尾款凭证号",
  ];
  sheet.mergeCells(1, 1, 1, headers.length);
  sheet.addRow(headers).font = { bold: true };
  for (const row of cells) sheet.addRow(row);
  for (const col of [9, 10, 11, 12, 13]) sheet.getColumn(col).numFmt = "#,##0.00";
  sheet.columns.forEach((c, i) => (c.width = [6, 8, 10, 24, 10, 20, 16, 12, 12, 12, 12, 12, 12, 16, 12, 14, 12, 14][i] ?? 12));
  return new Uint8Array(await workbook.xlsx.writeBuffer());
});
