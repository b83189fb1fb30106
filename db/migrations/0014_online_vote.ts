import { sql, type Kysely } from "kysely";

// The online public vote (网络投票): rules the city sets, one-time codes, ballots kept as facts
// (an invalidation is a new row, never a delete), and the replay store of the proof-of-work.
export async function up(db: Kysely<any>): Promise<void> {
  // One statement at a time: the embedded engine prepares each one.
  for (const statement of [
    `create table vote_rule (
      campaign_id integer primary key references campaign (id),
      opens_at timestamptz not null,
      closes_at timestamptz not null,
      max_choices integer not null check (max_choices between 1 and 50),
      per_candidate text not null check (per_candidate in ('once', 'daily')),
      tally_shown text not null check (tally_shown in ('live', 'daily', 'after_close')),
      tally_hour integer not null default 20 check (tally_hour between 0 and 23),
      vote_weight integer not null check (vote_weight between 0 and 100),
      set_by text not null,
      set_at timestamptz not null default now(),
      check (closes_at > opens_at)
    )`,
    // A solved challenge is spent on first use: its id here makes a replay fail.
    `create table vote_challenge (
      id text primary key,
      used_at timestamptz not null default now()
    )`,
    `create table vote_code (
      id bigserial primary key,
      campaign_id integer not null references campaign (id),
      phone_hash text not null,
      phone_masked text not null,
      code_hash text not null,
      address text,
      sent_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz,
      attempts integer not null default 0
    )`,
    `create index vote_code_phone_idx on vote_code (campaign_id, phone_hash, sent_at)`,
    `create index vote_code_address_idx on vote_code (address, sent_at)`,
    // A failed proof-of-work or a wrong code, by address: one of the patterns the monitor shows.
    `create table vote_failure (
      id bigserial primary key,
      campaign_id integer not null references campaign (id),
      address text,
      kind text not null check (kind in ('challenge', 'code')),
      at timestamptz not null default now()
    )`,
    `create index vote_failure_idx on vote_failure (campaign_id, address)`,
    // The voter's personal part (number hash and mask, block hash, address, device) is cleared
    // once the campaign is named; the ballot itself stays.
    `create table ballot (
      id bigserial primary key,
      campaign_id integer not null references campaign (id),
      phone_hash text,
      phone_masked text,
      block_hash text,
      address text,
      subnet text,
      device text,
      receipt text not null unique,
      cast_at timestamptz not null default now()
    )`,
    `create index ballot_campaign_idx on ballot (campaign_id, cast_at)`,
    // The per-candidate rule is this unique index: one choice per voter, candidate and period
    // (the whole window, or a Taizhou day).
    `create table ballot_choice (
      ballot_id bigint not null references ballot (id),
      nomination_id integer not null references nomination (id),
      campaign_id integer not null,
      voter_key text not null,
      period text not null,
      primary key (ballot_id, nomination_id),
      constraint ballot_choice_once unique (campaign_id, voter_key, nomination_id, period)
    )`,
    `create index ballot_choice_nomination_idx on ballot_choice (campaign_id, nomination_id)`,
    `create table ballot_invalidation (
      ballot_id bigint primary key references ballot (id),
      pattern text not null,
      reason text not null,
      by_user text not null,
      at timestamptz not null default now()
    )`,
    // Ballots and invalidations are facts: nothing deletes them, and a ballot changes only by
    // losing its personal part.
    `create function ballot_is_kept() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        raise exception 'ballots are kept';
      end if;
      if tg_table_name = 'ballot_invalidation' or new.campaign_id <> old.campaign_id or new.receipt <> old.receipt or new.cast_at <> old.cast_at
        or (new.phone_hash is not null and new.phone_hash is distinct from old.phone_hash)
        or (new.address is not null and new.address is distinct from old.address)
        or (new.device is not null and new.device is distinct from old.device) then
        raise exception 'ballots are kept';
      end if;
      return new;
    end $$`,
    `create trigger ballot_kept before update or delete on ballot for each row execute function ballot_is_kept()`,
    `create trigger ballot_invalidation_kept before update or delete on ballot_invalidation for each row execute function ballot_is_kept()`,
  ])
    await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table ballot_invalidation, ballot_choice, ballot, vote_failure, vote_code, vote_challenge, vote_rule`.execute(db);
  await sql`drop function ballot_is_kept`.execute(db);
}
