import type { DB } from "../db";
import type { ChsiKind, ChsiStage } from "../db/types";
import type { SessionUser } from "../app/auth/roles";
import { addMonths, todayInTaizhou } from "../app/lib/time";
import { enterChsiReport, recordChsiCheck } from "../app/modules/subsidies/chsi.server";
import { findApplication } from "../app/modules/subsidies/subsidies.server";

/**
 * 学信网 verification for tests whose subject is elsewhere (the workflow, the budget, the pages): a
 * subsidy is submitted only with a code entered, approved and closed only with it checked (issue 34).
 */

let serial = 0;

/** A code of its own: the same code on two people's applications is refused as a copied report. */
export function chsiCode(): string {
  return `TESTCHSI${String(++serial).padStart(8, "0")}`;
}

/** Valid for six months from today, as Taizhou asks. */
export const chsiValidUntil = (today = todayInTaizhou()) => addMonths(today, 6);

/** The applicant enters a code through the module, as the page would. */
export async function enterChsi(db: DB, applicant: SessionUser, applicationId: number, kind: ChsiKind = "enrolment", code = chsiCode()) {
  const app = (await findApplication(db, applicationId))!;
  const entered = await enterChsiReport(db, applicant, app, { code, kind, validUntil: chsiValidUntil() });
  if (!entered.ok) throw new Error(`enterChsi: ${entered.message}`);
  return code;
}

/** The reviewing officer records that the latest code's report matches the applicant. */
export async function checkChsi(db: DB, officer: SessionUser, applicationId: number) {
  const app = (await findApplication(db, applicationId))!;
  const stage: ChsiStage = app.status === "disbursed" ? "graduation" : "enrolment";
  const report = await db
    .selectFrom("subsidy_chsi_report")
    .select("id")
    .where("application_id", "=", applicationId)
    .where("stage", "=", stage)
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();
  const checked = await recordChsiCheck(db, officer, app, {
    reportId: report.id,
    outcome: "matches",
    nameMatches: true,
    idDigitsMatch: true,
    school: app.institution,
    level: app.target_degree,
    recordStatus: stage === "enrolment" ? "在籍（注册学籍）" : null,
    graduatedOn: stage === "graduation" ? todayInTaizhou() : null,
    note: null,
  });
  if (!checked.ok) throw new Error(`checkChsi: ${checked.message}`);
}

/** A checked report put straight in, for applications a test puts straight into a later state. */
export async function insertCheckedChsi(db: DB, applicationId: number, checkedBy: string, stage: ChsiStage = "enrolment") {
  await db
    .insertInto("subsidy_chsi_report")
    .values({
      application_id: applicationId,
      stage,
      kind: stage === "enrolment" ? "enrolment" : "filing",
      code: chsiCode(),
      valid_until: chsiValidUntil(),
      entered_by: checkedBy,
      outcome: "matches",
      name_matches: true,
      id_digits_match: true,
      school: "台州学院",
      level: "本科",
      record_status: stage === "enrolment" ? "在籍（注册学籍）" : null,
      graduated_on: stage === "graduation" ? todayInTaizhou() : null,
      checked_by: checkedBy,
      checked_at: new Date(),
    })
    .execute();
}
