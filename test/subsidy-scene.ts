import type { DB } from "../db";
import type { SubsidyStatus } from "../db/types";
import type { SessionUser } from "../app/auth/roles";
import { storedFileColumns } from "../app/lib/upload.server";
import { addDays, todayInTaizhou } from "../app/lib/time";
import { savePolicy } from "../app/modules/subsidies/subsidies.server";
import { insertCheckedChsi } from "./chsi";
import { hanDigits, makeAwardee, makePayee, makeUser, unitId } from "./factories";

const PDF = new TextEncoder().encode("%PDF-1.4\n%%EOF\n");

export interface SceneApplication {
  id: number;
  name: string;
  craftsman: SessionUser;
}

let serial = 0;

/**
 * A year's subsidy policy (half the tuition, `holdbackPercent` held until graduation) with the city
 * and 温岭's officer, and applications put straight into any state: each its own named craftsman's,
 * with an account to be paid to and the graduation certificate when asked. As the other gates ask:
 * one past the county's review has its 学信网 enrolment report checked, an approved one was in a
 * 公示 that is over (unless `published: false`), and a graduated one has its graduation report checked.
 */
export async function subsidyScene(db: DB, year: number, holdbackPercent = 20) {
  const city = await makeUser(db, "city_admin");
  const county = await makeUser(db, "county_officer", { unit: "wenling" });
  const saved = await savePolicy(db, city, year, {
    budget: 100_000_000,
    sharePercent: 50,
    holdbackPercent,
    yearsAfterAward: 10,
    open: true,
    caps: { 本科: 3_000_000 },
  });
  if (!saved.ok) throw new Error(saved.message);
  const wenling = await unitId(db, "wenling");
  let noticeId: number | undefined;
  /** The year's 公示, a month ago for seven days: over, so payment may follow. */
  const pastNotice = async () =>
    (noticeId ??= (
      await db
        .insertInto("subsidy_notice")
        .values({ year, starts_on: addDays(todayInTaizhou(), -30), ends_on: addDays(todayInTaizhou(), -24), published_by: city.id })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id);

  async function application(
    status: SubsidyStatus,
    options: { approvedFen?: number; heldFen?: number; payee?: boolean; graduated?: boolean; published?: boolean; year?: number } = {},
  ): Promise<SceneApplication> {
    const name = `拨付工匠${hanDigits(++serial)}`;
    const { person, user } = await makeAwardee(db, "wenling", name);
    const approved = options.approvedFen ?? 1_000_000;
    const held = options.heldFen ?? 0;
    const granted = ["approved", "disbursed", "closed"].includes(status);
    const { id } = await db
      .insertInto("subsidy_application")
      .values({
        year: options.year ?? year,
        person_id: person.id,
        org_unit_id: wenling,
        current_education: "大专",
        target_degree: "本科",
        institution: "台州学院",
        programme: "机械工程",
        study_mode: "part_time",
        enrolled_on: `${year - 1}-09-01`,
        expected_graduation: `${year + 2}-07-01`,
        tuition_fen: 2 * approved,
        requested_fen: approved,
        max_fen: approved,
        approved_fen: granted ? approved : null,
        paid_fen: status === "disbursed" ? approved - held : status === "closed" ? approved : 0,
        held_fen: status === "disbursed" ? held : 0,
        disbursed_on: status === "disbursed" || status === "closed" ? `${year}-03-01` : null,
        first_voucher: status === "disbursed" || status === "closed" ? "CW-EARLIER" : null,
        status,
        notice_id: granted && (options.published ?? true) ? await pastNotice() : null,
        created_by: user.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (options.payee ?? true) await makePayee(db, id);
    if (granted || status === "county_approved") await insertCheckedChsi(db, id, county.id);
    if (options.graduated) {
      await insertCheckedChsi(db, id, city.id, "graduation");
      await db
        .insertInto("subsidy_attachment")
        .values({ application_id: id, kind: "graduation", ...storedFileColumns({ name: "毕业证书.pdf", type: "application/pdf", bytes: PDF }, user.id) })
        .execute();
    }
    return { id, name, craftsman: user };
  }

  return { city, county, application };
}
