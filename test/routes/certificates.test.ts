import sharp from "sharp";
import { describe, expect, it } from "vitest";
import * as awardImage from "../../app/routes/awards.$number_.image";
import * as awardPdf from "../../app/routes/awards.$number_.pdf";
import * as awardPage from "../../app/routes/awards.$number";
import * as attendancePdf from "../../app/routes/certificates.$code_.pdf";
import * as attendanceImage from "../../app/routes/certificates.$code_.image";
import * as personPage from "../../app/routes/people.$personId._index/route";
import { useTestDb } from "../db";
import { makeAwardee, makeEvent, makeUser } from "../factories";
import { call, jsonOf } from "../http";

const t = useTestDb();

/** A PDF a reader opens: header, every xref offset at its object, the trailer's startxref at the xref, %%EOF. */
function expectValidPdf(bytes: Buffer) {
  const text = bytes.toString("latin1");
  expect(text.startsWith("%PDF-1.")).toBe(true);
  expect(text.trimEnd().endsWith("%%EOF")).toBe(true);
  const startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)![1]);
  expect(text.slice(startxref, startxref + 4)).toBe("xref");
  const entries = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
  expect(entries.length).toBeGreaterThan(3);
  entries.forEach((offset, i) => expect(text.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`));
  expect(text).toMatch(/\/Type \/Catalog/);
  expect(text).toMatch(/\/Subtype \/Image[^]*\/Filter \/DCTDecode/);
  return text;
}

let issued = 0;
async function attended() {
  issued++;
  const code = `JX7K2M9QAB${String(issued).padStart(2, "0")}`;
  const organiser = await makeUser(t.db, "county_officer", { unit: "wenling" });
  const holder = await makeAwardee(t.db, "wenling", "证书持有人");
  const event = await makeEvent(t.db, organiser.id, {
    title: "数控加工技艺交流会",
    kind: "skill_exchange",
    starts_at: new Date(Date.now() - 5 * 3_600_000),
    ends_at: new Date(Date.now() - 3 * 3_600_000),
    checkin_code: `CERT${String(issued).padStart(2, "0")}`,
  });
  await t.db
    .insertInto("event_participant")
    .values({ event_id: event.id, person_id: holder.person.id, attended: true, hours: 2, registered_by: organiser.id, certificate_code: code })
    .execute();
  return { holder, code };
}

describe("certificates a craftsman can keep", () => {
  it("gives the certificate of attendance as a PDF with its number and as a PNG, by its code only", async () => {
    const { code } = await attended();
    const pdf = await call(attendancePdf.loader, { db: t.db, path: `/certificates/${code}/pdf`, params: { code } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(pdf.headers.get("content-disposition")).toMatch(/^attachment;.*\.pdf/);
    const text = expectValidPdf(Buffer.from(await pdf.arrayBuffer()));
    expect(text).toContain(`(No. ${code}) Tj`);
    expect(text).toContain(`/Subject (${code})`);

    const image = await call(attendanceImage.loader, { db: t.db, path: `/certificates/${code}/image`, params: { code } });
    expect(image.headers.get("content-type")).toBe("image/png");
    const png = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
    expect([png.format, png.width, png.height]).toEqual(["png", 1240, 1754]);

    for (const wrong of ["JXAAAAAAAAAA", "JXNOPE", "' OR '1'='1"]) {
      expect((await call(attendancePdf.loader, { db: t.db, path: `/certificates/x/pdf`, params: { code: wrong } })).status).toBe(404);
      expect((await call(attendanceImage.loader, { db: t.db, path: `/certificates/x/image`, params: { code: wrong } })).status).toBe(404);
    }
  });

  it("gives the 台州工匠 certificate to its holder, their county and the city, and to the public only once it is published", async () => {
    const { person, user: holder } = await makeAwardee(t.db, "wenling", "获奖工匠");
    const { certificate_number: number } = await t.db
      .selectFrom("award")
      .select("certificate_number")
      .where("person_id", "=", person.id)
      .executeTakeFirstOrThrow();
    const params = { number };
    const pdfAs = (as: Awaited<ReturnType<typeof makeUser>> | undefined) => call(awardPdf.loader, { db: t.db, path: `/awards/${number}/pdf`, params, as });

    const own = await pdfAs(holder);
    expect(own.status).toBe(200);
    const text = expectValidPdf(Buffer.from(await own.arrayBuffer()));
    expect(text).toContain(`(No. ${number}) Tj`);
    expect((await pdfAs(await makeUser(t.db, "county_officer", { unit: "wenling" }))).status).toBe(200);
    expect((await pdfAs(await makeUser(t.db, "city_admin"))).status).toBe(200);

    // Someone else's, not published: as if it did not exist.
    const otherCraftsman = (await makeAwardee(t.db, "wenling", "另一位工匠")).user;
    for (const stranger of [undefined, otherCraftsman, await makeUser(t.db, "county_officer", { unit: "jiaojiang" })]) {
      expect((await pdfAs(stranger)).status).toBe(404);
      expect((await call(awardImage.loader, { db: t.db, path: `/awards/${number}/image`, params, as: stranger })).status).toBe(404);
      expect((await call(awardPage.loader, { db: t.db, path: `/awards/${number}`, params, as: stranger })).status).toBe(404);
    }
    expect((await call(awardPdf.loader, { db: t.db, path: "/awards/NOPE/pdf", params: { number: "NOPE" }, as: holder })).status).toBe(404);

    // Once the holder agrees to be shown, the certificate is public like the rest of their page.
    await t.db.insertInto("publication_consent").values({ person_id: person.id, consented: true, how_obtained: "书面同意", recorded_by: holder.id }).execute();
    expect((await pdfAs(undefined)).status).toBe(200);
    const page = await jsonOf(await call(awardPage.loader, { db: t.db, path: `/awards/${number}`, params }));
    expect(page.face.paragraphs[0]).toContain("获奖工匠 同志被授予第二届“台州工匠”称号");
  });

  it("lists a person's certificates on their own page", async () => {
    const { holder, code } = await attended();
    const { certificate_number } = await t.db
      .selectFrom("award")
      .select("certificate_number")
      .where("person_id", "=", holder.person.id)
      .executeTakeFirstOrThrow();
    const page = await call(personPage.loader, {
      db: t.db,
      path: `/people/${holder.person.id}`,
      params: { personId: String(holder.person.id) },
      as: holder.user,
    });
    const data = await jsonOf(page);
    expect(data.record.map((r: { certificate_number: string }) => r.certificate_number)).toContain(certificate_number);
    expect(data.events.rows.map((e: { certificate_code: string }) => e.certificate_code)).toEqual([code]);
  });
});
