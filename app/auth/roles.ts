import type { Role } from "~db/types";

export type { Role };

export const ROLE_LABELS: Record<Role, string> = {
  city_admin: "市总工会",
  county_officer: "县级总工会",
  craftsman: "台州工匠",
  expert: "评审专家",
};

/** The signed-in user as every loader and action sees it. */
export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** Set for county officers: the one unit whose people and records they may see. */
  orgUnitId: number | null;
  /** Set for craftsmen: their own person record. */
  personId: number | null;
}

/**
 * What each role may do at all. Whether it may do it to a given record is the scope's job
 * (see scope.server.ts): a county officer may read people, but only those of their own unit.
 */
export const PERMISSIONS = {
  "person.read": ["city_admin", "county_officer", "craftsman"],
  "person.create": ["city_admin", "county_officer"],
  "person.update": ["city_admin", "county_officer"],
  "person.reveal": ["city_admin"],
  "org_unit.read": ["city_admin", "county_officer"],
  "org_unit.manage": ["city_admin"],
  "user.manage": ["city_admin"],
  "audit.read": ["city_admin"],
  "sms.log": ["city_admin"],
  "campaign.read": ["city_admin", "county_officer"],
  "campaign.manage": ["city_admin"],
  "vote.manage": ["city_admin"],
  "expert.manage": ["city_admin"],
  "review.score": ["expert"],
  "nomination.create": ["city_admin", "county_officer"],
  "nomination.read": ["city_admin", "county_officer", "craftsman"],
  "studio.read": ["city_admin", "county_officer", "craftsman"],
  "milestone.verify": ["city_admin", "county_officer"],
  "evaluation.grade": ["city_admin", "county_officer"],
  "evaluation.criteria": ["city_admin"],
  "subsidy.read": ["city_admin", "county_officer", "craftsman"],
  "subsidy.policy": ["city_admin"],
  "event.read": ["city_admin", "county_officer", "craftsman"],
  "publicity.manage": ["city_admin", "county_officer"],
  "dashboard.read": ["city_admin", "county_officer"],
  "plan.manage": ["city_admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(user: Pick<SessionUser, "role"> | null, permission: Permission): boolean {
  return !!user && (PERMISSIONS[permission] as readonly Role[]).includes(user.role);
}
