/**
 * Reach is computed from who actually attended, never typed in: 跨单位 when they came from more
 * than one employer, 跨行业 from more than one industry, 跨系统 from more than one of the broad
 * sectors the industries belong to, 跨区域 from more than one county-level unit.
 */

export const KIND_LABELS = {
  skill_exchange: "切磋技艺",
  experience_sharing: "交流经验",
  showcase: "展示技能",
  training: "研修培训",
  teaching: "带徒授课",
  competition: "技能竞赛",
} as const;

export const CHANNEL_LABELS = { offline: "线下", wechat: "微信群", weibo: "微博", livestream: "直播", other: "其他" } as const;

/** Industries grouped into the systems (行业系统) the union counts across. */
const SYSTEMS: Array<[system: string, industries: string[]]> = [
  ["先进制造业", ["汽车及零部件", "缝制设备", "泵与电机", "模具与塑料", "智能马桶与卫浴", "水暖阀门", "船舶修造", "机械", "制造"]],
  ["战略性新兴产业", ["医药化工", "信息技术", "新能源", "新材料", "生物医药"]],
  ["现代服务业", ["现代物流", "餐饮服务", "商贸", "金融", "服务"]],
  ["能源与建设", ["电力", "建筑施工", "交通", "轨道交通"]],
  ["传统工艺与农业", ["传统工艺", "食品加工", "农业"]],
];

export function systemOf(industry: string): string {
  const found = SYSTEMS.find(([, industries]) => industries.some((i) => industry === i || industry.includes(i)));
  return found ? found[0] : `其他（${industry}）`;
}

export interface Attendee {
  employer: string;
  industry: string;
  unitId: number | null;
}

export function computeReach(attendees: Attendee[]) {
  const distinct = (values: Array<string | number | null>) => new Set(values.filter((v) => v !== null && v !== "")).size;
  const employers = distinct(attendees.map((a) => a.employer.trim()));
  const industries = distinct(attendees.map((a) => a.industry.trim()));
  const systems = distinct(attendees.map((a) => (a.industry.trim() ? systemOf(a.industry.trim()) : null)));
  const regions = distinct(attendees.map((a) => a.unitId));
  return {
    attendees: attendees.length,
    employers,
    industries,
    systems,
    regions,
    crossUnit: employers > 1,
    crossIndustry: industries > 1,
    crossSystem: systems > 1,
    crossRegion: regions > 1,
  };
}

export type Reach = ReturnType<typeof computeReach>;

/** Hours an attendee is credited with by default: the event's length, to the half hour. */
export function defaultHours(startsAt: Date, endsAt: Date): number {
  return Math.max(0.5, Math.round(((endsAt.getTime() - startsAt.getTime()) / 3_600_000) * 2) / 2);
}

/** When check-in by code opens: an hour before the start (time to find the room and sign in on a phone). */
export function checkinOpensAt(event: { starts_at: Date | string }): Date {
  return new Date(new Date(event.starts_at).getTime() - 60 * 60_000);
}

/** Check-in by code is open from an hour before the start until the end. */
export function checkinOpen(event: { starts_at: Date | string; ends_at: Date | string }, now = new Date()): boolean {
  return now.getTime() >= checkinOpensAt(event).getTime() && now.getTime() <= new Date(event.ends_at).getTime();
}

export function finished(event: { ends_at: Date | string }, now = new Date()): boolean {
  return new Date(event.ends_at).getTime() < now.getTime();
}
