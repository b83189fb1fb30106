import { sql } from "kysely";
import type { DB } from "../db";

/**
 * City-scale volume for benchmarks, on top of the demo: N × (100 studios with their named
 * craftsmen, 2,000 apprentices, 20,000 milestones, 1,000 events with 20,000 participations,
 * 1,000 subsidy applications). Written with set-based SQL so ×10 takes seconds, not minutes.
 * The people here carry placeholder ciphertexts: this data is for measuring, never for use.
 */
export async function seedScale(db: DB, scale: number, log: (line: string) => void = () => {}) {
  const leaders = 100 * scale;
  const apprentices = 2000 * scale;
  const units = await db.selectFrom("org_unit").select("id").where("kind", "=", "county").orderBy("sort_order").execute();
  const unitIds = `array[${units.map((u) => u.id).join(",")}]`;
  const admin = await db.selectFrom("app_user").select("id").where("role", "=", "city_admin").executeTakeFirstOrThrow();
  const first = Number((await sql<{ n: number }>`select coalesce(max(id), 0) as n from person`.execute(db)).rows[0].n);

  await sql`
    insert into person (org_unit_id, name, sex, birth_date, ethnicity, education, political_status, employer, industry,
      position, title, skill_level, id_number_cipher, id_number_hash, id_number_masked, created_by)
    select (${sql.raw(unitIds)})[1 + i % ${units.length}], '测' || i, case when i % 5 = 0 then 'F' else 'M' end,
      date '1970-01-01' + (i % 12000), '汉族', '大专', '群众', '规模测试企业' || (i % 400), (array['汽车及零部件','泵与电机','缝制设备','信息技术','现代物流'])[1 + i % 5],
      '', '', case when i <= ${leaders} then '高级技师' else '中级工' end, 'v1:bench', 'bench-' || md5(i::text), '3310**********0000', ${admin.id}
    from generate_series(1, ${leaders + apprentices}) as i`.execute(db);
  log(`${leaders + apprentices} people`);

  const campaign = await db
    .insertInto("campaign")
    .values({ number: 90, year: 2019, title: "规模测试", nomination_deadline: "2019-03-31", status: "closed", title_count: leaders })
    .returning("id")
    .executeTakeFirstOrThrow();
  await sql`
    insert into nomination (campaign_id, person_id, seq, channel, nominating_unit_id, frontline_years, in_skill_post, conditions, qualification_result, candidate)
    select ${campaign.id}, ${first} + i, i, 'union', p.org_unit_id, 10, true, '{1}', 'pass', true
    from generate_series(1, ${leaders}) as i join person p on p.id = ${first} + i`.execute(db);
  await sql`
    insert into award (campaign_id, nomination_id, person_id, rank, title, certificate_number, named_on)
    select ${campaign.id}, n.id, n.person_id, n.seq, '规模测试', 'BENCH-' || n.seq, date '2019-05-20'
    from nomination n where n.campaign_id = ${campaign.id}`.execute(db);
  await sql`
    insert into studio (person_id, award_id, org_unit_id, name, host_enterprise, industry, focus_sector, address, focus_areas,
      founding_plan, status, plaque_number, accredited_on, created_by)
    select a.person_id, a.id, p.org_unit_id, p.name || '工匠工作室', p.employer, p.industry, 'advanced_manufacturing', '地址', '方向', '方案',
      'active', 'BENCH-P-' || a.rank, date '2019-01-01' + (a.rank % 2400), ${admin.id}
    from award a join person p on p.id = a.person_id where a.campaign_id = ${campaign.id}`.execute(db);
  log(`${leaders} studios`);

  await sql`
    insert into mentorship (studio_id, apprentice_id, start_date, planned_end, goals, created_by)
    select s.id, ${first + leaders}::int + i, date '2020-01-01' + (i % 1500), date '2028-12-31', '目标', ${admin.id}
    from generate_series(1, ${apprentices}) as i
    join lateral (select id from studio where award_id in (select id from award where campaign_id = ${campaign.id}) order by id offset (i % ${leaders}::int) limit 1) s on true`.execute(
    db,
  );
  log(`${apprentices} apprentices`);

  await sql`
    insert into milestone (mentorship_id, kind, occurred_on, details, status, created_by)
    select m.id, (array['skill_upgrade','competition','backbone','innovation'])[1 + i % 4], date '2020-01-01' + (i % 2400),
      case when i % 4 = 1 then '{"competitionName":"台州市职业技能大赛","competitionLevel":"city","placing":"二等奖"}'::jsonb
           else '{"fromLevel":"中级工","toLevel":"高级工","certificateNumber":"B"}'::jsonb end,
      case when i % 10 = 0 then 'pending' else 'verified' end, ${admin.id}
    from generate_series(1, ${20000 * scale}) as i
    join mentorship m on m.id = (select min(id) from mentorship) + (i % ${apprentices}::int)`.execute(db);
  log(`${20000 * scale} milestones`);

  await sql`
    insert into event (title, kind, org_unit_id, starts_at, ends_at, channel, place, checkin_code, created_by)
    select '规模测试活动' || i, (array['skill_exchange','experience_sharing','showcase','training','teaching','competition'])[1 + i % 6],
      (${sql.raw(unitIds)})[1 + i % ${units.length}], timestamptz '2020-01-01 06:00+00' + (i % 2400) * interval '1 day',
      timestamptz '2020-01-01 09:00+00' + (i % 2400) * interval '1 day', 'offline', '会议室', 'B' || lpad(i::text, 5, '0'), ${admin.id}
    from generate_series(1, ${1000 * scale}) as i`.execute(db);
  await sql`
    insert into event_participant (event_id, person_id, attended, hours, registered_by)
    select e.id, ${first + 1}::int + ((e.id * 20 + j) % ${leaders + apprentices}::int), true, 3, ${admin.id}
    from event e cross join generate_series(1, 20) as j
    where e.title like '规模测试活动%'
    on conflict do nothing`.execute(db);
  log(`${1000 * scale} events with their participations`);

  for (const year of [2024, 2025, 2026]) {
    await sql`insert into subsidy_policy (year, budget_fen, share_percent, holdback_percent, years_after_award)
      values (${year}, 10000000000, 50, 20, 10) on conflict (year) do nothing`.execute(db);
  }
  await sql`
    insert into subsidy_application (year, person_id, org_unit_id, current_education, target_degree, institution, programme, study_mode,
      enrolled_on, expected_graduation, tuition_fen, requested_fen, max_fen, status, created_by)
    select 2024 + i % 3, ${first + leaders}::int + i, p.org_unit_id, '大专', '本科', '台州学院', '机械', 'part_time', date '2024-09-01', date '2027-07-01',
      2000000, 1000000, 1000000, (array['submitted','county_approved','draft','returned'])[1 + i % 4], ${admin.id}
    from generate_series(1, ${1000 * scale}) as i join person p on p.id = ${first + leaders}::int + i`.execute(db);
  log(`${1000 * scale} subsidy applications`);
  // Fresh statistics, as after any bulk load: the planner otherwise guesses a handful of rows.
  await sql`analyze`.execute(db);
}
