import type { DB } from "../db";
import type { SessionUser } from "../app/auth/roles";
import { todayInTaizhou } from "../app/lib/time";
import { recordDocument, setCampaignBasis, setProgrammeBasis } from "../app/modules/governance/documents.server";

/** A PDF of one page, so a demo document's file opens in any viewer. */
const DOCUMENT_PDF = new TextEncoder().encode(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

/**
 * The basis of the demo's titles, through the module as the city records it: the second campaign's
 * naming decision, the third's notice, the studio programme's approval, and the 授牌决定 of the
 * studios accredited on 2019-01-10.
 */
export async function seedGovernance(db: DB, admin: SessionUser) {
  const record = async (number: string, issuedOn: string, title: string) => {
    const saved = await recordDocument(db, admin, { issuer: "台州市总工会", number, issuedOn, title }, { name: `${number}.pdf`, bytes: DOCUMENT_PDF });
    if (!saved.ok) throw new Error(saved.message);
    return saved.id;
  };
  const today = todayInTaizhou();
  const naming = await record("台总工〔2018〕10号", "2018-05-20", "关于命名第二届“台州工匠”的决定");
  const programme = await record("台总工〔2018〕3号", "2018-03-01", "关于开展台州工匠工作室创建活动的通知");
  const accreditation = await record("台总工〔2019〕2号", "2019-01-08", "关于命名首批台州工匠工作室的决定");
  const third = await record(`台总工〔${today.slice(0, 4)}〕5号`, today, "关于开展第三届“台州工匠”选树活动的通知");
  const campaigns = await db.selectFrom("campaign").select(["id", "number"]).execute();
  for (const c of campaigns) {
    const done = await setCampaignBasis(db, admin, c.id, c.number === 2 ? naming : third);
    if (!done.ok) throw new Error(done.message);
  }
  const set = await setProgrammeBasis(db, admin, programme);
  if (!set.ok) throw new Error(set.message);
  // The demo's studios were written accredited (seeds/studios.ts), as if by the 授牌 step: its decision with them.
  await db.updateTable("studio").set({ accreditation_document_id: accreditation }).where("plaque_number", "is not", null).execute();
}
