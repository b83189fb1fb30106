import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DATE_RANGES } from "~/lib/time";
import {
  confirmation,
  decimalNumber,
  isoDate,
  localTime,
  optionalChoice,
  optionalParsed,
  optionalText,
  recordId,
  requiredText,
  wholeNumber,
} from "~/lib/validation.server";

const CHINESE = /[\u4e00-\u9fff]/;

/** The field's messages when `value` is posted for it (what Conform hands zod: a string, or an array for a name posted twice). */
function messagesFor(field: z.ZodType, value: unknown): string[] {
  const parsed = z.object({ field }).safeParse({ field: value });
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
}

describe("the shared form field helpers", () => {
  const fields: Record<string, z.ZodType> = {
    isoDate: isoDate("日期", DATE_RANGES.past),
    wholeNumber: wholeNumber("人数", 1, 10),
    decimalNumber: decimalNumber("学时", 0.25, 24, 2),
    recordId: recordId("记录不存在"),
    requiredText: requiredText("意见", 10),
    optionalText: optionalText("意见", 10),
    optionalChoice: optionalChoice(["1", "2"], "请选择1或2"),
    optionalParsed: optionalParsed((v) => ({ ok: true, value: v }), "联系电话"),
    confirmation: confirmation(),
    localTime: localTime("开始时间"),
  };

  it.each(Object.keys(fields))("answers %s posted twice, or as a file, in Chinese", (name) => {
    for (const value of [["1", "2"], new File(["x"], "x.txt"), 7]) {
      const messages = messagesFor(fields[name], value);
      expect(messages.length, `${name} took ${String(value)}`).toBeGreaterThan(0);
      expect(messages.filter((m) => !CHINESE.test(m))).toEqual([]);
    }
  });

  it("takes the confirming press only as '1', and answers any other value in Chinese", () => {
    expect(confirmation().parse("1")).toBe(true);
    expect(confirmation().parse(undefined)).toBe(false);
    for (const value of ["yes", "true", "0", ""]) expect(messagesFor(confirmation(), value)).toEqual(["确认无效，请刷新页面后重试"]);
  });

  it("reads an optional choice: empty is null, one of the values is itself, anything else the message", () => {
    const choice = optionalChoice(["1", "2"], "请选择1或2");
    expect(choice.parse(undefined)).toBeNull();
    expect(choice.parse("  ")).toBeNull();
    expect(choice.parse(" 2 ")).toBe("2");
    expect(messagesFor(choice, "3")).toEqual(["请选择1或2"]);
  });
});
