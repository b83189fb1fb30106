import { sql, type Kysely } from "kysely";

// Sessions on a phone (issue 36): a sign-in by phone code (or WeChat) on the person's own browser lasts weeks, not
// twelve hours, and is bound to that browser's device token (sign_in_device). Each session now carries its own
// lifetime (it slides by it), the hash of the device it is bound to (none: any browser, twelve hours at most), the
// moment past which it never slides (a new code is asked for then), and a few words naming the device on the
// account page. A forgotten device takes its sessions with it.
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `alter table user_session
       add column lifetime_seconds integer not null default 43200 check (lifetime_seconds between 60 and 7776000),
       add column device_hash text references sign_in_device (token_hash) on delete cascade,
       add column not_after timestamptz,
       add column device_label text check (length(device_label) <= 40),
       add constraint user_session_long_only_on_device check (device_hash is not null or lifetime_seconds <= 43200)`,
    `create index user_session_device_idx on user_session (device_hash) where device_hash is not null`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `alter table user_session drop constraint user_session_long_only_on_device,
         drop column device_label, drop column not_after, drop column device_hash, drop column lifetime_seconds`,
    )
    .execute(db);
}
