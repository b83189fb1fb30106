import { createElement, type ComponentType, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import type * as RemixReact from "@remix-run/react";
import * as documentsPage from "../../app/routes/documents";
import * as documentFile from "../../app/routes/document-files.$documentId";
import * as studioPage from "../../app/routes/studios.$studioId._index/route";
import * as plaquePage from "../../app/routes/studios.$studioId.plaque";
import * as profilePage from "../../app/routes/showcase.craftsmen.$personId";
import * as publicStudioPage from "../../app/routes/showcase.studios.$studioId";
import * as verifyPage from "../../app/routes/verify";
import * as awardPage from "../../app/routes/awards.$number";
import { useTestDb } from "../db";
import { PDF } from "../files";
import { accreditationBatch, giveBasis, makeAwardee, makeDocument, makeRevocationDocument, makeStudio, makeUser } from "../factories";
import * as campaignPage from "../../app/routes/campaigns.$campaignId._index/route";
import { revokeAward } from "../../app/modules/governance/revocation.server";
import { call, jsonOf, type CallOptions } from "../http";

// Pages are rendered as the server renders them, with the loader's answer as their data.
const rendering = vi.hoisted(() => ({ data: null as unknown }));
vi.mock("@remix-run/react", async (original) => ({
  ...(await original<typeof RemixReact>()),
  useLoaderData: () => rendering.data,
  useActionData: () => undefined,
  useNavigation: () => ({ state: "idle" }),
  Link: ({ to, children }: { to: string; children: ReactNode }) => createElement("a", { href: to }, children),
  Form: ({ children }: { children: ReactNode }) => createElement("form", null, children),
}));

const t = useTestDb();

type Route = { loader: (args: never) => unknown; default: ComponentType };

/** A page's text as a user reads it. */
async function pageText(route: Route, options: Omit<CallOptions, "db">): Promise<string> {
  const response = await call(route.loader as never, { db: t.db, ...options });
  expect(response.status).toBe(200);
  rendering.data = await jsonOf(response);
  return renderToString(createElement(route.default))
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

/** A named craftsman who agreed to be shown, their campaign's naming decision recorded, and their running studio accredited under a batch. */
async function scene() {
  const city = await makeUser(t.db, "city_admin");
  const { person } = await makeAwardee(t.db, "wenling", "依据工匠");
  await t.db
    .insertInto("publication_consent")
    .values({ person_id: person.id, consented: true, how_obtained: "本人签署同意书", story: "扎根一线二十年。", recorded_by: city.id })
    .execute();
  const award = await t.db.selectFrom("award").select(["campaign_id", "certificate_number"]).where("person_id", "=", person.id).executeTakeFirstOrThrow();
  const naming = await giveBasis(t.db, award.campaign_id);
  const programme = await makeDocument(t.db, { issued_on: "2018-03-01", title: "关于开展台州工匠工作室创建活动的通知" });
  await t.db
    .insertInto("studio_programme")
    .values({ id: 1, basis_document_id: programme.id, updated_by: city.id })
    .onConflict((oc) => oc.column("id").doUpdateSet({ basis_document_id: programme.id }))
    .execute();
  const studio = await makeStudio(t.db, person.id, city.id, { name: "依据工匠工作室" });
  await t.db
    .updateTable("studio")
    .set({ accreditation_document_id: await accreditationBatch(t.db) })
    .where("id", "=", studio.id)
    .execute();
  return { city, person, award, naming, programme, studio };
}

const NAMING = (number: string) => `依据台州市总工会《关于命名第二届“台州工匠”的决定》（${number}，2018年5月18日）命名。`;
const PROGRAMME = (number: string) => `依据台州市总工会《关于开展台州工匠工作室创建活动的通知》（${number}，2018年3月1日）开展工匠工作室创建。`;
const BATCH = "依据台州市总工会《关于命名首批台州工匠工作室的决定》（台总工〔2019〕2号，2019年1月8日）授牌。";

describe("the basis of every title, as the public and the holder read it", () => {
  it("names the naming decision on the public profile, the verify answer and the certificate face", async () => {
    const { person, award, naming } = await scene();
    expect(await pageText(profilePage, { path: `/showcase/craftsmen/${person.id}`, params: { personId: String(person.id) } })).toContain(NAMING(naming.number));
    expect(await pageText(verifyPage, { path: `/verify?code=${award.certificate_number}` })).toContain(NAMING(naming.number));
    const certificate = await jsonOf(
      await call(awardPage.loader, { db: t.db, path: `/awards/${award.certificate_number}`, params: { number: award.certificate_number } }),
    );
    expect(certificate.face.paragraphs).toContain(NAMING(naming.number));
  });

  it("keeps a campaign's basis from being swapped for a revocation's decision, so verify never cites one as the naming basis", async () => {
    const { city, award, naming } = await scene();
    const revoking = await makeRevocationDocument(t.db, { number: "台总工〔2026〕3号" });
    const other = await makeAwardee(t.db, "jiaojiang", "被撤销者");
    const revoked = await t.db.selectFrom("award").select("certificate_number").where("person_id", "=", other.person.id).executeTakeFirstOrThrow();
    expect(
      await revokeAward(t.db, city, {
        documentId: revoking.id,
        revokedOn: "2026-03-02",
        reason: "弄虚作假",
        confirmed: true,
        certificateNumber: revoked.certificate_number,
      }),
    ).toMatchObject({ ok: true });
    const path = `/campaigns/${award.campaign_id}`;
    const swap = await call(campaignPage.action, {
      db: t.db,
      path,
      params: { campaignId: String(award.campaign_id) },
      as: city,
      form: { intent: "basis", documentId: String(revoking.id) },
    });
    expect([swap.status, await jsonOf(swap)]).toEqual([
      400,
      expect.objectContaining({ field: "documentId", message: "台总工〔2026〕3号是撤销决定的文件，不能作为命名或授牌的依据" }),
    ]);
    const text = await pageText(verifyPage, { path: `/verify?code=${award.certificate_number}` });
    expect(text).toContain(NAMING(naming.number));
    expect(text).not.toContain("台总工〔2026〕3号");
  });

  it("words the verify answer of a holder who did not agree to be shown without a bracket in a bracket, valid or revoked", async () => {
    const { person } = await makeAwardee(t.db, "wenling", "不公开工匠");
    const city = await makeUser(t.db, "city_admin");
    const award = await t.db.selectFrom("award").select(["campaign_id", "certificate_number"]).where("person_id", "=", person.id).executeTakeFirstOrThrow();
    const naming = await giveBasis(t.db, award.campaign_id);
    const path = `/verify?code=${award.certificate_number}`;
    const valid = await pageText(verifyPage, { path });
    expect(valid).toContain(`获证人（未同意公开姓名），2018-05-20 被授予第二届“台州工匠”称号，由台州市总工会颁发。`);
    expect(valid).toContain(NAMING(naming.number));
    expect(valid).not.toContain("不公开工匠");
    const revoking = await makeRevocationDocument(t.db, { number: "台总工〔2026〕4号" });
    const certificateNumber = award.certificate_number;
    expect(
      await revokeAward(t.db, city, { documentId: revoking.id, revokedOn: "2026-03-02", reason: "弄虚作假", confirmed: true, certificateNumber }),
    ).toMatchObject({
      ok: true,
    });
    const revoked = await pageText(verifyPage, { path });
    expect(revoked).toContain(`证书 ${certificateNumber}（第二届“台州工匠”称号）已于 2026-03-02 由台州市总工会以台总工〔2026〕4号撤销。`);
    expect(revoked).not.toContain("（（");
  });

  it("names the programme's document and the accreditation batch on the public studio page and the plaque", async () => {
    const { city, programme, studio } = await scene();
    const params = { studioId: String(studio.id) };
    const publicText = await pageText(publicStudioPage, { path: `/showcase/studios/${studio.id}`, params });
    const plaqueText = await pageText(plaquePage, { path: `/studios/${studio.id}/plaque`, params, as: city });
    for (const text of [publicText, plaqueText]) {
      expect(text).toContain(PROGRAMME(programme.number));
      expect(text).toContain(BATCH);
    }
  });
});

describe("the register of decision documents", () => {
  it("is recorded by the city with its file, read by the counties, and its file served to officers only", async () => {
    const city = await makeUser(t.db, "city_admin");
    const county = await makeUser(t.db, "county_officer", { unit: "jiaojiang" });
    const { user: craftsman } = await makeAwardee(t.db, "wenling", "文件读者");
    const form = { intent: "save", issuer: "台州市总工会", number: "台总工[2018]10号", issuedOn: "2018-05-18", title: "关于命名第二届“台州工匠”的决定" };
    const file = new File([PDF], "决定.pdf", { type: "application/pdf" });
    expect((await call(documentsPage.action, { db: t.db, path: "/documents", as: county, form: { ...form, file } })).status).toBe(403);
    const saved = await call(documentsPage.action, { db: t.db, path: "/documents", as: city, form: { ...form, file } });
    expect(await jsonOf(saved)).toMatchObject({ ok: true, message: "已登记" });
    const text = await pageText(documentsPage, { path: "/documents", as: county });
    expect(text).toContain("台总工〔2018〕10号");
    expect(text).toContain("2018年5月18日");
    const { id } = await t.db.selectFrom("decision_document").select("id").where("number", "=", "台总工〔2018〕10号").executeTakeFirstOrThrow();
    const served = await call(documentFile.loader, { db: t.db, path: `/document-files/${id}`, params: { documentId: String(id) }, as: county });
    expect([served.status, served.headers.get("content-type")]).toEqual([200, "application/pdf"]);
    expect((await call(documentFile.loader, { db: t.db, path: `/document-files/${id}`, params: { documentId: String(id) }, as: craftsman })).status).toBe(403);
  });

  it("sets the studio programme's document on the same page", async () => {
    const city = await makeUser(t.db, "city_admin");
    const document = await makeDocument(t.db, { issued_on: "2018-03-01", title: "关于开展台州工匠工作室创建活动的通知" });
    const set = await call(documentsPage.action, { db: t.db, path: "/documents", as: city, form: { intent: "programme", documentId: String(document.id) } });
    expect(set.status).toBe(200);
    expect(await pageText(documentsPage, { path: "/documents", as: city })).toContain(PROGRAMME(document.number));
  });
});

describe("the 授牌 step", () => {
  it("is refused without the accreditation decision, and keeps the one chosen", async () => {
    const city = await makeUser(t.db, "city_admin");
    const { person } = await makeAwardee(t.db, "wenling", "待授牌工匠");
    const studio = await makeStudio(t.db, person.id, city.id, { status: "county_reviewed", plaque_number: null, accredited_on: null });
    const params = { studioId: String(studio.id) };
    const accredit = (extra: Record<string, string>) =>
      call(studioPage.action, {
        db: t.db,
        path: `/studios/${studio.id}`,
        params,
        as: city,
        form: {
          intent: "step",
          step: "accredit",
          expected: "county_reviewed",
          plaqueNumber: "TZGJGZS-900",
          accreditedOn: "2019-01-10",
          confirmed: "1",
          ...extra,
        },
      });
    const refused = await accredit({});
    expect([refused.status, await jsonOf(refused)]).toEqual([
      400,
      expect.objectContaining({ field: "accreditationDocumentId", message: "请选择授牌决定文件" }),
    ]);
    expect((await accredit({ accreditationDocumentId: "999999" })).status).toBe(400);
    const batch = await accreditationBatch(t.db);
    // Accredited before its decision was issued (2019-01-08), or under a revocation's own document.
    const early = await accredit({ accreditationDocumentId: String(batch), accreditedOn: "2019-01-07" });
    expect([early.status, await jsonOf(early)]).toEqual([
      400,
      expect.objectContaining({ field: "accreditedOn", message: "授牌日期不能早于授牌决定的发文日期（2019-01-08）" }),
    ]);
    const revoking = await makeRevocationDocument(t.db);
    const { person: revokedPerson } = await makeAwardee(t.db, "wenling", "已撤销者");
    const revokedCertificate = await t.db.selectFrom("award").select("certificate_number").where("person_id", "=", revokedPerson.id).executeTakeFirstOrThrow();
    const done = await revokeAward(t.db, city, {
      documentId: revoking.id,
      revokedOn: "2026-03-02",
      reason: "弄虚作假",
      confirmed: true,
      certificateNumber: revokedCertificate.certificate_number,
    });
    expect(done).toMatchObject({ ok: true });
    const underRevocation = await accredit({ accreditationDocumentId: String(revoking.id), accreditedOn: "2026-03-05" });
    expect([underRevocation.status, await jsonOf(underRevocation)]).toEqual([400, expect.objectContaining({ field: "accreditationDocumentId" })]);
    expect((await accredit({ accreditationDocumentId: String(batch) })).status).toBe(200);
    const row = await t.db.selectFrom("studio").select(["status", "accreditation_document_id"]).where("id", "=", studio.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "accredited", accreditation_document_id: batch });
  });
});
