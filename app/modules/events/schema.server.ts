import { z } from "zod";
import { refuse } from "~/lib/result";
import { decimalNumber, keysOf, localTime, optionalParsed, optionalText, queryParam, recordId, requiredText, whenValid } from "~/lib/validation.server";
import { KIND_LABELS } from "~/modules/events/reach";
import { idNumberField } from "~/modules/people/schema.server";

export const eventSchema = z
  .object({
    title: requiredText("活动名称", 100),
    kind: z.enum(["skill_exchange", "experience_sharing", "showcase", "training", "teaching", "competition"], { error: "请选择活动类型" }),
    organiser: z.string({ error: "请选择主办方" }).regex(/^(unit|studio):\d+$/, "请选择主办方"),
    startsAt: localTime("开始时间"),
    endsAt: localTime("结束时间"),
    channel: z.enum(["offline", "wechat", "weibo", "livestream", "other"], { error: "请选择活动形式" }),
    place: requiredText("地点或线上渠道", 200),
    description: z
      .string()
      .trim()
      .max(2000, "说明不能超过2000字")
      .optional()
      .transform((v) => v ?? ""),
    capacity: optionalParsed((v) => {
      const n = Number(v);
      return Number.isInteger(n) && n >= 1 && n <= 100000 ? { ok: true, value: n } : refuse("人数上限应为正整数");
    }, "人数上限"),
    seriesId: queryParam.id(),
    newSeries: optionalText("系列名称", 100),
  })
  .superRefine(
    (v, ctx) => {
      if (v.endsAt <= v.startsAt) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "结束时间应晚于开始时间" });
    },
    whenValid("startsAt", "endsAt"),
  );

export type EventInput = z.output<typeof eventSchema>;

export const outsiderSchema = z.object({
  outsideName: requiredText("姓名", 30),
  outsideEmployer: requiredText("工作单位", 100),
  outsideIndustry: requiredText("所属行业", 50),
  outsideUnitId: recordId("请选择所在县（市、区）"),
});

export const hoursSchema = z.object({
  participantId: recordId("参加人员不存在"),
  hours: decimalNumber("学时", 0, 200, 1),
});

export const checkinCodeSchema = z.object({
  code: z
    .string({ error: "请输入签到码" })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{6}$/, "签到码为6位字母或数字"),
});

export const eventFilterSchema = z.object({
  from: queryParam.day(),
  to: queryParam.day(),
  kind: queryParam.choice(keysOf(KIND_LABELS)),
  unitId: queryParam.id(),
  reach: z.enum(["unit", "industry", "region"]).optional().catch(undefined),
  page: queryParam.page(),
});

/** The organiser's rotating QR code, as it arrives on /checkin: the event, and the step's token. */
export const checkinScanSchema = z.object({
  e: recordId("二维码无效，请重新扫描"),
  t: z.string({ error: "二维码无效，请重新扫描" }).regex(/^\d{1,12}\.[0-9a-f]{16}$/, "二维码无效，请重新扫描"),
});

export const participantIdSchema = z.object({ participantId: recordId("参加人员不存在") });

// A person on the platform is registered by their ID number alone; the field and its messages are
// the people module's (required, so it is never null once parsed).
export const platformPersonSchema = z.object({ idNumber: idNumberField(true).transform((facts) => facts?.idNumber ?? "") });
