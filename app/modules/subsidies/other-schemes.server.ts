import crypto from "node:crypto";
import type { DB, Tx } from "~db";
import type { OtherScheme } from "~db/types";
import { isCityAdmin, type SessionUser } from "~/auth/roles";
import { recordAudit } from "~/lib/audit.server";
import { formatFen, parseYuan } from "~/lib/money";
import { offThread } from "~/lib/off-thread.server";
import { refuse, type Result } from "~/lib/result";
import { cleanText, plainText, SMALL_UPLOAD_BYTES, SpreadsheetError, TOO_LARGE, unpackedBound } from "~/lib/spreadsheet.server";
import { PERSON_COLUMNS, readPersonList, type PersonList } from "~/modules/people/id-list.server";
import { maskName } from "~/modules/people/id-number";
import { isUniqueViolation } from "~/modules/people/people.server";
import { lookupHash } from "~/modules/people/pii.server";
import { OTHER_SCHEME_LABELS, SCHEME_LIST_AUDIT, SUBSIDY_AUDIT } from "~/modules/subsidies/labels";
import { canEditApplication, combinedRoomFen, otherSchemesFen, sameStudies, type ApplicationRef } from "~/modules/subsidies/policy";

/**
 * No double claims (issue 34, item 4): the applicant declares what other schemes (全总, 省总 双提升,
 * the employer) pay for the same studies; the city imports those schemes' lists, matched to the
 * applicant by the keyed hash of the ID number; the city's approval is capped so that all schemes
 * together pay at most the policy's share of the tuition.
 */

type Application = ApplicationRef & { id: number; tuition_fen: number; target_degree: string; year: number };

const yuan = (fen: number) => `${(fen / 100).toFixed(2)} 元`;

/** Enough for every scheme there is, twice over; a form posted a hundred times is not a declaration. */
const MAX_CLAIMS = 10;

export async function otherClaimsOf(db: DB, applicationId: number) {
  return db
    .selectFrom("subsidy_other_claim")
    .select(["id", "scheme", "scheme_name", "amount_fen"])
    .where("application_id", "=", applicationId)
    .orderBy("id")
    .execute();
}

/** The application as it is now, locked: a declaration cannot slip in beside a submission taking place. */
async function lockedForEdit(tx: Tx, actor: SessionUser, applicationId: number): Promise<ApplicationRef | null> {
  const current = await tx
    .selectFrom("subsidy_application")
    .select(["status", "org_unit_id", "person_id"])
    .where("id", "=", applicationId)
    .forUpdate()
    .executeTakeFirst();
  return current && canEditApplication(actor, current) ? current : null;
}

export async function addOtherClaim(
  db: DB,
  actor: SessionUser,
  app: { id: number; org_unit_id: number },
  input: { scheme: OtherScheme; schemeName: string; amount: number },
): Promise<Result> {
  return db.transaction().execute(async (tx): Promise<Result> => {
    if (!(await lockedForEdit(tx, actor, app.id))) return refuse("当前状态下不能修改其他项目补助的申报", { status: 403 });
    const { n } = await tx
      .selectFrom("subsidy_other_claim")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("application_id", "=", app.id)
      .executeTakeFirstOrThrow();
    if (Number(n) >= MAX_CLAIMS) return refuse(`其他项目补助最多申报 ${MAX_CLAIMS} 项`);
    await tx
      .insertInto("subsidy_other_claim")
      .values({ application_id: app.id, scheme: input.scheme, scheme_name: input.schemeName, amount_fen: input.amount, created_by: actor.id })
      .execute();
    await recordAudit(tx, SUBSIDY_AUDIT, {
      actor,
      id: app.id,
      unit: app.org_unit_id,
      action: "claim",
      after: { scheme: input.scheme, schemeName: input.schemeName, amountFen: input.amount },
    });
    return { ok: true };
  });
}

export async function removeOtherClaim(db: DB, actor: SessionUser, app: { id: number; org_unit_id: number }, claimId: number): Promise<Result> {
  return db.transaction().execute(async (tx): Promise<Result> => {
    if (!(await lockedForEdit(tx, actor, app.id))) return refuse("当前状态下不能修改其他项目补助的申报", { status: 403 });
    const removed = await tx
      .deleteFrom("subsidy_other_claim")
      .where("id", "=", claimId)
      .where("application_id", "=", app.id)
      .returning(["scheme", "scheme_name", "amount_fen"])
      .executeTakeFirst();
    if (!removed) return refuse("该申报不存在", { status: 404 });
    await recordAudit(tx, SUBSIDY_AUDIT, {
      actor,
      id: app.id,
      unit: app.org_unit_id,
      action: "unclaim",
      before: { scheme: removed.scheme, schemeName: removed.scheme_name, amountFen: Number(removed.amount_fen) },
    });
    return { ok: true };
  });
}

/**
 * What the applicant states of other schemes as they submit, kept in the submission's history:
 * the claims they declared, or — with none declared — their ticked “未享受其他学历提升补助”. Each
 * submission states it afresh (a returned application may come back with a claim it lacked).
 */
export async function declarationAtSubmit(tx: Tx, applicationId: number, statedNone: boolean): Promise<{ problem: string } | { statement: string | string[] }> {
  const claims = await otherClaimsOf(tx, applicationId);
  if (claims.length && statedNone) return { problem: "已申报了其他项目补助，不能同时声明未享受其他补助，请刷新页面后再提交" };
  if (!claims.length && !statedNone) {
    return { problem: "请申报享受的其他学历提升补助（全总、省总、工作单位等），或勾选“本人未享受其他学历提升补助”" };
  }
  return {
    statement: claims.length
      ? claims.map((c) => `${OTHER_SCHEME_LABELS[c.scheme]}·${c.scheme_name} ${formatFen(Number(c.amount_fen))}`)
      : "本人声明未享受其他学历提升补助",
  };
}

/** A list's line that carries the applicant's ID number, and whether it counts toward the cap. */
export interface ListedPayment {
  entryId: number;
  listId: number;
  scheme: OtherScheme;
  title: string;
  year: number;
  rowNumber: number;
  amountFen: number;
  degree: string | null;
  institution: string | null;
  /** For the studies applied for (not another degree level's). */
  counted: boolean;
  /** Counted, and its scheme is not among the applicant's declarations. */
  undeclared: boolean;
}

/** What the officers judge by: the declarations, the lists' matches, and what the cap leaves. */
export interface OtherSchemes {
  claims: Awaited<ReturnType<typeof otherClaimsOf>>;
  listed: ListedPayment[];
  bySchemes: Array<{ scheme: OtherScheme; declaredFen: number; listedFen: number; countedFen: number }>;
  otherFen: number;
  combinedCapPercent: number;
  limitFen: number;
  roomFen: number;
}

/** An applicant is on a few lists at most; the bound keeps a page's work small whatever was imported. */
const MAX_MATCHES = 50;

export async function otherSchemesOf(db: DB, app: Application): Promise<OtherSchemes> {
  const [claims, matches, policy] = await Promise.all([
    otherClaimsOf(db, app.id),
    db
      .selectFrom("subsidy_scheme_entry as e")
      .innerJoin("subsidy_scheme_list as l", "l.id", "e.list_id")
      .innerJoin("person", "person.id_number_hash", "e.id_number_hash")
      .where("person.id", "=", app.person_id)
      .select(["e.id", "e.row_number", "e.amount_fen", "e.degree", "e.institution", "l.id as list_id", "l.scheme", "l.title", "l.year"])
      .orderBy("l.year", "desc")
      .orderBy("l.id", "desc")
      .orderBy("e.id")
      .limit(MAX_MATCHES)
      .execute(),
    db.selectFrom("subsidy_policy").select("combined_cap_percent").where("year", "=", app.year).executeTakeFirst(),
  ]);
  const declaredSchemes = new Set(claims.map((c) => c.scheme));
  const listed = matches.map((m): ListedPayment => {
    const counted = sameStudies(m.degree, app.target_degree);
    return {
      entryId: m.id,
      listId: m.list_id,
      scheme: m.scheme,
      title: m.title,
      year: m.year,
      rowNumber: m.row_number,
      amountFen: Number(m.amount_fen),
      degree: m.degree,
      institution: m.institution,
      counted,
      undeclared: counted && !declaredSchemes.has(m.scheme),
    };
  });
  const { total, bySchemes } = otherSchemesFen(
    claims,
    listed.filter((l) => l.counted).map((l) => ({ scheme: l.scheme, amount_fen: l.amountFen })),
  );
  const combinedCapPercent = policy?.combined_cap_percent ?? 100;
  const tuition = Number(app.tuition_fen);
  return {
    claims,
    listed,
    bySchemes: bySchemes as OtherSchemes["bySchemes"],
    otherFen: total,
    combinedCapPercent,
    limitFen: Math.floor((tuition * combinedCapPercent) / 100),
    roomFen: combinedRoomFen(tuition, combinedCapPercent, total),
  };
}

/** Why the city may not approve this amount beside the other schemes' (null when it may), with the cap stated. */
export async function combinedCapRefusal(tx: Tx, app: Application, amountFen: number): Promise<string | null> {
  const o = await otherSchemesOf(tx, app);
  if (amountFen <= o.roomFen) return null;
  const schemes = o.bySchemes
    .filter((s) => s.countedFen > 0)
    .map((s) => `${OTHER_SCHEME_LABELS[s.scheme]} ${yuan(s.countedFen)}`)
    .join("、");
  const cap = `本补助与其他项目补助合计不得超过学费的 ${o.combinedCapPercent}%（${yuan(o.limitFen)}），其他项目已补助 ${yuan(o.otherFen)}（${schemes}）`;
  return o.roomFen > 0 ? `${cap}，本次最多可批准 ${yuan(o.roomFen)}` : `${cap}，已没有可批准的金额，请退回核实或不予批准`;
}

// ——— The other schemes' lists ———

/** The list's columns by the names county and provincial files give them; the header is found by them, wherever it is. */
const LIST_COLUMNS = {
  ...PERSON_COLUMNS,
  amount: ["补助金额", "资助金额", "补贴金额", "发放金额", "金额"],
  degree: ["学历层次", "报读学历", "提升学历", "学历", "层次"],
  institution: ["院校", "就读院校", "院校名称", "学校", "就读学校"],
};

export interface ListedRow {
  line: number;
  idNumber: string;
  nameMasked: string;
  amountFen: number;
  degree: string | null;
  institution: string | null;
}

export type SchemeFile = PersonList<ListedRow>;

/**
 * Reads another scheme's list; its people are read as the 汇总表 import reads them (readPersonList),
 * then each row's amount is checked, and a person listed twice is refused.
 */
export async function parseSchemeList(bytes: Uint8Array): Promise<SchemeFile> {
  const list = {
    columns: LIST_COLUMNS,
    required: ["amount"],
    noHeader: "找不到表头：表格中需要有“姓名”“身份证号码”“补助金额”三列",
    noRows: "表头下面没有补助名单数据行",
  } as const;
  const seen = new Map<string, number>();
  return readPersonList(bytes, list, ({ line, name, idNumber, at, reasons }) => {
    const rawAmount = at("amount");
    const amountText = typeof rawAmount === "number" ? String(rawAmount) : cleanText(rawAmount);
    const amount = amountText.length > 30 ? refuse("不是有效的金额") : parseYuan(amountText);
    if (!amount.ok) reasons.push(`补助金额：${amount.message}`);
    else if (amount.fen === 0) reasons.push("补助金额应大于0");
    if (idNumber) {
      const earlier = seen.get(idNumber);
      if (earlier) reasons.push(`身份证号码与第 ${earlier} 行重复`);
      else seen.set(idNumber, line);
    }
    if (reasons.length || !idNumber || !amount.ok) return null;
    return {
      line,
      idNumber,
      nameMasked: maskName(name),
      amountFen: amount.fen,
      degree: plainText(at("degree")).slice(0, 50) || null,
      institution: plainText(at("institution")).slice(0, 100) || null,
    };
  });
}

/** In the worker thread: a province's list of thousands of rows must not hold up other users' pages. */
const parseSchemeListOffThread = offThread("subsidy-schemes.parse", parseSchemeList, {
  expected: [SpreadsheetError],
  crashed: TOO_LARGE,
  small: (bytes) => unpackedBound(bytes) <= SMALL_UPLOAD_BYTES,
});

/** Rows written per statement: a 12,000-row list is a dozen inserts, not one too large for the driver. */
const INSERT_CHUNK = 1000;

/**
 * Imports a list, all or nothing: a file with a bad row stores nothing, and says every bad row,
 * unless the city asks for the good rows alone (`goodRowsOnly`), which the history then records with
 * the count left out. The same file twice is refused (by its sha256, held by a unique index). ID
 * numbers are kept only as their keyed hash, names only masked.
 */
export async function importSchemeList(
  db: DB,
  actor: SessionUser,
  input: { scheme: OtherScheme; year: number; title: string; goodRowsOnly: boolean },
  file: { name: string; bytes: Uint8Array },
): Promise<Result<{ message: string; problems: string[] }>> {
  if (!isCityAdmin(actor)) return refuse("只有市总工会可以导入其他项目的补助名单", { status: 403 });
  const sha256 = crypto.createHash("sha256").update(file.bytes).digest("hex");
  const same = await db.selectFrom("subsidy_scheme_list").select("title").where("sha256", "=", sha256).executeTakeFirst();
  const duplicate = (title: string) => refuse(`该文件已导入过（“${title}”），同一文件不能重复导入`, { status: 409 });
  if (same) return duplicate(same.title);
  let parsed: SchemeFile;
  try {
    parsed = await parseSchemeListOffThread(file.bytes);
  } catch (error) {
    if (error instanceof SpreadsheetError) return refuse(error.message, { field: "file" });
    throw error;
  }
  if (parsed.badRows && !(input.goodRowsOnly && parsed.rows.length)) {
    const advice = parsed.rows.length ? "请改正后重新上传，或勾选“只导入无误的行”" : "请改正后重新上传";
    return refuse(`有 ${parsed.badRows} 行有问题，未导入任何数据：${advice}`, { reasons: parsed.problems });
  }
  try {
    return await db.transaction().execute(async (tx) => {
      const list = await tx
        .insertInto("subsidy_scheme_list")
        .values({
          scheme: input.scheme,
          title: input.title,
          year: input.year,
          filename: file.name.slice(0, 200),
          sha256,
          rows: parsed.rows.length,
          imported_by: actor.id,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      for (let i = 0; i < parsed.rows.length; i += INSERT_CHUNK) {
        await tx
          .insertInto("subsidy_scheme_entry")
          .values(
            parsed.rows.slice(i, i + INSERT_CHUNK).map((r) => ({
              list_id: list.id,
              row_number: r.line,
              id_number_hash: lookupHash(r.idNumber),
              name_masked: r.nameMasked,
              amount_fen: r.amountFen,
              degree: r.degree,
              institution: r.institution,
            })),
          )
          .execute();
      }
      await recordAudit(tx, SCHEME_LIST_AUDIT, {
        actor,
        id: list.id,
        action: "import",
        after: {
          scheme: input.scheme,
          title: input.title,
          year: input.year,
          filename: file.name.slice(0, 200),
          rows: parsed.rows.length,
          skippedRows: parsed.badRows,
        },
      });
      const skipped = parsed.badRows ? `；${parsed.badRows} 行有问题，未导入` : "";
      return { ok: true as const, message: `已导入“${input.title}”${parsed.rows.length} 行${skipped}`, problems: parsed.problems };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return duplicate(input.title);
    throw error;
  }
}

export async function schemeLists(db: DB) {
  return db
    .selectFrom("subsidy_scheme_list as l")
    .innerJoin("app_user as u", "u.id", "l.imported_by")
    .select(["l.id", "l.scheme", "l.title", "l.year", "l.filename", "l.rows", "l.imported_at", "u.display_name as imported_by"])
    .orderBy("l.year", "desc")
    .orderBy("l.id", "desc")
    .limit(200)
    .execute();
}

/** A list imported by mistake (the wrong year, a draft) is taken out whole, its lines with it; the history keeps what it was. */
export async function deleteSchemeList(db: DB, actor: SessionUser, listId: number): Promise<Result> {
  if (!isCityAdmin(actor)) return refuse("只有市总工会可以删除其他项目的补助名单", { status: 403 });
  return db.transaction().execute(async (tx): Promise<Result> => {
    const removed = await tx
      .deleteFrom("subsidy_scheme_list")
      .where("id", "=", listId)
      .returning(["scheme", "title", "year", "filename", "rows"])
      .executeTakeFirst();
    if (!removed) return refuse("名单不存在", { status: 404 });
    await recordAudit(tx, SCHEME_LIST_AUDIT, {
      actor,
      id: listId,
      action: "delete",
      before: { scheme: removed.scheme, title: removed.title, year: removed.year, filename: removed.filename, rows: removed.rows },
    });
    return { ok: true };
  });
}
