import { sql, type RawBuilder, type SqlBool } from "kysely";
import type { DB } from "~db";
import type { Database } from "~db/types";
import { toDateTimeLocal } from "~/lib/time";
import { sheet, workbook, type Sheet } from "~/lib/workbook.server";
import { decrypt, lookupHash, voterHash } from "~/modules/people/pii.server";

/**
 * The copy of everything held about one person (查阅、复制), built from one registry: for every table of the
 * database, how its rows relate to a person, or why it holds nothing personal. The registry is typed by the
 * `Database` interface, so a table added to it without an entry does not compile, and a test reads
 * information_schema and fails on a table the registry does not name (see data-copy.server.test.ts).
 */

/** Who the copy is of: their record and accounts, and the keyed hashes of their number and ID number. */
export interface CopySubject {
  personId: number | null;
  userIds: readonly string[];
  /** The number's hashes: the lookup hash, and one voter hash per campaign (the vote hashes per campaign). */
  phoneHashes: readonly string[];
  /** The ID number's hashes, likewise; only for a person on record (a number proves no one's ID number). */
  idNumberHashes: readonly string[];
}

/** How a table's rows are someone's. */
type Link =
  | { by: "person" | "user" | "phone" | "idNumber"; column: string }
  /** Rows under a parent row that is theirs (a payee under their application). */
  | { by: "parent"; column: string; parent: Table; key?: string }
  /** History rows of an entity whose record is theirs (audit_log's entity_type/entity_id). */
  | { by: "history"; entity: string; table: Table };

type Table = keyof Database;

type Entry =
  | {
      /** The sheet's title, in Chinese. */
      label: string;
      holds: readonly Link[];
      /** Sealed columns opened for their own copy (their own ID number, phone, card number). */
      open?: readonly string[];
      /** Columns never given besides every `*_hash` (see `isKeyColumn`): secrets that unlock something (a session id). */
      omit?: readonly string[];
    }
  | { none: string };

/** Tables of the migrator itself, which hold only migration names. */
type MigratorTable = "kysely_migration" | "kysely_migration_lock";

const ORGANISATION = "组织或评选的设置，不含个人信息";

export const DATA_MAP: Record<Table | MigratorTable, Entry> = {
  kysely_migration: { none: "数据库结构版本" },
  kysely_migration_lock: { none: "数据库结构版本" },
  data_change: { none: "统计数据的版本：哪张表在何时被改动，只有表名，不对应到人" },
  // Who they are and how they sign in.
  person: { label: "人员档案", holds: [{ by: "person", column: "id" }], open: ["id_number_cipher", "phone_cipher"] },
  app_user: { label: "账号", holds: [{ by: "user", column: "id" }] },
  user_session: { label: "登录会话", holds: [{ by: "user", column: "user_id" }], omit: ["id"] },
  sign_in_device: { label: "记住的设备", holds: [{ by: "user", column: "user_id" }] },
  external_identity: { label: "统一身份认证账号", holds: [{ by: "user", column: "user_id" }] },
  second_factor: { label: "动态验证码", holds: [{ by: "user", column: "user_id" }], omit: ["secret"] },
  second_factor_challenge: { label: "待输入的动态验证码", holds: [{ by: "user", column: "user_id" }] },
  wechat_identity: { label: "微信绑定", holds: [{ by: "person", column: "person_id" }] },
  wechat_token: { none: "微信公众号的接口凭证，两小时有效，不对应到人" },
  sign_in_flow: { none: "登录往返（统一身份认证、微信授权）的一次性状态，十分钟内有效，不含个人信息" },
  sign_in_throttle: { none: "登录失败的计数，按地址的密钥散列记录，几分钟后失效，不对应到人" },
  notification_preference: { label: "短信设置", holds: [{ by: "user", column: "user_id" }] },
  message: { label: "站内消息", holds: [{ by: "user", column: "user_id" }] },
  sms_message: {
    label: "短信记录",
    holds: [
      { by: "user", column: "user_id" },
      { by: "phone", column: "phone_hash" },
    ],
    open: ["phone_cipher"],
  },
  phone_code: {
    label: "短信验证码记录",
    holds: [
      { by: "person", column: "person_id" },
      { by: "phone", column: "phone_hash" },
    ],
  },
  audit_log: {
    label: "操作日志（关于本人的记录）",
    holds: [
      { by: "history", entity: "person", table: "person" },
      { by: "history", entity: "wechat_identity", table: "person" },
      { by: "history", entity: "nomination", table: "nomination" },
      { by: "history", entity: "subsidy", table: "subsidy_application" },
      { by: "history", entity: "rights_request", table: "rights_request" },
    ],
  },
  audit_fanout: { none: "操作日志已分发的标记，只有日志编号" },
  job: { none: "后台任务队列：短信等待发送时的临时内容，发出的短信见短信记录" },
  work_progress: { none: "后台任务的进度计数" },
  // Publication.
  publication_consent: { label: "公开展示同意", holds: [{ by: "person", column: "person_id" }] },
  publicity_item: { label: "宣传报道", holds: [{ by: "person", column: "person_id" }] },
  // The award.
  campaign: { none: ORGANISATION },
  decision_document: { none: "组织的决定文书" },
  // The decision that took back their title or studio, single or whole, as their award or studio points at it.
  revocation: {
    label: "称号撤销",
    holds: [
      { by: "parent", column: "id", parent: "award", key: "revocation_id" },
      { by: "parent", column: "id", parent: "studio", key: "revocation_id" },
    ],
  },
  title_recall: {
    label: "证书牌匾收回",
    holds: [
      { by: "parent", column: "award_id", parent: "award" },
      { by: "parent", column: "studio_id", parent: "studio" },
    ],
  },
  honour: { label: "荣誉登记", holds: [{ by: "person", column: "person_id" }] },
  // An uploaded list names many people (by person id in its preview); the honours it gave them are in 荣誉登记.
  honour_import: { none: "上传的荣誉名单是县级工会或市总工会的工作文件；据此登记到本人的荣誉见“荣誉登记”" },
  retention_rule: { none: ORGANISATION },
  purge_run: { none: "清除记录只记编号与数量，不含被清除的个人信息" },
  nomination: { label: "推荐人选", holds: [{ by: "person", column: "person_id" }] },
  nomination_opinion: { label: "推荐意见", holds: [{ by: "parent", column: "nomination_id", parent: "nomination" }] },
  // Objections against their own nomination or application are not given: the objector's content and who they are
  // stay with the union (a copy would expose the objector). Objections they filed themselves are theirs.
  objection: { label: "提出的异议", holds: [{ by: "parent", column: "id", parent: "objection_filing", key: "objection_id" }] },
  objection_filing: {
    label: "异议人信息",
    holds: [
      { by: "phone", column: "phone_hash" },
      { by: "idNumber", column: "id_number_hash" },
    ],
    open: ["id_number_cipher", "phone_cipher", "name_cipher"],
  },
  objection_attachment: { label: "异议附件", holds: [{ by: "parent", column: "objection_id", parent: "objection" }] },
  import_batch: { none: "县级上报的汇总表原件，含整张名单；其中本人的行已成为推荐人选和人员档案" },
  expert_score: { label: "专家评分（旧版）", holds: [{ by: "parent", column: "nomination_id", parent: "nomination" }] },
  award: { label: "获评记录", holds: [{ by: "person", column: "person_id" }] },
  // The vote: ballots keep the number's per-campaign hash until the naming, then lose it.
  vote_rule: { none: ORGANISATION },
  vote_challenge: { none: "人机验证的一次性题目，不对应到人" },
  vote_code: { label: "投票验证码记录", holds: [{ by: "phone", column: "phone_hash" }] },
  vote_failure: { none: "投票失败的计数，按网络地址记录，不含手机号码" },
  ballot: { label: "投票", holds: [{ by: "phone", column: "phone_hash" }] },
  ballot_choice: { label: "投票选择", holds: [{ by: "parent", column: "ballot_id", parent: "ballot" }] },
  ballot_invalidation: { label: "作废的投票", holds: [{ by: "parent", column: "ballot_id", parent: "ballot" }] },
  // Expert review: the experts' work on their nomination (an expert's name acts for the union, as an officer's does).
  expert: { label: "评审专家", holds: [{ by: "user", column: "user_id" }] },
  review_criterion: { none: ORGANISATION },
  review_panel: { none: ORGANISATION },
  panel_member: { label: "评审组成员", holds: [{ by: "parent", column: "expert_id", parent: "expert" }] },
  panel_nomination: { label: "评审组的推荐人选", holds: [{ by: "parent", column: "nomination_id", parent: "nomination" }] },
  recusal: { label: "专家回避", holds: [{ by: "parent", column: "nomination_id", parent: "nomination" }] },
  expert_sheet: { label: "专家评分表", holds: [{ by: "parent", column: "nomination_id", parent: "nomination" }] },
  expert_mark: { label: "专家评分", holds: [{ by: "parent", column: "nomination_id", parent: "nomination" }] },
  // Studios: the studio row is its leader's; its operating records (funds, years, files, grading) are the studio's,
  // an organisation's records, which also name its apprentices.
  studio: { label: "工匠工作室", holds: [{ by: "person", column: "person_id" }] },
  studio_plan: { none: ORGANISATION },
  studio_plan_unit: { none: ORGANISATION },
  studio_programme: { none: ORGANISATION },
  studio_cycle_policy: { none: ORGANISATION },
  acceptance_item: { none: ORGANISATION },
  evaluation_criterion: { none: ORGANISATION },
  studio_evaluation: { none: "工作室的年度考核，属工作室的运行记录" },
  studio_grant: { none: "工作室的经费，属工作室的运行记录" },
  studio_tranche: { none: "工作室的经费，属工作室的运行记录" },
  studio_fund: { none: "工作室的经费，属工作室的运行记录" },
  studio_spending: { none: "工作室的经费，属工作室的运行记录" },
  studio_year: { none: "工作室的年度计划和总结，属工作室的运行记录" },
  studio_file: { none: "工作室的材料，属工作室的运行记录" },
  studio_reconfirmation: { none: "工作室的复核，属工作室的运行记录" },
  // Mentoring: a pairing is its apprentice's (the mentor's side is their studio's work, and names the apprentice).
  mentorship: { label: "师徒结对", holds: [{ by: "person", column: "apprentice_id" }] },
  mentorship_pause: { label: "结对暂停", holds: [{ by: "parent", column: "mentorship_id", parent: "mentorship" }] },
  apprentice_log: { label: "学习日志", holds: [{ by: "parent", column: "mentorship_id", parent: "mentorship" }] },
  mentoring_policy: { none: ORGANISATION },
  mentorship_review: { label: "三方评议", holds: [{ by: "parent", column: "mentorship_id", parent: "mentorship" }] },
  mentorship_review_sign: { label: "三方评议意见", holds: [{ by: "parent", column: "review_id", parent: "mentorship_review" }] },
  mentorship_assessment: { label: "出师考核", holds: [{ by: "parent", column: "mentorship_id", parent: "mentorship" }] },
  mentor_payment: { label: "带徒津贴及奖励", holds: [{ by: "person", column: "mentor_id" }] },
  milestone: { label: "学徒成果", holds: [{ by: "parent", column: "mentorship_id", parent: "mentorship" }] },
  evidence_file: { label: "成果证明材料", holds: [{ by: "parent", column: "milestone_id", parent: "milestone" }] },
  // Subsidies.
  subsidy_policy: { none: ORGANISATION },
  subsidy_cap: { none: ORGANISATION },
  subsidy_notice: { none: ORGANISATION },
  subsidy_payment_batch: { none: "拨付批次的合计，本人的金额见拨付明细" },
  subsidy_scheme_list: { none: "其他项目名单的文件信息，本人的行见其他项目补助" },
  subsidy_application: { label: "学历提升补助申请", holds: [{ by: "person", column: "person_id" }] },
  subsidy_attachment: { label: "补助申请材料", holds: [{ by: "parent", column: "application_id", parent: "subsidy_application" }] },
  subsidy_chsi_report: { label: "学信网报告", holds: [{ by: "parent", column: "application_id", parent: "subsidy_application" }] },
  subsidy_other_claim: { label: "其他补助申报", holds: [{ by: "parent", column: "application_id", parent: "subsidy_application" }] },
  subsidy_payee: { label: "收款账户", holds: [{ by: "parent", column: "application_id", parent: "subsidy_application" }], open: ["number_cipher"] },
  subsidy_payment_line: { label: "拨付明细", holds: [{ by: "parent", column: "application_id", parent: "subsidy_application" }] },
  subsidy_scheme_entry: { label: "其他项目补助名单中的本人", holds: [{ by: "idNumber", column: "id_number_hash" }] },
  subsidy_objection: {
    label: "对补助公示提出的异议",
    holds: [
      { by: "phone", column: "phone_hash" },
      { by: "idNumber", column: "id_number_hash" },
    ],
    open: ["name_cipher", "id_number_cipher", "phone_cipher"],
  },
  subsidy_objection_file: { label: "补助异议附件", holds: [{ by: "parent", column: "objection_id", parent: "subsidy_objection" }] },
  // Events.
  event: { none: "活动本身；本人的报名和签到见活动参加记录" },
  event_series: { none: ORGANISATION },
  event_participant: { label: "活动参加记录", holds: [{ by: "person", column: "person_id" }] },
  // The units.
  org_unit: { none: "工会组织单位" },
  // The rights desk itself.
  privacy_policy: { none: ORGANISATION },
  privacy_calendar_day: { none: ORGANISATION },
  rights_request: {
    label: "个人信息权利申请",
    holds: [
      { by: "person", column: "person_id" },
      { by: "phone", column: "phone_hash" },
    ],
    open: ["phone_cipher"],
  },
};

const no = sql<SqlBool>`false`;

/** The condition that a row of `table` is the subject's, as SQL over that table's columns. */
function belongs(table: Table, subject: CopySubject): RawBuilder<SqlBool> {
  const entry = DATA_MAP[table];
  if ("none" in entry) return no;
  const any = (column: string, values: readonly (string | number)[]) =>
    values.length ? sql<SqlBool>`${sql.ref(`${table}.${column}`)} in (${sql.join(values)})` : no;
  const each = entry.holds.map((link): RawBuilder<SqlBool> => {
    switch (link.by) {
      case "person":
        return subject.personId === null ? no : any(link.column, [subject.personId]);
      case "user":
        return any(link.column, subject.userIds);
      case "phone":
        return any(link.column, subject.phoneHashes);
      case "idNumber":
        return any(link.column, subject.idNumberHashes);
      case "parent":
        return sql<SqlBool>`${sql.ref(`${table}.${link.column}`)} in (select ${sql.ref(`${link.parent}.${link.key ?? "id"}`)} from ${sql.table(link.parent)} where ${belongs(link.parent, subject)})`;
      case "history":
        return sql<SqlBool>`(${sql.ref(`${table}.entity_type`)} = ${link.entity} and ${sql.ref(`${table}.entity_id`)} in (select ${sql.ref(`${link.table}.id`)}::text from ${sql.table(link.table)} where ${belongs(link.table, subject)}))`;
    }
  });
  return each.length ? sql<SqlBool>`(${sql.join(each, sql` or `)})` : no;
}

/**
 * Who a copy is of, from what is known of them: their person record (with its accounts, number and ID
 * number), or only a number proven by a code. The vote keys a number per campaign, so it is hashed for each.
 */
export async function copySubject(db: DB, who: { personId: number } | { phone: string }): Promise<CopySubject> {
  const campaigns = (await db.selectFrom("campaign").select("id").execute()).map((c) => c.id);
  const hashes = (plain: string, voterPrefix = "") => [lookupHash(plain), ...campaigns.map((c) => voterHash(c, `${voterPrefix}${plain}`))];
  if ("phone" in who) return { personId: null, userIds: [], phoneHashes: hashes(who.phone), idNumberHashes: [] };
  const person = await db.selectFrom("person").select(["id", "id_number_cipher", "phone_cipher"]).where("id", "=", who.personId).executeTakeFirstOrThrow();
  const users = await db.selectFrom("app_user").select("id").where("person_id", "=", person.id).execute();
  return {
    personId: person.id,
    userIds: users.map((u) => u.id),
    phoneHashes: person.phone_cipher ? hashes(decrypt(person.phone_cipher)) : [],
    idNumberHashes: hashes(decrypt(person.id_number_cipher), "id:"),
  };
}

/**
 * A keyed hash (`id_number_hash`, `phone_hash`, `password_hash`, `code_hash`…) is a lookup key or a secret that
 * unlocks something, not data about the person: never in the copy, whatever the table.
 */
const isKeyColumn = (column: string) => column.endsWith("_hash");

/**
 * A stored value as a cell: an instant as Taizhou wall-clock text (2026-12-07 10:30 — the copy's cells are text, where
 * a date would show as Excel's serial number), files by their size (the copy is of the data, and a sheet holds no
 * files), JSON as text.
 */
function cellOf(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return `（文件，${value.byteLength} 字节）`;
  if (value instanceof Date) return toDateTimeLocal(value).replace("T", " ");
  if (typeof value === "number" || typeof value === "string") return value;
  if (typeof value === "bigint" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** Every row held about the subject, table by table (only the tables that hold some), as plain rows. */
export async function dataRowsOf(db: DB, subject: CopySubject): Promise<Array<{ table: Table; label: string; rows: Array<Record<string, unknown>> }>> {
  const found = [];
  for (const [name, entry] of Object.entries(DATA_MAP)) {
    if ("none" in entry) continue;
    const table = name as Table;
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where ${belongs(table, subject)} order by 1`.execute(db);
    if (!rows.length) continue;
    const shown = rows.map((row) =>
      Object.fromEntries(
        Object.entries(row)
          .filter(([column]) => !isKeyColumn(column) && !entry.omit?.includes(column))
          .map(([column, value]) => [column, entry.open?.includes(column) && typeof value === "string" && value ? decrypt(value) : value]),
      ),
    );
    found.push({ table, label: entry.label, rows: shown });
  }
  return found;
}

/**
 * The copy as an .xlsx: a first sheet saying what the file is and listing every table with what it holds of
 * them (or why it holds nothing personal), then one sheet per table that holds rows about them, its columns as
 * the database names them.
 */
export async function dataCopy(db: DB, subject: CopySubject, madeAt: string): Promise<Buffer> {
  const tables = await dataRowsOf(db, subject);
  const counts = new Map(tables.map((t) => [t.table, t.rows.length]));
  const index = Object.entries(DATA_MAP).map(([table, entry]) => ({
    table,
    what: "none" in entry ? entry.none : entry.label,
    rows: "none" in entry ? null : (counts.get(table as Table) ?? 0),
  }));
  const overview = sheet(
    "说明",
    `个人信息副本（${madeAt} 制作）：本平台保存的与您有关的全部记录，每张表一页`,
    [
      { header: "数据表", value: (r: (typeof index)[number]) => r.table, width: 26 },
      { header: "内容，或为何不含您的个人信息", value: (r) => r.what, width: 60 },
      { header: "与您有关的行数", kind: "number", value: (r) => r.rows },
    ],
    index,
  );
  const sheets: Sheet[] = tables.map(({ table, label, rows }) => {
    const columns = Object.keys(rows[0]);
    return sheet(
      table,
      label,
      columns.map((column) => ({ header: column, value: (row: Record<string, unknown>) => cellOf(row[column]) })),
      rows,
    );
  });
  return workbook(overview, ...sheets);
}
