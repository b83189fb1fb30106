import { sql, type Kysely } from "kysely";

// A sign-in that leaves for another site and comes back (issue 36): the government's single sign-on, WeChat's web
// authorisation. What the round trip must carry (the state's hash, the PKCE verifier, the nonce, where to go after)
// waits here, ten minutes, spent once; the browser holds the state in a cookie of its own, so a callback carried
// to another browser opens nothing.
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `create table sign_in_flow (
       state_hash text primary key,
       kind text not null check (kind in ('oidc', 'wechat')),
       data jsonb not null default '{}'::jsonb,
       redirect_to text not null default '/home' check (length(redirect_to) <= 2000),
       created_at timestamptz not null default now(),
       expires_at timestamptz not null,
       used_at timestamptz
     )`,
    `create index sign_in_flow_expires_idx on sign_in_flow (expires_at)`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`drop table sign_in_flow`).execute(db);
}
