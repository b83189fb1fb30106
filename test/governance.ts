import type { DB } from "~db";
import type { SessionUser } from "~/auth/roles";

let made = 0;

/** A decision document as the city records it (issuer, number, date, title), inserted directly: recording them is /documents' work. */
export async function makeDocument(
  db: DB,
  recordedBy: SessionUser,
  overrides: Partial<{ issuer: string; number: string; issued_on: string; title: string }> = {},
) {
  made += 1;
  return db
    .insertInto("decision_document")
    .values({
      issuer: "台州市总工会",
      number: `台总工〔2026〕${made}号`,
      issued_on: "2026-03-01",
      title: "关于撤销有关荣誉的决定",
      recorded_by: recordedBy.id,
      ...overrides,
    })
    .returning(["id", "number", "issuer", "issued_on"])
    .executeTakeFirstOrThrow();
}
