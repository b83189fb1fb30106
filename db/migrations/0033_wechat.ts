import { sql, type Kysely } from "kysely";

// WeChat (issue 36, item 2): an openid bound to a person after a phone-code check, a vote that may require a WeChat
// identity as a second key, and the official account's access_token and jsapi_ticket cached for every process.
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    // One openid, one person: both sides unique. The openid is kept as a keyed hash — it is only ever compared.
    `create table wechat_identity (
       openid_hash text primary key,
       person_id integer not null unique references person (id),
       nickname text check (length(nickname) <= 100),
       bound_at timestamptz not null default now(),
       last_sign_in_at timestamptz
     )`,
    `alter table phone_code drop constraint phone_code_purpose_check`,
    `alter table phone_code add constraint phone_code_purpose_check check (purpose in ('sign_in', 'agreement', 'subsidy_objection', 'rights_request', 'wechat_bind'))`,
    `alter table vote_rule add column wechat_required boolean not null default false`,
    // The second key of a ballot: the voter's openid as a keyed hash per campaign; a choice per openid, candidate and
    // period, as the phone's is (ballot_choice_once), so two ballots racing with one openid leave one standing.
    `alter table ballot_choice add column wechat_key text`,
    `create unique index ballot_choice_wechat_once on ballot_choice (campaign_id, wechat_key, nomination_id, period) where wechat_key is not null`,
    // The official account's credentials, one row per kind, shared by every process (WeChat ends the previous
    // access_token a few minutes after a new one is fetched, so processes must not each fetch their own).
    `create table wechat_token (
       kind text primary key check (kind in ('access_token', 'jsapi_ticket')),
       value text not null,
       expires_at timestamptz not null,
       refreshed_at timestamptz not null default now(),
       refreshing_until timestamptz
     )`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `drop table wechat_token`,
    `drop index ballot_choice_wechat_once`,
    `alter table ballot_choice drop column wechat_key`,
    `alter table vote_rule drop column wechat_required`,
    `delete from phone_code where purpose = 'wechat_bind'`,
    `alter table phone_code drop constraint phone_code_purpose_check`,
    `alter table phone_code add constraint phone_code_purpose_check check (purpose in ('sign_in', 'agreement', 'subsidy_objection', 'rights_request'))`,
    `drop table wechat_identity`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
