import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** Timestamps are written by the database (defaults / now()) and read back as Date. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp with a database default that updates may set. */
type TouchedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export type OrgUnitKind = "city" | "county" | "social_group";
export type Role = "city_admin" | "county_officer" | "craftsman";
export type Sex = "M" | "F";

export interface OrgUnitTable {
  id: Generated<number>;
  code: string;
  name: string;
  short_name: string;
  kind: OrgUnitKind;
  sort_order: number;
  created_at: CreatedAt;
}

export interface PersonTable {
  id: Generated<number>;
  org_unit_id: number;
  name: string;
  sex: Sex;
  /** ISO date string YYYY-MM-DD (both drivers are configured to return dates as text). */
  birth_date: string;
  ethnicity: string;
  education: string;
  political_status: string;
  employer: string;
  industry: string;
  position: string;
  title: string;
  skill_level: string;
  id_number_cipher: string;
  id_number_hash: string;
  id_number_masked: string;
  phone_cipher: string | null;
  phone_hash: string | null;
  phone_masked: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: TouchedAt;
}

export interface AppUserTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  org_unit_id: number | null;
  person_id: number | null;
  active: Generated<boolean>;
  created_at: CreatedAt;
  password_changed_at: TouchedAt;
}

export interface UserSessionTable {
  id: string;
  user_id: string;
  expires_at: Timestamp;
  created_at: CreatedAt;
}

export interface SignInThrottleTable {
  key: string;
  failures: number;
  last_failure_at: Timestamp;
  blocked_until: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: CreatedAt;
  actor_user_id: string | null;
  actor_name: string;
  entity_type: string;
  entity_id: string;
  /** The county-level unit the record belongs to, so county officers can be shown their own trail later. */
  org_unit_id: number | null;
  action: string;
  before: ColumnType<unknown, string | null, never> | null;
  after: ColumnType<unknown, string | null, never> | null;
  comment: string | null;
}

export interface Database {
  org_unit: OrgUnitTable;
  person: PersonTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  sign_in_throttle: SignInThrottleTable;
  audit_log: AuditLogTable;
}

export type OrgUnit = Selectable<OrgUnitTable>;
export type Person = Selectable<PersonTable>;
export type NewPerson = Insertable<PersonTable>;
export type PersonUpdate = Updateable<PersonTable>;
export type AppUser = Selectable<AppUserTable>;
export type AuditEntry = Selectable<AuditLogTable>;
