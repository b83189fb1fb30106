import { auditTrail } from "~/lib/audit";

/** A decision document as the register records it (台总工〔2018〕10号 and the like). */
export const DOCUMENT_AUDIT = auditTrail("decision_document", "决定文件", { create: "登记" });

/** The studio programme's own approving document (one programme, one row). */
export const STUDIO_PROGRAMME_AUDIT = auditTrail("studio_programme", "工匠工作室创建活动", { set_basis: "登记批准文件" });

/** What a title rests on, as every page that names it shows it: who issued what, its number and date. */
export interface TitleBasis {
  issuer: string;
  number: string;
  issuedOn: string;
  title: string;
}

/** 2018-05-01 → 2018年5月1日, as a document's date is written in its own heading. */
export function chineseDate(iso: string): string {
  const [y, m, d] = iso.split("-");
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** “依据台州市总工会《关于命名…的决定》（台总工〔2018〕10号，2018年5月1日）” — the one wording of a basis. */
export function basisSentence(basis: TitleBasis): string {
  const title = basis.title.replace(/^《|》$/g, "");
  return `依据${basis.issuer}《${title}》（${basis.number}，${chineseDate(basis.issuedOn)}）`;
}

/** A basis and what was done under it, as one sentence: “依据…（台总工〔2018〕10号，2018年5月1日）命名。” */
export const basisLine = (basis: TitleBasis, act: string) => `${basisSentence(basis)}${act}。`;

/** What a studio's plaque rests on: the programme's approving document and the 授牌决定 of its batch. */
export interface StudioBasis {
  programme: TitleBasis | null;
  accreditation: TitleBasis | null;
}

/** A document as a select lists it: its number first, which is how officers cite it. */
export function documentLabel(d: { issuer: string; number: string; title: string }): string {
  return `${d.number} ${d.issuer}《${d.title.replace(/^《|》$/g, "")}》`;
}

/** The kinds of file a document may be kept as, found by content, with what the list calls them. */
export const DOCUMENT_FILE_LABELS = {
  "application/pdf": "PDF",
  "image/jpeg": "图片",
  "image/png": "图片",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
  "application/msword": "Word",
} as const;

export type DocumentFileType = keyof typeof DOCUMENT_FILE_LABELS;

/** A document's file: at most this many bytes (a scanned decision of several pages). */
export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;
