import { sql, type Kysely } from "kysely";

// 专家评审 online: experts as accounts drawn from a pool into panels, a rubric per campaign,
// 回避 proposed and declared, and each expert's scores per criterion, drafted then submitted.
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `alter table app_user drop constraint app_user_role_check`,
    `alter table app_user add constraint app_user_role_check check (role in ('city_admin', 'county_officer', 'craftsman', 'expert'))`,
    // An expert's account is bound to neither a unit nor a person: what they see is what they are assigned.
    `alter table app_user drop constraint app_user_binding`,
    `alter table app_user add constraint app_user_binding check ((role = 'city_admin') or (role = 'county_officer' and org_unit_id is not null) or (role = 'craftsman' and person_id is not null) or (role = 'expert' and org_unit_id is null and person_id is null))`,
    // The pool. An expert's account is bound to their pool entry (expert.user_id), not to a unit or person.
    `create table expert (
      id serial primary key,
      user_id text unique references app_user (id),
      name text not null,
      field text not null,
      employer text not null,
      org_unit_id integer references org_unit (id),
      contact text not null default '',
      created_by text not null,
      created_at timestamptz not null default now()
    )`,
    `create table review_criterion (
      campaign_id integer not null references campaign (id),
      key text not null,
      label text not null,
      max_points integer not null check (max_points between 1 and 100),
      guidance text not null default '',
      sort_order integer not null,
      primary key (campaign_id, key)
    )`,
    `create table review_panel (
      id serial primary key,
      campaign_id integer not null references campaign (id),
      name text not null,
      field text not null,
      blind boolean not null default false,
      draw_seed integer,
      created_by text not null,
      created_at timestamptz not null default now()
    )`,
    `create table panel_member (
      panel_id integer not null references review_panel (id),
      expert_id integer not null references expert (id),
      primary key (panel_id, expert_id)
    )`,
    // A nomination is reviewed by one panel of its campaign.
    `create table panel_nomination (
      panel_id integer not null references review_panel (id),
      nomination_id integer not null unique references nomination (id),
      primary key (panel_id, nomination_id)
    )`,
    `create table recusal (
      expert_id integer not null references expert (id),
      nomination_id integer not null references nomination (id),
      source text not null check (source in ('auto', 'declared')),
      reason text not null,
      at timestamptz not null default now(),
      primary key (expert_id, nomination_id)
    )`,
    `create table expert_sheet (
      expert_id integer not null references expert (id),
      nomination_id integer not null references nomination (id),
      status text not null check (status in ('draft', 'submitted')),
      submitted_at timestamptz,
      reopened_reason text,
      updated_at timestamptz not null default now(),
      primary key (expert_id, nomination_id)
    )`,
    `create table expert_mark (
      expert_id integer not null,
      nomination_id integer not null,
      criterion_key text not null,
      points numeric(5, 1) not null check (points >= 0),
      comment text not null default '',
      primary key (expert_id, nomination_id, criterion_key),
      foreign key (expert_id, nomination_id) references expert_sheet (expert_id, nomination_id)
    )`,
  ])
    await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table expert_mark, expert_sheet, recusal, panel_nomination, panel_member, review_panel, review_criterion, expert`.execute(db);
  await sql`alter table app_user drop constraint app_user_role_check`.execute(db);
  await sql`alter table app_user add constraint app_user_role_check check (role in ('city_admin', 'county_officer', 'craftsman'))`.execute(db);
}
