import type { Role } from "~db/types";

export type { Role };

export const ROLE_LABELS: Record<Role, string> = {
  city_admin: "市总工会",
  county_officer: "县级总工会",
  craftsman: "台州工匠",
  expert: "评审专家",
  apprentice: "学徒",
};

/**
 * The roles the city gives on the user forms (/users/new, /users/:id). An expert's account is made on
 * the experts page, an apprentice's by their own first code sign-in (it has no password to give).
 */
export const FORM_ROLES = ["city_admin", "county_officer", "craftsman"] as const satisfies readonly Role[];

interface UserBase {
  id: string;
  username: string;
  displayName: string;
}

/**
 * The signed-in user as every loader and action sees it: one shape per role, so what a role is
 * bound to is known by type — a county officer's unit, a craftsman's own person record — and an
 * expert is bound to neither (the database holds the same rule, app_user_binding).
 */
export type SessionUser =
  | (UserBase & { role: "city_admin"; orgUnitId: number | null; personId: number | null })
  | (UserBase & { role: "county_officer"; orgUnitId: number; personId: number | null })
  | (UserBase & { role: "craftsman"; orgUnitId: number | null; personId: number })
  | (UserBase & { role: "expert"; orgUnitId: null; personId: null })
  // An apprentice signs in with a phone code and is bound to their own person record only.
  | (UserBase & { role: "apprentice"; orgUnitId: null; personId: number });

/**
 * An apprentice's account name: made up from their person record, never typed (they sign in with a
 * phone code). The prefix is kept from the names officers give accounts, so none can take it.
 */
export const APPRENTICE_USERNAME_PREFIX = "apprentice-";
export const apprenticeUsername = (personId: number) => `${APPRENTICE_USERNAME_PREFIX}${personId}`;

export type UserOfRole<R extends Role> = Extract<SessionUser, { role: R }>;
export type CityAdmin = UserOfRole<"city_admin">;
export type CountyOfficer = UserOfRole<"county_officer">;
export type Craftsman = UserOfRole<"craftsman">;
export type Expert = UserOfRole<"expert">;
export type Apprentice = UserOfRole<"apprentice">;

export const isCityAdmin = (user: SessionUser): user is CityAdmin => user.role === "city_admin";
export const isCountyOfficer = (user: SessionUser): user is CountyOfficer => user.role === "county_officer";
export const isCraftsman = (user: SessionUser): user is Craftsman => user.role === "craftsman";
export const isExpert = (user: SessionUser): user is Expert => user.role === "expert";
export const isApprentice = (user: SessionUser): user is Apprentice => user.role === "apprentice";

/** The session user from an account row; a row that breaks its role's binding signs nobody in. */
export function sessionUserOf(row: {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  org_unit_id: number | null;
  person_id: number | null;
}): SessionUser | null {
  const base = { id: row.id, username: row.username, displayName: row.display_name };
  switch (row.role) {
    case "city_admin":
      return { ...base, role: row.role, orgUnitId: row.org_unit_id, personId: row.person_id };
    case "county_officer":
      return row.org_unit_id === null ? null : { ...base, role: row.role, orgUnitId: row.org_unit_id, personId: row.person_id };
    case "craftsman":
      return row.person_id === null ? null : { ...base, role: row.role, orgUnitId: row.org_unit_id, personId: row.person_id };
    case "expert":
      return { ...base, role: row.role, orgUnitId: null, personId: null };
    case "apprentice":
      return row.person_id === null ? null : { ...base, role: row.role, orgUnitId: null, personId: row.person_id };
  }
}

/**
 * What each role may do at all. An apprentice holds only what reads their own pairing and the events
 * they are on; everything else (people, nominations, studios, subsidies, the dashboard) is closed to them.
 * Whether it may do it to a given record is the scope's job
 * (see scope.server.ts): a county officer may read people, but only those of their own unit.
 */
export const PERMISSIONS = {
  "person.read": ["city_admin", "county_officer", "craftsman"],
  "person.create": ["city_admin", "county_officer"],
  "person.update": ["city_admin", "county_officer"],
  "person.reveal": ["city_admin"],
  // The honour register: the city enters and imports for everyone, a county officer for its own people (scope).
  "honour.manage": ["city_admin", "county_officer"],
  "org_unit.read": ["city_admin", "county_officer"],
  "org_unit.manage": ["city_admin"],
  "user.manage": ["city_admin"],
  "audit.read": ["city_admin"],
  "sms.log": ["city_admin"],
  // The retention schedule and its purge runs span every county's records: the city's.
  "retention.manage": ["city_admin"],
  "campaign.read": ["city_admin", "county_officer"],
  "campaign.manage": ["city_admin"],
  "vote.manage": ["city_admin"],
  "expert.manage": ["city_admin"],
  "review.score": ["expert"],
  "nomination.create": ["city_admin", "county_officer"],
  "nomination.read": ["city_admin", "county_officer", "craftsman"],
  "studio.read": ["city_admin", "county_officer", "craftsman"],
  // One pairing's page: an apprentice reaches their own only (mentorshipForViewer), never the studio's.
  "mentorship.read": ["city_admin", "county_officer", "craftsman", "apprentice"],
  "milestone.verify": ["city_admin", "county_officer"],
  // The year's 带徒政策: it prices what mentors are owed, so the officers read it; the city sets it.
  "mentoring.policy.read": ["city_admin", "county_officer"],
  "mentoring.policy": ["city_admin"],
  // 带徒津贴及奖励: a mentor reads what they are owed (their own scope), the officers their units';
  // recording a payment is the union's (the county, the city).
  "mentoring.payable": ["city_admin", "county_officer", "craftsman"],
  "mentoring.pay": ["city_admin", "county_officer"],
  "evaluation.grade": ["city_admin", "county_officer"],
  "evaluation.criteria": ["city_admin"],
  "subsidy.read": ["city_admin", "county_officer", "craftsman"],
  "subsidy.policy": ["city_admin"],
  // Other schemes' lists (全总, 省总 双提升…) carry whole provinces' people: the city imports and reads them.
  "subsidy.schemes": ["city_admin"],
  // Payment batches: they carry full account numbers to the bank and record money paid — the city's.
  "subsidy.pay": ["city_admin"],
  // The 公示 of approved subsidies: publishing it, and an objection's finding and its objector.
  "subsidy.notice": ["city_admin"],
  "event.read": ["city_admin", "county_officer", "craftsman"],
  // One event's page, read only for an apprentice and only if they are on its list (eventForViewer);
  // the lists of events and every step taken on one stay \`event.read\`.
  "event.view": ["city_admin", "county_officer", "craftsman", "apprentice"],
  "publicity.manage": ["city_admin", "county_officer"],
  "dashboard.read": ["city_admin", "county_officer"],
  "plan.manage": ["city_admin"],
  // Revocations are public decisions: the officers read them and record the recall of their units'
  // certificates and plaques; revoking is the city's.
  "revocation.read": ["city_admin", "county_officer"],
  "revocation.manage": ["city_admin"],
  "title.recall": ["city_admin", "county_officer"],
  // The rights desk (个人信息保护法): a person with a record asks about their own; the city answers and keeps the
  // policy; a county reads its own people's requests (it keeps those records) but does not answer.
  "privacy.request": ["craftsman", "apprentice"],
  "privacy.desk": ["city_admin", "county_officer"],
  "privacy.answer": ["city_admin"],
  // Decision documents (the basis of every title): the officers read the register and its files, the city records them.
  "document.read": ["city_admin", "county_officer"],
  "document.manage": ["city_admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(user: Pick<SessionUser, "role"> | null, permission: Permission): boolean {
  return !!user && (PERMISSIONS[permission] as readonly Role[]).includes(user.role);
}
