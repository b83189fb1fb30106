import { sql, type Kysely } from "kysely";

/**
 * Apprentices on the platform (issue 33): the apprentice as a user who signs in with a phone code,
 * the 师徒结对协议 confirmed by both sides and paused or resumed with a reason, the apprentice's log
 * of training the mentor confirms, three-party reviews on a schedule with private ratings, the
 * 出师考核 that ends a pairing, and the mentor's allowance and rewards, each paid once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    // The eighth principal: bound to their own person record, like a craftsman.
    `alter table app_user drop constraint app_user_role_check`,
    `alter table app_user add constraint app_user_role_check check (role in ('city_admin', 'county_officer', 'craftsman', 'expert', 'apprentice'))`,
    `alter table app_user drop constraint app_user_binding`,
    `alter table app_user add constraint app_user_binding check ((role = 'city_admin') or (role = 'county_officer' and org_unit_id is not null) or (role = 'craftsman' and person_id is not null) or (role = 'expert' and org_unit_id is null and person_id is null) or (role = 'apprentice' and person_id is not null))`,
    // One apprentice account per person.
    `create unique index app_user_apprentice_person on app_user (person_id) where role = 'apprentice'`,

    // A pairing may be paused (a break in learning) and resumed; both sides confirm the agreement.
    `alter table mentorship drop constraint mentorship_status_check`,
    `alter table mentorship add constraint mentorship_status_check check (status in ('active', 'paused', 'completed', 'ended_early'))`,
    `drop index mentorship_one_active`,
    `create unique index mentorship_one_active on mentorship (studio_id, apprentice_id) where status in ('active', 'paused')`,
    `alter table mentorship add column apprentice_confirmed_at timestamptz, add column mentor_confirmed_at timestamptz, add column mentor_confirmed_by text references app_user (id)`,
  ])
    await sql.raw(statement).execute(db);

  await db.schema
    .createTable("mentorship_pause")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("mentorship_id", "integer", (c) => c.notNull().references("mentorship.id"))
    .addColumn("paused_on", "date", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull().check(sql`length(reason) between 1 and 500`))
    .addColumn("paused_by", "text", (c) => c.notNull().references("app_user.id"))
    .addColumn("resumed_on", "date")
    .addColumn("resumed_by", "text", (c) => c.references("app_user.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("mentorship_pause_dates", sql`resumed_on is null or resumed_on >= paused_on`)
    .execute();
  // At most one open pause per pairing, whatever two clicks race.
  await sql`create unique index mentorship_pause_open on mentorship_pause (mentorship_id) where resumed_on is null`.execute(db);

  // One-time codes sent to a person's phone: to sign in, or to confirm the agreement.
  await db.schema
    .createTable("phone_code")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("person_id", "integer", (c) => c.references("person.id"))
    .addColumn("phone_hash", "text", (c) => c.notNull())
    .addColumn("purpose", "text", (c) => c.notNull().check(sql`purpose in ('sign_in', 'agreement')`))
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("address", "text")
    .addColumn("sent_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("used_at", "timestamptz")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("sms_id", "integer", (c) => c.references("sms_message.id"))
    .execute();
  await db.schema.createIndex("phone_code_phone_idx").on("phone_code").columns(["phone_hash", "purpose", "sent_at"]).execute();
  await db.schema.createIndex("phone_code_address_idx").on("phone_code").columns(["address", "sent_at"]).execute();

  await db.schema
    .createTable("apprentice_log")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("mentorship_id", "integer", (c) => c.notNull().references("mentorship.id"))
    .addColumn("on_date", "date", (c) => c.notNull())
    .addColumn("minutes", "integer", (c) => c.notNull().check(sql`minutes between 15 and 1440`))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('training', 'practice')`))
    .addColumn("content", "text", (c) => c.notNull().check(sql`length(content) between 1 and 1000`))
    .addColumn("photo", "bytea")
    .addColumn("photo_type", "text")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending").check(sql`status in ('pending', 'confirmed', 'returned')`))
    .addColumn("comment", "text")
    .addColumn("confirmed_by", "text", (c) => c.references("app_user.id"))
    .addColumn("confirmed_at", "timestamptz")
    .addColumn("created_by", "text", (c) => c.notNull().references("app_user.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("apprentice_log_photo", sql`(photo is null) = (photo_type is null)`)
    .execute();
  await db.schema.createIndex("apprentice_log_mentorship_idx").on("apprentice_log").columns(["mentorship_id", "on_date"]).execute();

  // Policy as data, per year like the studio cycle's: the review schedule and the mentor's pay.
  await db.schema
    .createTable("mentoring_policy")
    .addColumn("year", "integer", (c) => c.primaryKey())
    .addColumn("review_every_months", "integer", (c) => c.notNull().check(sql`review_every_months between 1 and 12`))
    .addColumn("allowance_per_year_fen", "bigint", (c) => c.notNull().check(sql`allowance_per_year_fen between 0 and 100000000`))
    .addColumn("passed_percent", "integer", (c) => c.notNull().check(sql`passed_percent between 0 and 200`))
    .addColumn("extended_percent", "integer", (c) => c.notNull().check(sql`extended_percent between 0 and 200`))
    .addColumn("terminated_percent", "integer", (c) => c.notNull().check(sql`terminated_percent between 0 and 200`))
    .addColumn("technician_reward_fen", "bigint", (c) => c.notNull().check(sql`technician_reward_fen between 0 and 100000000`))
    .addColumn("placing_reward_fen", "bigint", (c) => c.notNull().check(sql`placing_reward_fen between 0 and 100000000`))
    .addColumn("updated_by", "text", (c) => c.references("app_user.id"))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // A scheduled review: the nth period of a pairing, due on a date; each party signs it once.
  await db.schema
    .createTable("mentorship_review")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("mentorship_id", "integer", (c) => c.notNull().references("mentorship.id"))
    .addColumn("period", "integer", (c) => c.notNull().check(sql`period >= 1`))
    .addColumn("due_on", "date", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("mentorship_review_period", ["mentorship_id", "period"])
    .execute();
  await db.schema
    .createTable("mentorship_review_sign")
    .addColumn("review_id", "integer", (c) => c.notNull().references("mentorship_review.id"))
    .addColumn("party", "text", (c) => c.notNull().check(sql`party in ('mentor', 'apprentice', 'host')`))
    .addColumn("view", "text", (c) => c.notNull().check(sql`length(view) between 1 and 1000`))
    // Private: seen as a studio's average by the county and the city only.
    .addColumn("rating", "integer", (c) => c.check(sql`rating between 1 and 5`))
    .addColumn("signed_by", "text", (c) => c.notNull().references("app_user.id"))
    .addColumn("signed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("mentorship_review_sign_pk", ["review_id", "party"])
    .execute();

  // 出师考核: an 延期 keeps the pairing going to a new end, a later assessment ends it.
  await db.schema
    .createTable("mentorship_assessment")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("mentorship_id", "integer", (c) => c.notNull().references("mentorship.id"))
    .addColumn("assessed_on", "date", (c) => c.notNull())
    .addColumn("method", "text", (c) => c.notNull().check(sql`length(method) between 1 and 200`))
    .addColumn("examiners", "text", (c) => c.notNull().check(sql`length(examiners) between 1 and 200`))
    .addColumn("score", sql`numeric(5,1)`, (c) => c.check(sql`score between 0 and 100`))
    .addColumn("grade", "text")
    .addColumn("certificate", "text")
    .addColumn("result", "text", (c) => c.notNull().check(sql`result in ('passed', 'extended', 'terminated')`))
    .addColumn("extended_to", "date")
    .addColumn("evidence", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("comment", "text")
    .addColumn("recorded_by", "text", (c) => c.notNull().references("app_user.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("mentorship_assessment_mark", sql`score is not null or grade is not null`)
    .addCheckConstraint("mentorship_assessment_extension", sql`(result = 'extended') = (extended_to is not null)`)
    .execute();
  await db.schema.createIndex("mentorship_assessment_idx").on("mentorship_assessment").column("mentorship_id").execute();

  // What a mentor was paid, each owed item once: the key names it (allowance:<assessment>, technician:<milestone>, placing:<milestone>).
  await db.schema
    .createTable("mentor_payment")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("key", "text", (c) => c.notNull().unique())
    .addColumn("studio_id", "integer", (c) => c.notNull().references("studio.id"))
    .addColumn("mentor_id", "integer", (c) => c.notNull().references("person.id"))
    .addColumn("mentorship_id", "integer", (c) => c.notNull().references("mentorship.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('allowance', 'technician', 'placing')`))
    .addColumn("amount_fen", "bigint", (c) => c.notNull().check(sql`amount_fen >= 0`))
    .addColumn("paid_on", "date", (c) => c.notNull())
    .addColumn("payer", "text", (c) => c.notNull().check(sql`length(payer) between 1 and 100`))
    .addColumn("reference", "text", (c) => c.notNull().check(sql`length(reference) between 1 and 100`))
    .addColumn("recorded_by", "text", (c) => c.notNull().references("app_user.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("mentor_payment_studio_idx").on("mentor_payment").column("studio_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["mentor_payment", "mentorship_assessment", "mentorship_review_sign", "mentorship_review", "mentoring_policy", "apprentice_log", "phone_code", "mentorship_pause"])
    await db.schema.dropTable(t).execute();
  for (const statement of [
    `alter table mentorship drop column apprentice_confirmed_at, drop column mentor_confirmed_at, drop column mentor_confirmed_by`,
    `drop index mentorship_one_active`,
    `update mentorship set status = 'active' where status = 'paused'`,
    `create unique index mentorship_one_active on mentorship (studio_id, apprentice_id) where status = 'active'`,
    `alter table mentorship drop constraint mentorship_status_check`,
    `alter table mentorship add constraint mentorship_status_check check (status in ('active', 'completed', 'ended_early'))`,
    `drop index app_user_apprentice_person`,
    `delete from app_user where role = 'apprentice'`,
    `alter table app_user drop constraint app_user_binding`,
    `alter table app_user add constraint app_user_binding check ((role = 'city_admin') or (role = 'county_officer' and org_unit_id is not null) or (role = 'craftsman' and person_id is not null) or (role = 'expert' and org_unit_id is null and person_id is null))`,
    `alter table app_user drop constraint app_user_role_check`,
    `alter table app_user add constraint app_user_role_check check (role in ('city_admin', 'county_officer', 'craftsman', 'expert'))`,
  ])
    await sql.raw(statement).execute(db);
}
