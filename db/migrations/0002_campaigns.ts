import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("campaign")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("number", "integer", (c) => c.notNull().unique().check(sql`number > 0`))
    .addColumn("year", "integer", (c) => c.notNull().check(sql`year between 2000 and 2100`))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("nomination_deadline", "date", (c) => c.notNull())
    .addColumn("quota_per_unit", "integer", (c) => c.notNull().defaultTo(5).check(sql`quota_per_unit > 0`))
    .addColumn("title_count", "integer", (c) => c.notNull().defaultTo(20).check(sql`title_count > 0`))
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("nominating")
        .check(
          sql`status in ('nominating', 'qualification', 'expert_review', 'online_vote', 'public_notice', 'final_approval', 'closed')`,
        ),
    )
    .addColumn("notice_start", "date")
    .addColumn("notice_end", "date")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("nomination")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaign.id"))
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull().check(sql`channel in ('union', 'social_group', 'self')`))
    .addColumn("nominating_unit_id", "integer", (c) => c.notNull().references("org_unit.id"))
    .addColumn("honors", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("achievements", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("deeds_summary", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("story", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("frontline_years", "integer", (c) => c.notNull().check(sql`frontline_years between 0 and 70`))
    .addColumn("in_skill_post", "boolean", (c) => c.notNull())
    .addColumn("teacher_or_researcher", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("conditions", sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn("quota_acknowledged_by", "text")
    .addColumn("quota_acknowledged_at", "timestamptz")
    .addColumn("qualification_result", "text", (c) => c.check(sql`qualification_result in ('pass', 'fail')`))
    .addColumn("qualification_reason", "text")
    .addColumn("candidate", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("vote_count", "integer", (c) => c.check(sql`vote_count >= 0`))
    .addColumn("withdrawn_reason", "text")
    .addColumn("final_rank", "integer")
    .addColumn("created_by", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("nomination_person_once", ["campaign_id", "person_id"])
    .addUniqueConstraint("nomination_seq_unique", ["campaign_id", "seq"])
    .execute();
  await db.schema.createIndex("nomination_unit_idx").on("nomination").columns(["campaign_id", "nominating_unit_id"]).execute();
  await db.schema.createIndex("nomination_person_idx").on("nomination").column("person_id").execute();

  // The four signed opinions of the 推荐审批表.
  await db.schema
    .createTable("nomination_opinion")
    .addColumn("nomination_id", "integer", (c) => c.notNull().references("nomination.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('employer', 'county', 'expert', 'city')`))
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("signer", "text", (c) => c.notNull())
    .addColumn("signed_on", "date", (c) => c.notNull())
    .addColumn("recorded_by", "text", (c) => c.notNull())
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("nomination_opinion_pk", ["nomination_id", "kind"])
    .execute();

  await db.schema
    .createTable("expert_score")
    .addColumn("nomination_id", "integer", (c) => c.notNull().references("nomination.id").onDelete("cascade"))
    .addColumn("expert_name", "text", (c) => c.notNull())
    .addColumn("score", "numeric(5, 2)", (c) => c.notNull().check(sql`score >= 0 and score <= 100`))
    .addColumn("recorded_by", "text", (c) => c.notNull())
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("expert_score_pk", ["nomination_id", "expert_name"])
    .execute();

  await db.schema
    .createTable("objection")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("nomination_id", "integer", (c) => c.notNull().references("nomination.id"))
    .addColumn("received_on", "date", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("content", "text", (c) => c.notNull())
    .addColumn("handling", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("outcome", "text", (c) =>
      c.notNull().defaultTo("pending").check(sql`outcome in ('pending', 'dismissed', 'upheld')`),
    )
    .addColumn("recorded_by", "text", (c) => c.notNull())
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("award")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaign.id"))
    .addColumn("nomination_id", "integer", (c) => c.notNull().unique().references("nomination.id"))
    .addColumn("person_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("rank", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("certificate_number", "text", (c) => c.notNull().unique())
    .addColumn("may_day_medal", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("named_on", "date", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("award_rank_unique", ["campaign_id", "rank"])
    .execute();
  await db.schema.createIndex("award_person_idx").on("award").column("person_id").execute();

  // A 汇总表 upload between preview and confirmation; rows are encrypted (they hold ID numbers).
  await db.schema
    .createTable("import_batch")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("campaign_id", "integer", (c) => c.notNull().references("campaign.id"))
    .addColumn("org_unit_id", "integer", (c) => c.notNull().references("org_unit.id"))
    .addColumn("uploaded_by", "text", (c) => c.notNull())
    .addColumn("filename", "text", (c) => c.notNull())
    .addColumn("rows_cipher", "text", (c) => c.notNull())
    .addColumn("row_count", "integer", (c) => c.notNull())
    .addColumn("error_count", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("previewed").check(sql`status in ('previewed', 'committed')`))
    .addColumn("summary", "jsonb")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("committed_at", "timestamptz")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["import_batch", "award", "objection", "expert_score", "nomination_opinion", "nomination", "campaign"]) {
    await db.schema.dropTable(t).execute();
  }
}
