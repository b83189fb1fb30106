import { sql, type Kysely } from "kysely";

// Retention as data (issue 35, item 5): a schedule per kind of personal data, each rule its period, the event it runs
// from, its basis in Chinese and the bounds the city may move it within; a purge run per rule and batch, naming the
// records it purged by id (never their values). Objectors' identities are erased in place, so their columns may be
// empty once the objection's outcome alone is kept.
const RULES: Array<[kind: string, keepDays: number, minDays: number, maxDays: number, after: string, basis: string, sort: number]> = [
  [
    "vote_phone",
    0,
    0,
    0,
    "评选命名（活动结束）",
    "网络投票的手机号仅用于核验“一号一票”和监测刷票，命名后即无必要；《个人信息保护法》第十九条：保存期限应为实现处理目的所必要的最短时间",
    1,
  ],
  [
    "objector_identity",
    180,
    30,
    730,
    "异议处理完毕（评选公示异议另须活动结束）",
    "保留异议内容及处理结论备查；异议人姓名、身份证号、手机号仅用于核实和答复，答复后留足复核期（行政复议申请期六十日）即删除；《个人信息保护法》第十九条、第四十七条",
    2,
  ],
  [
    "rejected_files",
    365,
    180,
    1825,
    "申请被驳回（成果不予认定）",
    "被驳回的补助申请、不予认定的带徒成果所附证明材料（录取通知书、发票、证书等）留存一年供申诉和审计核查，期满删除文件，申请、成果记录及驳回理由保留；《个人信息保护法》第十九条",
    3,
  ],
  [
    "sessions",
    30,
    7,
    180,
    "会话、验证码过期（设备记录为最后使用满一年）",
    "登录会话、短信验证码、登录限流记录过期后仅供安全排查短期留存；《个人信息保护法》第十九条、第五十一条（安全措施）",
    4,
  ],
  [
    "sms_messages",
    180,
    30,
    365,
    "短信发出（或发送失败）",
    "短信记录（含加密手机号）留存半年，供核对送达和处理投诉；《个人信息保护法》第十九条",
    5,
  ],
  [
    "access_logs",
    180,
    180,
    365,
    "日志写入当日",
    "《网络安全法》第二十一条第（三）项：留存相关的网络日志不少于六个月；日志已去除身份证号、手机号和各类验证码",
    6,
  ],
  [
    "backups",
    90,
    7,
    365,
    "备份生成",
    "备份用于灾难恢复；其中含已删除的个人信息，超期删除（始终保留最新 7 份）；《个人信息保护法》第十九条、第四十七条",
    7,
  ],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `create table retention_rule (
       kind text primary key,
       keep_days integer not null,
       min_days integer not null,
       max_days integer not null,
       after_event text not null check (length(after_event) between 1 and 100),
       basis text not null check (length(basis) between 1 and 500),
       sort_order integer not null,
       updated_by text references app_user (id),
       updated_at timestamptz not null default now(),
       check (min_days >= 0 and min_days <= max_days),
       check (keep_days between min_days and max_days)
     )`,

    `create table purge_run (
       id serial primary key,
       rule_kind text not null references retention_rule (kind),
       keep_days integer not null,
       started_at timestamptz not null default now(),
       finished_at timestamptz,
       purged integer not null check (purged >= 0),
       record_ids jsonb not null
     )`,
    `create index purge_run_started_idx on purge_run (started_at desc, id desc)`,
    `create index purge_run_unfinished_idx on purge_run (rule_kind) where finished_at is null`,

    `alter table objection_filing add column identity_erased_at timestamptz`,
    `alter table objection_filing alter column phone_hash drop not null`,
    `alter table subsidy_objection add column identity_erased_at timestamptz`,
    `alter table subsidy_objection alter column name_cipher drop not null`,
    `alter table subsidy_objection alter column id_number_cipher drop not null`,
    `alter table subsidy_objection alter column id_number_hash drop not null`,
    `alter table subsidy_objection alter column phone_cipher drop not null`,
    `alter table subsidy_objection alter column phone_hash drop not null`,
  ]) {
    await sql.raw(statement).execute(db);
  }
  for (const [kind, keepDays, minDays, maxDays, after, basis, sort] of RULES) {
    await db
      .insertInto("retention_rule")
      .values({ kind, keep_days: keepDays, min_days: minDays, max_days: maxDays, after_event: after, basis, sort_order: sort })
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `alter table subsidy_objection drop column identity_erased_at`,
    `alter table objection_filing drop column identity_erased_at`,
    `drop table purge_run`,
    `drop table retention_rule`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
