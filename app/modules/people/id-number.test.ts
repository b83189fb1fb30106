import { describe, expect, it } from "vitest";
import { crossCheckIdNumber, maskIdNumber, maskPhone, parseIdNumber, parsePhone } from "~/modules/people/id-number";
import { ETHNICITIES } from "~/modules/people/options";

// The worked examples of GB 11643-1999.
const STANDARD_FEMALE = "11010519491231002X";
const STANDARD_MALE = "440524188001010014";

describe("parseIdNumber", () => {
  it("accepts the standard's examples and reads birth date and sex from them", () => {
    expect(parseIdNumber(STANDARD_FEMALE)).toEqual({
      ok: true,
      value: { idNumber: STANDARD_FEMALE, birthDate: "1949-12-31", sex: "F" },
    });
  });

  it("reads full-width digits and ｘ as a Chinese phone keyboard types them", () => {
    const fullWidth = "１１０１０５ １９４９１２３１ ００２ｘ";
    expect(parseIdNumber(fullWidth)).toMatchObject({ ok: true, value: { idNumber: STANDARD_FEMALE } });
  });

  it("refuses the standard's 1880-born example as an implausible birth year for a worker", () => {
    expect(parseIdNumber(STANDARD_MALE)).toMatchObject({ ok: false, message: "身份证号码中的出生日期 1880-01-01 不合理" });
    expect(parseIdNumber("440524198001010013")).toMatchObject({ ok: true, value: { birthDate: "1980-01-01", sex: "M" } });
  });

  it("accepts a lower-case x and surrounding spaces, and normalises them", () => {
    const result = parseIdNumber(" 11010519491231002x ");
    expect(result).toMatchObject({ ok: true, value: { idNumber: STANDARD_FEMALE } });
  });

  it.each([
    ["", "请输入身份证号码"],
    ["11010519491231002", "身份证号码应为18位，当前为17位"],
    ["1101051949123100211", "身份证号码应为18位，当前为19位"],
    ["1101051949123100AX", "前17位应为数字"],
    ["11010519491231002Y", "前17位应为数字"],
    ["99010519491231002X", "“99”不是有效的省级地区代码"],
    ["110105194902300021", "出生日期 1949-02-30 不存在"],
    ["110105204912310021", "不合理"],
    ["110105189912310021", "不合理"],
    ["110105194912310021", "校验位不正确"],
  ])("rejects %j with a message saying what is wrong", (input, message) => {
    const result = parseIdNumber(input, new Date("2026-11-25"));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });

  it("cross-checks sex and birth date against the form", () => {
    const facts = { idNumber: STANDARD_FEMALE, birthDate: "1949-12-31", sex: "F" as const };
    expect(crossCheckIdNumber(facts, "F", "1949-12-31")).toBeNull();
    expect(crossCheckIdNumber(facts, "M", "1949-12-31")).toBe("身份证号码显示性别为“女”，与所填性别“男”不一致");
    expect(crossCheckIdNumber(facts, "F", "1950-01-01")).toBe("身份证号码中的出生日期为 1949-12-31，与所填出生日期 1950-01-01 不一致");
  });
});

describe("masking and phones", () => {
  it("shows only the first four digits of an ID number: none of the birth date, sequence or check digit", () => {
    expect(maskIdNumber("33108119850601123X")).toBe("3310**************");
  });

  it("masks the middle of phone numbers", () => {
    expect(maskPhone("13957612345")).toBe("139****2345");
    expect(maskPhone("057688881234")).toBe("057*****1234");
  });

  it("accepts mobile and landline numbers and explains what else it wants", () => {
    expect(parsePhone("139 5761 2345")).toEqual({ ok: true, value: "13957612345" });
    // A landline keeps the dash after its area code, as written; without one it is its digits.
    expect(parsePhone("0576-88881234")).toEqual({ ok: true, value: "0576-88881234" });
    expect(parsePhone("057688881234")).toEqual({ ok: true, value: "057688881234" });
    expect(parsePhone("12345")).toMatchObject({ ok: false, message: expect.stringContaining("11位手机号码") });
  });
});

it("lists the 56 ethnic groups once each", () => {
  expect(new Set(ETHNICITIES).size).toBe(56);
  expect(ETHNICITIES.length).toBe(56);
});
