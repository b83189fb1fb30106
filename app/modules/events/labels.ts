import { auditTrail } from "~/lib/audit";

export const EVENT_AUDIT = auditTrail("event", "交流培训活动", {
  create: "新建",
  update: "修改",
  participant_add: "登记参加人员",
  participant_join: "本人报名",
  participant_walk_in: "现场报名",
  checkin: "签到",
  hours: "登记学时",
});
