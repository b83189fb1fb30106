import { sql } from "kysely";
import type { DB, Tx } from "~db";
import { isCityAdmin, type SessionUser } from "~/auth/roles";
import { recordAudit } from "~/lib/audit.server";
import { sniffEvidenceType } from "~/lib/files";
import type { StoredFile } from "~/lib/file-response.server";
import { withoutMetadata } from "~/lib/image-metadata";
import { refuse, type Result } from "~/lib/result";
import { CAMPAIGN_AUDIT } from "~/modules/campaigns/labels";
import { campaignLabel } from "~/modules/campaigns/stages";
import {
  DOCUMENT_AUDIT,
  DOCUMENT_MAX_BYTES,
  documentLabel,
  STUDIO_PROGRAMME_AUDIT,
  type DocumentFileType,
  type StudioBasis,
  type TitleBasis,
} from "~/modules/governance/labels";
import { normaliseDocumentNumber, normaliseIssuer } from "~/modules/governance/policy";
import type { DocumentInput } from "~/modules/governance/schema.server";
import { isUniqueViolation } from "~/modules/people/people.server";

const onlyCity = () => refuse("决定文件由市总工会登记", { status: 403 });

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const startsWith = (bytes: Uint8Array, signature: number[]) => signature.every((b, i) => bytes[i] === b);
// A .docx is a zip whose directory names word/document.xml; entry names are stored as they are, so
// the name is found in the bytes without inflating anything.
const WORD_PART = new TextEncoder().encode("word/document.xml");

function holds(bytes: Uint8Array, part: Uint8Array): boolean {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.indexOf(part) >= 0;
}

/**
 * A document's file by its content, never by its name: PDF, JPEG or PNG (pictures without their
 * location and camera data), a .docx, or an old Word file (OLE, which Excel files share: the name
 * tells those apart, and only .doc/.wps are taken).
 */
export function checkDocumentFile(file: { name: string; bytes: Uint8Array }): Result<{ type: DocumentFileType; bytes: Uint8Array }> {
  const { name, bytes } = file;
  if (bytes.length === 0) return refuse(`“${name}”是空文件`, { field: "file" });
  if (bytes.length > DOCUMENT_MAX_BYTES) return refuse(`“${name}”超过 ${DOCUMENT_MAX_BYTES / 1024 / 1024} MB，请压缩后再上传`, { field: "file" });
  const evidence = sniffEvidenceType(bytes);
  if (evidence) return { ok: true, type: evidence, bytes: withoutMetadata(bytes, evidence) };
  if (startsWith(bytes, ZIP) && holds(bytes, WORD_PART)) {
    return { ok: true, type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", bytes };
  }
  if (startsWith(bytes, OLE) && /\.(doc|wps)$/i.test(name)) return { ok: true, type: "application/msword", bytes };
  return refuse(`“${name}”不是 PDF、Word 或图片文件（按文件内容判断，与扩展名无关）`, { field: "file" });
}

/** Records a decision document (the city's); one issuer's number is recorded once. */
export async function recordDocument(
  db: DB,
  actor: SessionUser,
  input: DocumentInput,
  upload: { name: string; bytes: Uint8Array } | null,
): Promise<Result<{ id: number }>> {
  if (!isCityAdmin(actor)) return onlyCity();
  const file = upload ? checkDocumentFile(upload) : null;
  if (file && !file.ok) return file;
  // Normalised on write, whoever calls: the unique (issuer, number) then holds for every way of typing them.
  const issuer = normaliseIssuer(input.issuer);
  const number = normaliseDocumentNumber(input.number);
  const duplicate = refuse(`${issuer}的“${number}”已经登记过`, { field: "number" });
  try {
    return await db.transaction().execute(async (tx) => {
      const existing = await tx.selectFrom("decision_document").select("id").where("issuer", "=", issuer).where("number", "=", number).executeTakeFirst();
      if (existing) return duplicate;
      const row = await tx
        .insertInto("decision_document")
        .values({
          issuer,
          number,
          issued_on: input.issuedOn,
          title: input.title,
          file: file ? Buffer.from(file.bytes) : null,
          file_type: file?.type ?? null,
          file_name: upload && file ? upload.name.slice(0, 200) : null,
          recorded_by: actor.id,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordAudit(tx, DOCUMENT_AUDIT, {
        actor,
        id: row.id,
        action: "create",
        after: { issuer, documentNumber: number, issuedOn: input.issuedOn, title: input.title, filename: upload?.name ?? null },
      });
      return { ok: true as const, id: row.id };
    });
  } catch (error) {
    // Two officers recording the same document at once: the second is told as if it had looked first.
    if (isUniqueViolation(error)) return duplicate;
    throw error;
  }
}

/** The register: every document, newest first, with what rests on it. */
export async function listDocuments(db: DB) {
  return db
    .selectFrom("decision_document as d")
    .select([
      "d.id",
      "d.issuer",
      "d.number",
      "d.issued_on",
      "d.title",
      "d.file_type",
      "d.recorded_at",
      sql<number[]>`coalesce((select array_agg(c.number order by c.number) from campaign c where c.basis_document_id = d.id), '{}')`.as("campaigns"),
      sql<boolean>`exists (select 1 from studio_programme p where p.basis_document_id = d.id)`.as("programme"),
      sql<number>`(select count(*)::int from studio s where s.accreditation_document_id = d.id)`.as("studios"),
    ])
    .orderBy("d.issued_on", "desc")
    .orderBy("d.id", "desc")
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, campaigns: r.campaigns.map(campaignLabel) })));
}

/** A document's file, for signed-in officers (the route checks who). */
export async function documentFile(db: DB, id: number): Promise<StoredFile | null> {
  const row = await db.selectFrom("decision_document").select(["file", "file_type", "file_name", "number"]).where("id", "=", id).executeTakeFirst();
  if (!row?.file || !row.file_type) return null;
  return { filename: row.file_name ?? row.number, content_type: row.file_type, data: row.file };
}

/** Recorded documents as a select offers them (a campaign's basis, the programme's, an accreditation batch). */
export async function documentChoices(db: DB): Promise<Array<{ value: number; label: string }>> {
  const rows = await db
    .selectFrom("decision_document")
    .select(["id", "issuer", "number", "title"])
    .orderBy("issued_on", "desc")
    .orderBy("id", "desc")
    .execute();
  return rows.map((d) => ({ value: d.id, label: documentLabel(d) }));
}

const basisColumns = ["d.issuer", "d.number", "d.issued_on", "d.title"] as const;
const asBasis = (d: { issuer: string; number: string; issued_on: string; title: string }): TitleBasis => ({
  issuer: d.issuer,
  number: d.number,
  issuedOn: d.issued_on,
  title: d.title,
});

/** One document as a basis, locked inside the caller's transaction (a revocation citing it at the same moment waits). */
async function documentBasis(tx: Tx, id: number): Promise<(TitleBasis & { id: number }) | null> {
  const row = await tx
    .selectFrom("decision_document as d")
    .select(["d.id", ...basisColumns])
    .where("d.id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  return row ? { id: row.id, ...asBasis(row) } : null;
}

/**
 * Why a document cannot be the basis titles are given under, if it cannot: one a revocation cites as its own
 * takes titles back (cited as a naming basis, /verify would name a revocation as what a title rests on).
 */
async function notABasis(tx: Tx, document: TitleBasis & { id: number }) {
  const revoking = await tx.selectFrom("revocation").select("id").where("document_id", "=", document.id).executeTakeFirst();
  return revoking ? refuse(`${document.number}是撤销决定的文件，不能作为命名或授牌的依据`, { field: "documentId" }) : null;
}

/** The naming decisions of campaigns, by campaign: what each of their titles rests on. */
export async function campaignBases(db: DB, campaignIds: number[]): Promise<Map<number, TitleBasis>> {
  if (!campaignIds.length) return new Map();
  const rows = await db
    .selectFrom("campaign")
    .innerJoin("decision_document as d", "d.id", "campaign.basis_document_id")
    .select(["campaign.id as campaign_id", ...basisColumns])
    .where("campaign.id", "in", campaignIds)
    .execute();
  return new Map(rows.map((r) => [r.campaign_id, asBasis(r)]));
}

/** The basis of a 台州工匠 title: its campaign's naming decision (null until the city records it). */
export async function campaignBasis(db: DB, campaignId: number): Promise<TitleBasis | null> {
  return (await campaignBases(db, [campaignId])).get(campaignId) ?? null;
}

/** The studio programme's approving document, if recorded. */
export async function programmeBasis(db: DB): Promise<(TitleBasis & { id: number }) | null> {
  const row = await db
    .selectFrom("studio_programme")
    .innerJoin("decision_document as d", "d.id", "studio_programme.basis_document_id")
    .select(["d.id", ...basisColumns])
    .executeTakeFirst();
  return row ? { id: row.id, ...asBasis(row) } : null;
}

/** The basis of a studio's plaque: the programme's document and its accreditation batch's. */
export async function studioBasis(db: DB, studioId: number): Promise<StudioBasis> {
  const [programme, accreditation] = await Promise.all([
    programmeBasis(db),
    db
      .selectFrom("studio")
      .innerJoin("decision_document as d", "d.id", "studio.accreditation_document_id")
      .select(basisColumns)
      .where("studio.id", "=", studioId)
      .executeTakeFirst(),
  ]);
  return { programme, accreditation: accreditation ? asBasis(accreditation) : null };
}

/** Sets a campaign's naming decision (the city's), kept in the campaign's history. */
export async function setCampaignBasis(db: DB, actor: SessionUser, campaignId: number, documentId: number): Promise<Result> {
  if (!isCityAdmin(actor)) return onlyCity();
  return db.transaction().execute(async (tx) => {
    const campaign = await tx.selectFrom("campaign").select(["id", "basis_document_id"]).where("id", "=", campaignId).forUpdate().executeTakeFirst();
    if (!campaign) return refuse("评选活动不存在", { status: 404 });
    const document = await documentBasis(tx, documentId);
    if (!document) return refuse("所选文件不存在，请先在“决定文件”中登记", { field: "documentId" });
    const refused = await notABasis(tx, document);
    if (refused) return refused;
    // Once titles are named, their basis is a decision that existed when they were: never one issued later.
    const named = await tx
      .selectFrom("award")
      .select((eb) => eb.fn.min("named_on").as("on"))
      .where("campaign_id", "=", campaignId)
      .executeTakeFirst();
    if (named?.on && document.issuedOn > named.on) {
      return refuse(`本届已于 ${named.on} 命名，命名依据的发文日期不能晚于命名日期（${document.number}发于 ${document.issuedOn}）`, {
        field: "documentId",
      });
    }
    if (campaign.basis_document_id === documentId) return { ok: true as const };
    const before = campaign.basis_document_id === null ? null : await documentBasis(tx, campaign.basis_document_id);
    await tx.updateTable("campaign").set({ basis_document_id: documentId }).where("id", "=", campaignId).execute();
    await recordAudit(tx, CAMPAIGN_AUDIT, {
      actor,
      id: campaignId,
      action: "set_basis",
      before: { basisDocument: before?.number ?? null },
      after: { basisDocument: document.number },
    });
    return { ok: true as const };
  });
}

/** Sets the studio programme's approving document (the city's). */
export async function setProgrammeBasis(db: DB, actor: SessionUser, documentId: number): Promise<Result> {
  if (!isCityAdmin(actor)) return onlyCity();
  return db.transaction().execute(async (tx) => {
    const document = await documentBasis(tx, documentId);
    if (!document) return refuse("所选文件不存在，请先登记", { field: "documentId" });
    const refused = await notABasis(tx, document);
    if (refused) return refused;
    // Studios were accredited under the programme: its approval cannot postdate the first of them.
    const first = await tx
      .selectFrom("studio")
      .select((eb) => eb.fn.min("accredited_on").as("on"))
      .executeTakeFirst();
    if (first?.on && document.issuedOn > first.on) {
      return refuse(`首个工作室已于 ${first.on} 授牌，创建活动的批准文件不能晚于该日（${document.number}发于 ${document.issuedOn}）`, {
        field: "documentId",
      });
    }
    const current = await tx.selectFrom("studio_programme").select("basis_document_id").where("id", "=", 1).forUpdate().executeTakeFirst();
    if (current?.basis_document_id === documentId) return { ok: true as const };
    const before = current ? await documentBasis(tx, current.basis_document_id) : null;
    await tx
      .insertInto("studio_programme")
      .values({ id: 1, basis_document_id: documentId, updated_by: actor.id })
      .onConflict((oc) => oc.column("id").doUpdateSet({ basis_document_id: documentId, updated_by: actor.id, updated_at: new Date() }))
      .execute();
    await recordAudit(tx, STUDIO_PROGRAMME_AUDIT, {
      actor,
      id: 1,
      action: "set_basis",
      before: { basisDocument: before?.number ?? null },
      after: { basisDocument: document.number },
    });
    return { ok: true as const };
  });
}
