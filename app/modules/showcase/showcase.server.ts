import { sql, type ExpressionBuilder, type JoinBuilder, type ReferenceExpression, type SqlBool } from "kysely";
import type { DB, Tx } from "~db";
import type { Database, Outlet } from "~db/types";
import { isCityAdmin, isCountyOfficer, type SessionUser } from "~/auth/roles";
import { isOfficerOf } from "~/auth/relation";
import { ownRowsOf } from "~/auth/scope.server";
import { checkEvidence } from "~/lib/files";
import { refuse, type Result } from "~/lib/result";
import { escapeLike, paginate } from "~/lib/sql";
import { recordAudit } from "~/lib/audit.server";
import { canEditPerson, canViewPerson } from "~/modules/people/policy";
import { ACTIVE_MENTORSHIPS } from "~/modules/studios/studios.server";
import { campaignBases, studioBasis } from "~/modules/governance/documents.server";
import { PERSON_AUDIT } from "~/modules/people/labels";
import { PUBLICITY_AUDIT, SHOWCASE_INDUSTRIES } from "~/modules/showcase/labels";
import { showcaseFilterSchema } from "~/modules/showcase/schema.server";
import { listCountyUnits } from "~/modules/org-units/org-units.server";

/**
 * What the public may see. Every query here selects its columns one by one — never a person's
 * ID number, phone or birth date — and shows a person only while their consent stands.
 */

const PUBLIC_STUDIO_STATES = ["accredited", "active"] as const;

/**
 * The condition of a left join of `publication_consent as consent`: the person's consent, matched
 * only while it stands — the one test of whether a person may be shown, wherever the public sees one.
 */
export function standingConsent(person: "person.id" | `${string}.person_id`) {
  return <D, T extends keyof D>(join: JoinBuilder<D, T>) => join.on(sql<SqlBool>`consent.person_id = ${sql.ref(person)} and consent.consented`);
}

function publishedAwardees(db: DB) {
  return (
    db
      .selectFrom("award")
      .innerJoin("person", "person.id", "award.person_id")
      .innerJoin("publication_consent as consent", "consent.person_id", "person.id")
      .innerJoin("org_unit", "org_unit.id", "person.org_unit_id")
      .innerJoin("campaign", "campaign.id", "award.campaign_id")
      .where("consent.consented", "=", true)
      // A revoked title is shown nowhere; a person whose only titles were revoked is off the showcase.
      .where("award.revocation_id", "is", null)
  );
}

/** What the list and the profile both show of a published awardee, and nothing more. */
const PUBLIC_AWARDEE_COLUMNS = [
  "person.id",
  "person.name",
  "person.employer",
  "person.industry",
  "person.skill_level",
  "org_unit.short_name as unit_name",
  "award.title as award_title",
] as const;

export interface ShowcaseFilter {
  q?: string;
  unitId?: number;
  industry?: string;
  campaignId?: number;
  page?: number;
}

/** A public list's filter: the words in any of its text columns, one unit, one industry. */
function matching<TB extends keyof Database>(
  filter: ShowcaseFilter,
  columns: { words: Array<ReferenceExpression<Database, TB>>; unit: ReferenceExpression<Database, TB>; industry: ReferenceExpression<Database, TB> },
) {
  return (eb: ExpressionBuilder<Database, TB>) => {
    const like = `%${escapeLike(filter.q ?? "")}%`;
    return eb.and([
      ...(filter.q ? [eb.or(columns.words.map((column) => eb(column, "ilike", like)))] : []),
      ...(filter.unitId ? [eb(columns.unit, "=", filter.unitId)] : []),
      ...(filter.industry ? [eb(columns.industry, "=", filter.industry)] : []),
    ]);
  };
}

/**
 * A public list page (the craftsmen, the studios): one page of `list` under the filter in the URL's
 * query, with the search form's choices of county and industry.
 */
export async function publicListPage<R extends object>(db: DB, query: Record<string, string>, list: (db: DB, filter: ShowcaseFilter) => Promise<R>) {
  const filter = showcaseFilterSchema.parse(query);
  const [result, units] = await Promise.all([list(db, filter), listCountyUnits(db)]);
  return { ...result, filter, units, industries: SHOWCASE_INDUSTRIES };
}

export async function publicCraftsmen(db: DB, filter: ShowcaseFilter) {
  let query = publishedAwardees(db).where(
    matching(filter, { words: ["person.name", "person.employer", "person.industry"], unit: "person.org_unit_id", industry: "person.industry" }),
  );
  if (filter.campaignId) query = query.where("award.campaign_id", "=", filter.campaignId);
  return paginate(
    query
      .select([
        ...PUBLIC_AWARDEE_COLUMNS,
        "award.rank",
        "campaign.number as campaign_number",
        "campaign.year as campaign_year",
        sql<boolean>`consent.photo is not null`.as("has_photo"),
        sql<string>`left(consent.story, 120)`.as("story_excerpt"),
      ])
      .orderBy("campaign.number", "desc")
      .orderBy("award.rank"),
    query,
    filter.page,
  );
}

export async function publicProfile(db: DB, personId: number) {
  const awards = await publishedAwardees(db)
    .select([
      ...PUBLIC_AWARDEE_COLUMNS,
      "person.title as professional_title",
      "award.certificate_number",
      "award.named_on",
      "campaign.year as campaign_year",
      "award.campaign_id",
      "consent.story",
      sql<boolean>`consent.photo is not null`.as("has_photo"),
    ])
    .where("person.id", "=", personId)
    .orderBy("award.named_on", "desc")
    .execute();
  if (!awards.length) return null;
  const [studio, coverage, bases] = await Promise.all([
    db
      .selectFrom("studio")
      .select(["id", "name", "host_enterprise"])
      .where("person_id", "=", personId)
      .where("status", "in", PUBLIC_STUDIO_STATES)
      .executeTakeFirst(),
    publicityFor(db, { personId }),
    campaignBases(
      db,
      awards.map((a) => a.campaign_id),
    ),
  ]);
  const withBasis = awards.map((a) => ({ ...a, basis: bases.get(a.campaign_id) ?? null }));
  return { ...withBasis[0]!, awards: withBasis, studio: studio ?? null, coverage };
}

export async function publicStudios(db: DB, filter: ShowcaseFilter) {
  const query = db
    .selectFrom("studio")
    .innerJoin("org_unit", "org_unit.id", "studio.org_unit_id")
    .where("studio.status", "in", PUBLIC_STUDIO_STATES)
    .where(matching(filter, { words: ["studio.name", "studio.host_enterprise", "studio.industry"], unit: "studio.org_unit_id", industry: "studio.industry" }));
  return paginate(
    query
      .select([
        "studio.id",
        "studio.name",
        "studio.host_enterprise",
        "studio.industry",
        "studio.focus_sector",
        "org_unit.short_name as unit_name",
        ACTIVE_MENTORSHIPS.as("apprentices"),
      ])
      .orderBy("studio.accredited_on", "desc"),
    query,
    filter.page,
  );
}

export async function publicStudio(db: DB, id: number) {
  const studio = await db
    .selectFrom("studio")
    .innerJoin("org_unit", "org_unit.id", "studio.org_unit_id")
    .leftJoin("publication_consent as consent", standingConsent("studio.person_id"))
    .select([
      "studio.id",
      "studio.name",
      "studio.host_enterprise",
      "studio.industry",
      "studio.focus_sector",
      "studio.focus_areas",
      "studio.plaque_number",
      "studio.accredited_on",
      "org_unit.short_name as unit_name",
      // The leader is linked only while they consent to their own page.
      sql<number | null>`case when consent.person_id is null then null else studio.person_id end`.as("leader_id"),
      ACTIVE_MENTORSHIPS.as("apprentices"),
    ])
    .where("studio.id", "=", id)
    .where("studio.status", "in", PUBLIC_STUDIO_STATES)
    .executeTakeFirst();
  if (!studio) return null;
  const [events, coverage, basis] = await Promise.all([
    db.selectFrom("event").select(["id", "title", "kind", "starts_at"]).where("studio_id", "=", id).orderBy("starts_at", "desc").limit(5).execute(),
    publicityFor(db, { studioId: id }),
    studioBasis(db, id),
  ]);
  return { ...studio, events, coverage, basis };
}

/**
 * A studio taken off by a revocation, as its plaque's QR code answers: its name and plaque number, the
 * document and the day — never the reason, which may concern a person. Null for any other studio.
 */
export async function revokedStudio(db: DB, id: number) {
  const row = await db
    .selectFrom("studio")
    .innerJoin("revocation", "revocation.id", "studio.revocation_id")
    .innerJoin("decision_document as d", "d.id", "revocation.document_id")
    .select(["studio.name", "studio.plaque_number", "revocation.revoked_on", "d.number as document_number", "d.issuer as document_issuer"])
    .where("studio.id", "=", id)
    .executeTakeFirst();
  return row ?? null;
}

export async function publicityFor(db: DB, { personId, studioId }: { personId?: number; studioId?: number }) {
  let query = db
    .selectFrom("publicity_item")
    .select(["id", "outlet", "outlet_name", "title", "published_on", "url", sql<boolean>`clipping is not null`.as("has_clipping")]);
  if (personId) query = query.where("person_id", "=", personId);
  if (studioId) query = query.where("studio_id", "=", studioId);
  return query.orderBy("published_on", "desc").execute();
}

export async function publicPhoto(db: DB, personId: number) {
  return db
    .selectFrom("publication_consent")
    .select(["photo", "photo_type"])
    .where("person_id", "=", personId)
    .where("consented", "=", true)
    .where("photo", "is not", null)
    .executeTakeFirst();
}

/**
 * A digest of the public photo (the share card's key: a new photo is a new card), without reading
 * the photo itself out of the database; null when there is none to show, under the same rule as publicPhoto.
 */
export async function publicPhotoDigest(db: DB, personId: number): Promise<string | null> {
  const row = await db
    .selectFrom("publication_consent")
    .select(sql<string>`md5(photo)`.as("digest"))
    .where("person_id", "=", personId)
    .where("consented", "=", true)
    .where("photo", "is not", null)
    .executeTakeFirst();
  return row?.digest ?? null;
}

/** A clipping is public while what it is about is: a consenting person, or a public studio. */
export async function publicClipping(db: DB, itemId: number) {
  return db
    .selectFrom("publicity_item as item")
    .leftJoin("publication_consent as consent", standingConsent("item.person_id"))
    .leftJoin("studio", (join) => join.onRef("studio.id", "=", "item.studio_id").on("studio.status", "in", PUBLIC_STUDIO_STATES))
    .select(["item.clipping", "item.clipping_type", "item.title"])
    .where("item.id", "=", itemId)
    .where("item.clipping", "is not", null)
    .where((eb) => eb.or([eb("consent.person_id", "is not", null), eb("studio.id", "is not", null)]))
    .executeTakeFirst();
}

export async function consentOf(db: DB, personId: number) {
  return db
    .selectFrom("publication_consent")
    .select(["consented", "how_obtained", "story", "recorded_at", sql<boolean>`photo is not null`.as("has_photo")])
    .where("person_id", "=", personId)
    .executeTakeFirst();
}

export async function recordConsent(
  db: DB,
  actor: SessionUser,
  personId: number,
  input: { howObtained: string; story: string; photo: { name: string; bytes: Uint8Array } | null },
): Promise<Result> {
  const person = await db.selectFrom("person").select(["id", "org_unit_id"]).where("id", "=", personId).executeTakeFirst();
  if (!person) return refuse("人员不存在", { status: 404 });
  if (!canEditPerson(actor, person)) return refuse("只有本人所在单位的工会或市总工会可以登记公开同意", { status: 403 });
  let photo: { data: Uint8Array; type: string } | null = null;
  if (input.photo) {
    const check = checkEvidence(input.photo.name, input.photo.bytes);
    if (!check.ok || check.type === "application/pdf") return refuse("照片须为 JPEG 或 PNG 图片，不超过 5 MB");
    photo = { data: check.bytes, type: check.type };
  }
  await db.transaction().execute(async (tx) => {
    const values = {
      consented: true,
      how_obtained: input.howObtained,
      story: input.story,
      recorded_by: actor.id,
      recorded_at: new Date(),
      ...(photo ? { photo: Buffer.from(photo.data), photo_type: photo.type } : {}),
    };
    await tx
      .insertInto("publication_consent")
      .values({ person_id: personId, ...values })
      .onConflict((oc) => oc.column("person_id").doUpdateSet(values))
      .execute();
    await recordAudit(tx, PERSON_AUDIT, { actor, id: personId, unit: person.org_unit_id, action: "consent_given", comment: input.howObtained });
  });
  return { ok: true };
}

/** Withdrawal takes the person off every public page at once, and their photo with them. */
export async function withdrawConsent(db: DB, actor: SessionUser, personId: number, reason: string): Promise<Result> {
  const person = await db.selectFrom("person").select(["id", "org_unit_id"]).where("id", "=", personId).executeTakeFirst();
  if (!person) return refuse("人员不存在", { status: 404 });
  if (!canEditPerson(actor, person)) return refuse("您无权操作", { status: 403 });
  await db.transaction().execute((tx) => withdrawConsentIn(tx, actor, person, reason));
  return { ok: true };
}

/**
 * The withdrawal itself, in the caller's transaction: the officer's step above, or the person's own request at
 * the rights desk (modules/privacy), which takes effect as it is filed. The photo goes with the consent.
 */
export async function withdrawConsentIn(tx: Tx, actor: SessionUser, person: { id: number; org_unit_id: number }, reason: string): Promise<void> {
  await tx
    .updateTable("publication_consent")
    .set({ consented: false, photo: null, photo_type: null, recorded_by: actor.id, recorded_at: new Date() })
    .where("person_id", "=", person.id)
    .execute();
  await recordAudit(tx, PERSON_AUDIT, { actor, id: person.id, unit: person.org_unit_id, action: "consent_withdrawn", comment: reason });
}

export type PublicityInput = {
  outlet: Outlet;
  outletName: string;
  title: string;
  publishedOn: string;
  url: string | null;
  personId: number | null;
  studioId: number | null;
};

export async function addPublicity(
  db: DB,
  actor: SessionUser,
  input: PublicityInput,
  clipping: { name: string; bytes: Uint8Array } | null,
): Promise<Result<{ id: number }>> {
  if (!isCityAdmin(actor) && !isCountyOfficer(actor)) return refuse("宣传报道由工会登记", { status: 403 });
  // The units the report is about: the person's and the studio's. The item is filed under the
  // first; a county may log it only when every one is its own (a report about one's own craftsman
  // must not land on another county's public studio page).
  const units: number[] = [];
  if (input.personId) {
    const person = await db.selectFrom("person").select("org_unit_id").where("id", "=", input.personId).executeTakeFirst();
    if (!person) return refuse("人员不存在", { status: 404 });
    units.push(person.org_unit_id);
  }
  if (input.studioId) {
    const studio = await db.selectFrom("studio").select("org_unit_id").where("id", "=", input.studioId).executeTakeFirst();
    if (!studio) return refuse("工作室不存在", { status: 404 });
    units.push(studio.org_unit_id);
  }
  const unitId = units[0];
  if (unitId === undefined) return refuse("请选择报道的工匠或工作室");
  if (units.some((u) => !isOfficerOf(actor, u))) {
    return refuse("只能登记本单位工匠或工作室的报道", { status: 403 });
  }
  let file: { data: Uint8Array; type: string } | null = null;
  if (clipping) {
    const check = checkEvidence(clipping.name, clipping.bytes);
    if (!check.ok) return refuse(check.message);
    // The checked bytes: the clipping without its location and camera data.
    file = { data: check.bytes, type: check.type };
  }
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto("publicity_item")
      .values({
        outlet: input.outlet,
        outlet_name: input.outletName,
        title: input.title,
        published_on: input.publishedOn,
        url: input.url,
        clipping: file ? Buffer.from(file.data) : null,
        clipping_type: file?.type ?? null,
        person_id: input.personId,
        studio_id: input.studioId,
        org_unit_id: unitId,
        recorded_by: actor.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(tx, PUBLICITY_AUDIT, { actor, id: row.id, unit: unitId, action: "create", after: { ...input } });
    return { ok: true as const, id: row.id };
  });
}

export async function listPublicity(db: DB, user: SessionUser) {
  return db
    .selectFrom("publicity_item")
    .leftJoin("person", "person.id", "publicity_item.person_id")
    .leftJoin("studio", "studio.id", "publicity_item.studio_id")
    .select([
      "publicity_item.id",
      "publicity_item.outlet",
      "publicity_item.outlet_name",
      "publicity_item.title",
      "publicity_item.published_on",
      "publicity_item.url",
      "person.name as person_name",
      "studio.name as studio_name",
      "publicity_item.person_id",
      "publicity_item.studio_id",
    ])
    .where(ownRowsOf(user, { unit: "publicity_item.org_unit_id", person: "publicity_item.person_id" }))
    .orderBy("publicity_item.published_on", "desc")
    .limit(200)
    .execute();
}

/** The subjects an officer may log coverage for: named craftsmen and public studios in scope. */
export async function publicitySubjects(db: DB, user: SessionUser) {
  const [people, studios] = await Promise.all([
    db
      .selectFrom("award")
      .innerJoin("person", "person.id", "award.person_id")
      .select(["person.id", "person.name"])
      .distinct()
      .where(ownRowsOf(user, { unit: "person.org_unit_id", person: "person.id" }))
      .orderBy("person.name")
      .execute(),
    db
      .selectFrom("studio")
      .select(["id", "name"])
      .where("status", "in", PUBLIC_STUDIO_STATES)
      .where(ownRowsOf(user, { unit: "org_unit_id", person: "person_id" }))
      .orderBy("name")
      .execute(),
  ]);
  return { people, studios };
}

/** Award certificate numbers: valid, revoked (by which document, when) or unknown; the holder named only while they consent. */
export async function verifyAward(db: DB, code: string) {
  const award = await db
    .selectFrom("award")
    .leftJoin("publication_consent as consent", standingConsent("award.person_id"))
    .leftJoin("person", "person.id", "award.person_id")
    .leftJoin("revocation", "revocation.id", "award.revocation_id")
    .leftJoin("decision_document as d", "d.id", "revocation.document_id")
    .select([
      "award.title",
      "award.named_on",
      "award.campaign_id",
      sql<string | null>`case when consent.person_id is null then null else person.name end`.as("name"),
      "revocation.revoked_on",
      "d.number as document_number",
      "d.issuer as document_issuer",
    ])
    .where("award.certificate_number", "=", code)
    .executeTakeFirst();
  return award ?? null;
}

/**
 * The 台州工匠 certificate behind a certificate number, for the one who holds it, their county's
 * officers and the city; for anyone else only while its holder has agreed to be shown (the
 * numbers run in order, so the number alone opens nothing). Others get 404, as if it did not exist.
 * A revoked title's certificate is printed for nobody: /verify says what became of it.
 */
export async function awardCertificate(db: DB, user: SessionUser | null, number: string) {
  // Numbers are letters, digits and dashes (TZGJ-3-001); anything else is no number at all.
  if (!/^[A-Za-z0-9-]{1,40}$/.test(number)) return null;
  const row = await db
    .selectFrom("award")
    .innerJoin("person", "person.id", "award.person_id")
    .innerJoin("campaign", "campaign.id", "award.campaign_id")
    .leftJoin("publication_consent as consent", standingConsent("award.person_id"))
    .select([
      "award.person_id",
      "award.title",
      "award.certificate_number",
      "award.named_on",
      "award.may_day_medal",
      "person.name",
      "person.org_unit_id",
      "campaign.number as campaign_number",
      "award.campaign_id",
      sql<boolean>`consent.person_id is not null`.as("published"),
    ])
    .where("award.certificate_number", "=", number)
    .where("award.revocation_id", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  if (row.published) return row;
  return user && canViewPerson(user, { id: row.person_id, org_unit_id: row.org_unit_id }) ? row : null;
}
