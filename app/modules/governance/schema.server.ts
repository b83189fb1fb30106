import { z } from "zod";
import { DATE_RANGES } from "~/lib/time";
import { isoDate, recordId, requiredText, whenValid } from "~/lib/validation.server";
import { documentNumberYear, isDocumentNumber, normaliseDocumentNumber, normaliseIssuer } from "~/modules/governance/policy";

/** A decision document as the city records it; its file comes beside the form (checked by content in the module). */
export const documentSchema = z
  .object({
    issuer: requiredText("发文机关", 60).transform(normaliseIssuer),
    number: requiredText("文号", 60).transform(normaliseDocumentNumber).refine(isDocumentNumber, "文号应如 台总工〔2018〕10号：机关代字、〔年份〕、序号"),
    issuedOn: isoDate("发文日期", DATE_RANGES.past),
    title: requiredText("文件标题", 200).transform((t) => t.replace(/^《|》$/g, "")),
  })
  .superRefine(
    (v, ctx) => {
      // A number's year is its issuing year: 台总工〔2019〕 dated 2018 is a slip in one of the two.
      const year = documentNumberYear(v.number);
      if (year !== null && String(year) !== v.issuedOn.slice(0, 4)) {
        ctx.addIssue({ code: "custom", path: ["issuedOn"], message: `发文日期应在文号的年份（${year}年）内` });
      }
    },
    whenValid("number", "issuedOn"),
  );

export type DocumentInput = z.output<typeof documentSchema>;

/** A choice of recorded document (a campaign's basis, the studio programme's). */
export const basisSchema = z.object({ documentId: recordId("请选择批准文件") });
