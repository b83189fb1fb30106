import type { Submission } from "@conform-to/react";
import { describe, expect, it } from "vitest";
import { parseWithZod } from "~/lib/form.server";
import { marksSchema, panelSchema } from "~/modules/experts/schema.server";

const rubric = [
  { key: "skill", label: "技能水平", max_points: 30 },
  { key: "mentoring", label: "传帮带", max_points: 20 },
];
/** What a form that did not parse says, by field. */
const errorsOf = (submission: Submission<unknown>) => (submission.status === "error" ? submission.error : null);
const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
};

describe("the score sheet's marks", () => {
  it("reads each criterion's mark and comment by its key, a blank mark as none yet", () => {
    const read = parseWithZod(form({ "points-skill": "27.5", "comment-skill": " 扎实 ", "points-mentoring": "" }), { schema: marksSchema(rubric, false) });
    expect(read.status).toBe("success");
    expect(read.status === "success" && read.value).toEqual({ skill: { points: 27.5, comment: "扎实" }, mentoring: { points: null, comment: "" } });
  });

  it("names every wrong mark at once, each under its own criterion's field", () => {
    const read = parseWithZod(form({ "points-skill": "八十", "points-mentoring": "25" }), { schema: marksSchema(rubric, false) });
    expect(errorsOf(read)).toEqual({
      "points-skill": ["“技能水平”的得分应为数字，最多一位小数"],
      "points-mentoring": ["“传帮带”的得分应在0到20之间，最小单位0.5分"],
    });
  });

  it("asks for every mark before submitting, and refuses a criterion the rubric does not have", () => {
    const unmarked = parseWithZod(form({ "points-skill": "20" }), { schema: marksSchema(rubric, true) });
    expect(errorsOf(unmarked)).toEqual({ "points-mentoring": ["请为“传帮带”打分后再提交"] });
    const forged = parseWithZod(form({ "points-skill": "20", "points-bribery": "10" }), { schema: marksSchema(rubric, false) });
    expect(errorsOf(forged)?.[""]).toEqual(["评审项目无效，请刷新页面后重试"]);
  });
});

describe("a panel's form", () => {
  it("answers a way of forming it that the page does not offer in Chinese", () => {
    const read = parseWithZod(form({ mode: "pick", name: "第一组" }), { schema: panelSchema });
    expect(errorsOf(read)?.mode).toEqual(["请选择组建方式"]);
  });
});
