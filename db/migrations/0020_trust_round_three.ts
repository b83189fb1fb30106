import { sql, type Kysely } from "kysely";

// Trust, round three. One-time codes already in 短信记录 are masked (new ones are stored masked);
// a browser its owner signed in with is remembered, so guessing at the account does not slow the
// owner; a real-name objection keeps the objector's verified ID number and phone (encrypted) and
// where it was filed from, so the city can reach them and filing can be limited per address.
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `update sms_message
       set text = regexp_replace(text, '验证码是 [0-9]{6}', '验证码是 ******'),
           params = jsonb_set(params, '{code}', '"******"')
     where template = 'vote_code'`,
    `create table sign_in_device (
      token_hash text primary key,
      user_id text not null references app_user (id),
      created_at timestamptz not null default now(),
      last_used_at timestamptz not null default now()
    )`,
    `create index sign_in_device_user_idx on sign_in_device (user_id)`,
    `alter table objection_filing
       add column id_number_cipher text,
       add column phone_cipher text,
       add column address text`,
    `create index objection_filing_address_idx on objection_filing (address, filed_at)`,
    `create index objection_filing_phone_idx on objection_filing (phone_hash, filed_at)`,
  ])
    await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table objection_filing drop column id_number_cipher, drop column phone_cipher, drop column address`.execute(db);
  await sql`drop table sign_in_device`.execute(db);
}
