import { sql, type Kysely } from "kysely";

// The officers' single sign-on and their second factor (issue 36, item 1).
//
// external_identity: who a provider says signed in — (issuer, subject), the provider's stable id — and, once the city
// has bound it, the officer account it opens. An identity is recorded at its first sign-in with no account (nothing is
// ever created from it); the city binds it. One identity opens one account and an account has at most one identity.
// Only the provider's display name is kept, so the city can recognise whom it binds; nothing else of the claims.
//
// second_factor: a city officer's TOTP secret (RFC 6238), sealed with a key derived from APP_ENCRYPTION_KEY; active from
// enabled_at; last_step is the last 30-second step accepted, so no code is accepted twice.
//
// second_factor_challenge: a password sign-in waiting for its code: the hash of a token in the browser's cookie, five
// minutes, five tries; purged with the sessions' retention rule.
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `create table external_identity (
       id serial primary key,
       issuer text not null check (length(issuer) between 1 and 500),
       subject text not null check (length(subject) between 1 and 255),
       display_name text check (length(display_name) <= 100),
       user_id text references app_user (id),
       bound_by text references app_user (id),
       bound_at timestamptz,
       first_seen_at timestamptz not null default now(),
       last_seen_at timestamptz not null default now(),
       unique (issuer, subject),
       check ((user_id is null) = (bound_at is null))
     )`,
    `create unique index external_identity_user_idx on external_identity (user_id) where user_id is not null`,
    `create table second_factor (
       id serial primary key,
       user_id text not null unique references app_user (id),
       secret text not null,
       enabled_at timestamptz,
       last_step integer,
       created_at timestamptz not null default now()
     )`,
    `create table second_factor_challenge (
       token_hash text primary key,
       user_id text not null references app_user (id),
       device_hash text,
       tries integer not null default 0 check (tries >= 0),
       created_at timestamptz not null default now(),
       expires_at timestamptz not null
     )`,
    `create index second_factor_challenge_expires_idx on second_factor_challenge (expires_at)`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`drop table second_factor_challenge; drop table second_factor; drop table external_identity`).execute(db);
}
