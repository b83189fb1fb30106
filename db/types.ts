import type { ColumnType, Generated, Selectable } from "kysely";

/** Timestamps are written by the database (defaults / now()) and read back as Date. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;
/** A timestamp with a database default that updates may set. */
type TouchedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export type OrgUnitKind = "city" | "county" | "social_group";
export type Role = "city_admin" | "county_officer" | "craftsman" | "expert" | "apprentice";
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

/** How far a long piece of work has got, keyed by what it is ("import:12"). */
export interface WorkProgressTable {
  key: string;
  done: number;
  total: number;
  updated_at: TouchedAt;
}

export interface UserSessionTable {
  id: string;
  user_id: string;
  expires_at: Timestamp;
  created_at: CreatedAt;
  /** How long the session lasts since it was last used (it slides by this): 12 hours, or 30 days on a device. */
  lifetime_seconds: ColumnType<number, number | undefined, number>;
  /** SHA-256 of the device token (sign_in_device) the session is valid with, and only with; null: any browser. */
  device_hash: ColumnType<string | null, string | null | undefined, string | null>;
  /** Past this the session no longer slides: a new code is asked for. */
  not_after: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** A few words naming the device (“安卓手机 · 微信”), shown on the account page. */
  device_label: ColumnType<string | null, string | null | undefined, string | null>;
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

export type CampaignStatus = "nominating" | "qualification" | "expert_review" | "online_vote" | "public_notice" | "final_approval" | "closed";
export type NominationChannel = "union" | "social_group" | "self";
export type OpinionKind = "employer" | "county" | "expert" | "city";
export type ObjectionOutcome = "pending" | "dismissed" | "upheld";

export interface CampaignTable {
  id: Generated<number>;
  number: number;
  year: number;
  title: string;
  nomination_deadline: string;
  quota_per_unit: ColumnType<number, number | undefined, number>;
  title_count: ColumnType<number, number | undefined, number>;
  status: ColumnType<CampaignStatus, CampaignStatus | undefined, CampaignStatus>;
  notice_start: string | null;
  notice_end: string | null;
  created_at: CreatedAt;
  /** The approving document (the naming decision) the campaign's titles rest on. */
  basis_document_id: number | null;
}

export interface NominationTable {
  id: Generated<number>;
  campaign_id: number;
  person_id: number;
  seq: number;
  channel: NominationChannel;
  nominating_unit_id: number;
  honors: Defaulted<string>;
  achievements: Defaulted<string>;
  deeds_summary: Defaulted<string>;
  story: Defaulted<string>;
  /** Null while the nomination is 待补全 (filed from a list that did not say). */
  frontline_years: number | null;
  in_skill_post: boolean | null;
  teacher_or_researcher: Defaulted<boolean>;
  conditions: Defaulted<number[]>;
  /** The 汇总表's 备注, and what a qualifier in brackets added to a choice (大专（函授）). */
  remarks: Defaulted<string>;
  /** What the import's preview warned about (teacher, under five years, over the quota…), for 资格初审. */
  import_warnings: ColumnType<string[], string | undefined, string>;
  quota_acknowledged_by: string | null;
  quota_acknowledged_at: Timestamp | null;
  qualification_result: "pass" | "fail" | null;
  qualification_reason: string | null;
  candidate: ColumnType<boolean, boolean | undefined, boolean>;
  vote_count: number | null;
  withdrawn_reason: string | null;
  final_rank: number | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: TouchedAt;
}

export interface NominationOpinionTable {
  nomination_id: number;
  kind: OpinionKind;
  text: string;
  signer: string;
  /** Null when the signed form gave no date (kept, with a warning, rather than dropped). */
  signed_on: string | null;
  recorded_by: string;
  recorded_at: TouchedAt;
}

export interface ExpertScoreTable {
  nomination_id: number;
  expert_name: string;
  /** numeric(5,2): both drivers return it as text, e.g. "87.50". */
  score: ColumnType<string, number | string, number | string>;
  recorded_by: string;
  recorded_at: TouchedAt;
}

export interface ObjectionTable {
  id: Generated<number>;
  nomination_id: number;
  received_on: string;
  source: string;
  content: string;
  handling: ColumnType<string, string | undefined, string>;
  outcome: ColumnType<ObjectionOutcome, ObjectionOutcome | undefined, ObjectionOutcome>;
  recorded_by: string;
  recorded_at: TouchedAt;
}

export interface AwardTable {
  id: Generated<number>;
  campaign_id: number;
  nomination_id: number;
  person_id: number;
  rank: number;
  title: string;
  certificate_number: string;
  may_day_medal: boolean;
  named_on: string;
  created_at: CreatedAt;
  /** Set once the title is taken back, singly or with its whole decision. */
  revocation_id: number | null;
}

export interface ImportBatchTable {
  id: Generated<number>;
  campaign_id: number;
  org_unit_id: number;
  uploaded_by: string;
  filename: string;
  rows_cipher: string;
  row_count: number;
  error_count: number;
  status: ColumnType<ImportStatus, ImportStatus | undefined, ImportStatus>;
  summary: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: CreatedAt;
  committed_at: Timestamp | null;
  checked_at: Timestamp | null;
  notes_cipher: string | null;
  failure: ColumnType<unknown, string | null | undefined, string | null>;
  /** When the officer pressed 确认导入: the deadline is judged by it, however late the job runs. */
  confirmed_at: Date | null;
}

/**
 * checking → previewed → committing → committed; a refused commit goes back to previewed with its
 * failure; a check or commit that could not be done at all ends as failed, with the reason.
 */
export type ImportStatus = "checking" | "previewed" | "committing" | "committed" | "failed";

export type StudioStatus = "draft" | "submitted" | "returned" | "county_reviewed" | "rejected" | "accredited" | "active" | "suspended" | "revoked";
export type FocusSector = "advanced_manufacturing" | "modern_services" | "strategic_emerging" | "other";
export type MentorshipStatus = "active" | "paused" | "completed" | "ended_early";
export type MilestoneKind = "skill_upgrade" | "competition" | "backbone" | "innovation";
export type MilestoneStatus = "pending" | "verified" | "rejected";

export interface StudioTable {
  id: Generated<number>;
  person_id: number;
  award_id: number;
  org_unit_id: number;
  name: string;
  host_enterprise: string;
  industry: string;
  focus_sector: FocusSector;
  address: string;
  focus_areas: string;
  founding_plan: string;
  status: Defaulted<StudioStatus>;
  status_reason: string | null;
  plaque_number: string | null;
  accredited_on: string | null;
  created_by: string;
  created_at: CreatedAt;
  updated_at: TouchedAt;
  /** The accreditation decision (批次) the plaque rests on. */
  accreditation_document_id: number | null;
  revocation_id: number | null;
}

export interface MentorshipTable {
  id: Generated<number>;
  studio_id: number;
  apprentice_id: number;
  start_date: string;
  planned_end: string;
  goals: string;
  status: Defaulted<MentorshipStatus>;
  ended_on: string | null;
  end_reason: string | null;
  created_by: string;
  created_at: CreatedAt;
  /** When the apprentice confirmed the 师徒结对协议 with a code sent to their phone. */
  apprentice_confirmed_at: Date | null;
  mentor_confirmed_at: Date | null;
  mentor_confirmed_by: string | null;
}

export interface MentorshipPauseTable {
  id: Generated<number>;
  mentorship_id: number;
  paused_on: string;
  reason: string;
  paused_by: string;
  resumed_on: string | null;
  resumed_by: string | null;
  created_at: CreatedAt;
}

export type PhoneCodePurpose = "sign_in" | "agreement" | "subsidy_objection" | "rights_request" | "wechat_bind";

/** A one-time code sent to a person's phone: to sign in, or to confirm the agreement. */
export interface PhoneCodeTable {
  id: Generated<number>;
  person_id: number | null;
  phone_hash: string;
  purpose: PhoneCodePurpose;
  code_hash: string;
  address: string | null;
  sent_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
  attempts: ColumnType<number, number | undefined, number>;
  sms_id: number | null;
}

export type ApprenticeLogKind = "training" | "practice";
export type ApprenticeLogStatus = "pending" | "confirmed" | "returned";

export interface ApprenticeLogTable {
  id: Generated<number>;
  mentorship_id: number;
  on_date: string;
  minutes: number;
  kind: ApprenticeLogKind;
  content: string;
  photo: Uint8Array | null;
  photo_type: string | null;
  status: Defaulted<ApprenticeLogStatus>;
  comment: string | null;
  confirmed_by: string | null;
  confirmed_at: Date | null;
  created_by: string;
  created_at: CreatedAt;
}

export interface MentoringPolicyTable {
  year: number;
  review_every_months: number;
  allowance_per_year_fen: number;
  passed_percent: number;
  extended_percent: number;
  terminated_percent: number;
  technician_reward_fen: number;
  placing_reward_fen: number;
  updated_by: string | null;
  updated_at: TouchedAt;
}

export interface MentorshipReviewTable {
  id: Generated<number>;
  mentorship_id: number;
  period: number;
  due_on: string;
  created_at: CreatedAt;
}

export type ReviewParty = "mentor" | "apprentice" | "host";

export interface MentorshipReviewSignTable {
  review_id: number;
  party: ReviewParty;
  view: string;
  rating: number | null;
  signed_by: string;
  signed_at: CreatedAt;
}

export type AssessmentResult = "passed" | "extended" | "terminated";

export interface MentorshipAssessmentTable {
  id: Generated<number>;
  mentorship_id: number;
  assessed_on: string;
  method: string;
  examiners: string;
  /** numeric(5,1): read back as text. */
  score: ColumnType<string | null, number | null | undefined, number | null>;
  grade: string | null;
  certificate: string | null;
  result: AssessmentResult;
  extended_to: string | null;
  /** The verified milestones (skill upgrade, competition placing) counted as evidence. */
  evidence: ColumnType<number[], string | undefined, string>;
  comment: string | null;
  recorded_by: string;
  created_at: CreatedAt;
}

export type MentorPaymentKind = "allowance" | "technician" | "placing";

export interface MentorPaymentTable {
  id: Generated<number>;
  key: string;
  studio_id: number;
  mentor_id: number;
  mentorship_id: number;
  kind: MentorPaymentKind;
  amount_fen: number;
  paid_on: string;
  payer: string;
  reference: string;
  recorded_by: string;
  created_at: CreatedAt;
}

export interface MilestoneTable {
  id: Generated<number>;
  mentorship_id: number;
  kind: MilestoneKind;
  occurred_on: string;
  details: ColumnType<Record<string, string | number>, string, string>;
  benefit_fen: number | null;
  status: Defaulted<MilestoneStatus>;
  review_comment: string | null;
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
  created_by: string;
  created_at: CreatedAt;
}

export interface EvidenceFileTable {
  id: Generated<number>;
  milestone_id: number;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  data: Uint8Array;
  uploaded_by: string;
  created_at: CreatedAt;
}

export type EvaluationGrade = "excellent" | "pass" | "fail";

export interface EvaluationCriterionTable {
  year: number;
  key: string;
  label: string;
  weight: number;
  target: number;
}

export interface StudioEvaluationTable {
  studio_id: number;
  year: number;
  figures: ColumnType<Record<string, number>, string, string>;
  /** numeric(6,2): read back as text. */
  score: ColumnType<string, number, number>;
  grade: EvaluationGrade;
  comment: string | null;
  graded_by: string;
  graded_at: TouchedAt;
  /** The 验收 checklist's points per item; null for a grade given before the checklist. */
  checklist: ColumnType<Record<string, number>, string | null | undefined, string | null> | null;
}

export interface StudioCyclePolicyTable {
  year: number;
  approval_threshold_fen: number;
  excellent_cap_percent: number;
  reconfirm_years: number;
  updated_at: TouchedAt;
}

export interface AcceptanceItemTable {
  year: number;
  key: string;
  label: string;
  points: number;
  needs_photo: Defaulted<boolean>;
  sort_order: number;
}

export type GrantSource = "national" | "provincial" | "city" | "county" | "enterprise";
export type GrantPurpose = "support" | "reconfirmation";

export interface StudioGrantTable {
  id: Generated<number>;
  studio_id: number;
  source: GrantSource;
  purpose: Defaulted<GrantPurpose>;
  document_number: string;
  amount_fen: number;
  decided_on: string;
  recorded_by: string;
  created_at: CreatedAt;
}

export interface StudioTrancheTable {
  id: Generated<number>;
  grant_id: number;
  received_on: string;
  amount_fen: number;
  voucher: string;
  recorded_by: string;
  created_at: CreatedAt;
}

export interface StudioFundTable {
  studio_id: number;
  received_fen: Defaulted<number>;
  spent_fen: Defaulted<number>;
}

export type SpendingCategory = "equipment" | "training" | "materials" | "innovation" | "outreach" | "other";
export type SpendingStatus = "recorded" | "pending" | "approved" | "rejected";

export interface StudioSpendingTable {
  id: Generated<number>;
  studio_id: number;
  category: SpendingCategory;
  description: string;
  amount_fen: number;
  spent_on: string;
  status: SpendingStatus;
  review_comment: string | null;
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
  created_by: string;
  created_at: CreatedAt;
}

export type StudioYearStatus = "planned" | "submitted" | "returned" | "county_passed" | "accepted";

export interface StudioYearTable {
  studio_id: number;
  year: number;
  status: StudioYearStatus;
  plan: ColumnType<Record<string, number>, string, string>;
  plan_filed_at: Timestamp | null;
  summary: string | null;
  self_assessment: string | null;
  outreach: number | null;
  /** What the report was filed with: the figures and the ledger as they stood. */
  filed: ColumnType<Record<string, unknown>, string | null | undefined, string | null> | null;
  status_reason: string | null;
  submitted_at: Timestamp | null;
  updated_at: TouchedAt;
}

export interface StudioFileTable {
  id: Generated<number>;
  studio_id: number;
  kind: "receipt" | "acceptance";
  spending_id: number | null;
  year: number | null;
  item_key: string | null;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  data: Uint8Array;
  uploaded_by: string;
  created_at: CreatedAt;
}

export interface StudioReconfirmationTable {
  studio_id: number;
  period_end: number;
  outcome: "reconfirmed" | "declined";
  grant_id: number | null;
  comment: string | null;
  decided_by: string;
  decided_at: CreatedAt;
}

export type SubsidyStatus = "draft" | "submitted" | "returned" | "county_approved" | "approved" | "disbursed" | "closed" | "rejected";
export type StudyMode = "full_time" | "part_time" | "distance";
export type AttachmentKind = "admission" | "receipt" | "graduation";

export interface SubsidyPolicyTable {
  year: number;
  budget_fen: number;
  share_percent: number;
  holdback_percent: Defaulted<number>;
  years_after_award: number;
  open: Defaulted<boolean>;
  updated_at: TouchedAt;
  /** Days an approved subsidy stands in the online 公示. */
  notice_days: Defaulted<number>;
  /** How many subsidies the year gives; null is no limit. */
  places: number | null;
  /** All schemes together pay at most this share of the tuition. */
  combined_cap_percent: Defaulted<number>;
  /** How long a 学信网 report's code should stay valid (Taizhou asks for 6 months). */
  chsi_valid_months: Defaulted<number>;
}

export interface SubsidyCapTable {
  year: number;
  degree: string;
  cap_fen: number;
}

export interface SubsidyApplicationTable {
  id: Generated<number>;
  year: number;
  person_id: number;
  org_unit_id: number;
  current_education: string;
  target_degree: string;
  institution: string;
  programme: string;
  study_mode: StudyMode;
  enrolled_on: string;
  expected_graduation: string;
  tuition_fen: number;
  requested_fen: number;
  max_fen: number | null;
  approved_fen: number | null;
  paid_fen: Defaulted<number>;
  held_fen: Defaulted<number>;
  first_voucher: string | null;
  disbursed_on: string | null;
  final_voucher: string | null;
  closed_on: string | null;
  status: Defaulted<SubsidyStatus>;
  status_reason: string | null;
  created_by: string;
  created_at: CreatedAt;
  updated_at: TouchedAt;
  /** The server's time of the first submission: places are given in this order. */
  submitted_at: Date | null;
  place: SubsidyPlace | null;
  /** The online 公示 the approved subsidy stands in. */
  notice_id: number | null;
}

export type SubsidyPlace = "placed" | "waiting";
export type ChsiStage = "enrolment" | "graduation";
/** 学籍在线验证报告, 学历证书电子注册备案表 / 学历在线验证报告. */
export type ChsiKind = "enrolment" | "degree" | "filing";
export type OtherScheme = "acftu" | "provincial" | "employer" | "other";
export type PayeeKind = "bank_card" | "union_card";
export type PaymentStage = "first" | "final";

/** A 学信网 report's online verification code as the applicant entered it, and what the officer saw. */
export interface SubsidyChsiReportTable {
  id: Generated<number>;
  application_id: number;
  stage: ChsiStage;
  kind: ChsiKind;
  code: string;
  valid_until: string;
  entered_by: string;
  entered_at: CreatedAt;
  outcome: "matches" | "mismatch" | null;
  name_matches: boolean | null;
  id_digits_match: boolean | null;
  school: string | null;
  level: string | null;
  record_status: string | null;
  graduated_on: string | null;
  check_note: string | null;
  checked_by: string | null;
  checked_at: Date | null;
}

export interface SubsidyNoticeTable {
  id: Generated<number>;
  year: number;
  starts_on: string;
  ends_on: string;
  published_by: string;
  published_at: CreatedAt;
}

export interface SubsidyObjectionTable {
  id: Generated<number>;
  application_id: number;
  notice_id: number;
  content: string;
  relation: string;
  objector_masked: string;
  /** The identity columns are null once the retention schedule erased them (identity_erased_at). */
  name_cipher: string | null;
  id_number_cipher: string | null;
  id_number_hash: string | null;
  phone_cipher: string | null;
  phone_hash: string | null;
  phone_masked: string;
  address: string | null;
  lookup_code: string;
  filed_at: CreatedAt;
  outcome: ColumnType<ObjectionOutcome, ObjectionOutcome | undefined, ObjectionOutcome>;
  handling: ColumnType<string, string | undefined, string>;
  handled_by: string | null;
  handled_at: Date | null;
  identity_erased_at: Date | null;
}

export interface SubsidyObjectionFileTable {
  id: Generated<number>;
  objection_id: number;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  data: Uint8Array;
  uploaded_by: string;
  created_at: CreatedAt;
}

/** Another scheme's subsidy as the applicant declared it. */
export interface SubsidyOtherClaimTable {
  id: Generated<number>;
  application_id: number;
  scheme: OtherScheme;
  scheme_name: string;
  amount_fen: number;
  created_by: string;
  created_at: CreatedAt;
}

/** A list of another scheme's subsidies imported by the city. */
export interface SubsidySchemeListTable {
  id: Generated<number>;
  scheme: OtherScheme;
  title: string;
  year: number;
  filename: string;
  sha256: string;
  rows: number;
  imported_by: string;
  imported_at: CreatedAt;
}

export interface SubsidySchemeEntryTable {
  id: Generated<number>;
  list_id: number;
  row_number: number;
  id_number_hash: string;
  name_masked: string;
  amount_fen: number;
  degree: string | null;
  institution: string | null;
}

export interface SubsidyPayeeTable {
  application_id: number;
  kind: PayeeKind;
  account_name: string;
  bank_name: string;
  number_cipher: string;
  number_masked: string;
  entered_by: string;
  entered_at: CreatedAt;
  updated_at: TouchedAt;
}

export interface SubsidyPaymentBatchTable {
  id: Generated<number>;
  year: number;
  stage: PaymentStage;
  count: number;
  total_fen: number;
  created_by: string;
  created_at: CreatedAt;
}

/** One application's payment on a batch: once per stage (the primary key). */
export interface SubsidyPaymentLineTable {
  batch_id: number;
  application_id: number;
  stage: PaymentStage;
  amount_fen: number;
}

export interface SubsidyAttachmentTable {
  id: Generated<number>;
  application_id: number;
  kind: AttachmentKind;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  data: Uint8Array;
  uploaded_by: string;
  created_at: CreatedAt;
}

export type EventKind = "skill_exchange" | "experience_sharing" | "showcase" | "training" | "teaching" | "competition";
export type EventChannel = "offline" | "wechat" | "weibo" | "livestream" | "other";

export interface EventSeriesTable {
  id: Generated<number>;
  title: string;
  org_unit_id: number;
  description: Defaulted<string>;
  created_by: string;
  created_at: CreatedAt;
}

export interface EventTable {
  id: Generated<number>;
  series_id: number | null;
  title: string;
  kind: EventKind;
  org_unit_id: number;
  studio_id: number | null;
  starts_at: Timestamp;
  ends_at: Timestamp;
  channel: EventChannel;
  place: string;
  description: Defaulted<string>;
  capacity: number | null;
  checkin_code: string;
  created_by: string;
  created_at: CreatedAt;
}

export interface EventParticipantTable {
  id: Generated<number>;
  event_id: number;
  person_id: number | null;
  outside_name: string | null;
  outside_employer: string | null;
  outside_industry: string | null;
  outside_unit_id: number | null;
  attended: Defaulted<boolean>;
  checked_in_at: Timestamp | null;
  checked_in_via: "organiser" | "code" | null;
  /** numeric(5,1): read back as text. */
  hours: ColumnType<string | null, number | null | undefined, number | null>;
  certificate_code: string | null;
  registered_by: string;
  created_at: CreatedAt;
  /** Put on the list by their own check-in (现场报名): not registered before, but within the event's audience. */
  walk_in: Defaulted<boolean>;
}

export type Outlet = "tv" | "newspaper" | "website" | "wechat" | "other";

export interface PublicationConsentTable {
  person_id: number;
  consented: boolean;
  how_obtained: string;
  story: Defaulted<string>;
  photo: Uint8Array | null;
  photo_type: string | null;
  recorded_by: string;
  recorded_at: TouchedAt;
}

export interface PublicityItemTable {
  id: Generated<number>;
  outlet: Outlet;
  outlet_name: string;
  title: string;
  published_on: string;
  url: string | null;
  clipping: Uint8Array | null;
  clipping_type: string | null;
  person_id: number | null;
  studio_id: number | null;
  org_unit_id: number;
  recorded_by: string;
  created_at: CreatedAt;
}

export interface StudioPlanTable {
  id: number;
  target: number;
  start_year: number;
  end_year: number;
  updated_by: string | null;
  updated_at: TouchedAt;
}

export interface StudioPlanUnitTable {
  org_unit_id: number;
  target: number;
}

export interface AuditFanoutTable {
  audit_id: number;
  done_at: CreatedAt;
}

export interface MessageTable {
  id: Generated<number>;
  user_id: string;
  audit_id: number | null;
  category: string;
  text: string;
  link: string | null;
  created_at: CreatedAt;
  read_at: Date | null;
}

export type SmsMode = "immediate" | "digest" | "off";

export interface NotificationPreferenceTable {
  user_id: string;
  category: string;
  sms: SmsMode;
}

/** sending: handed to the provider, outcome not yet recorded (a crash there is reconciled, not resent). */
export type SmsStatus = "queued" | "held" | "sending" | "sent" | "failed";

export interface SmsMessageTable {
  id: Generated<number>;
  user_id: string | null;
  org_unit_id: number | null;
  phone_cipher: string;
  phone_hash: string;
  phone_masked: string;
  template: string;
  params: ColumnType<Record<string, string>, string, string>;
  text: string;
  status: SmsStatus;
  driver: string | null;
  provider_id: string | null;
  error: string | null;
  created_at: CreatedAt;
  sent_at: Date | null;
  /** The job that sends it: its retry after a crash finds the row left sending and reconciles it instead of sending again. */
  job_id: number | null;
}

export interface JobTable {
  id: Generated<number>;
  kind: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  unique_key: string | null;
  run_at: ColumnType<Date, Date | undefined, Date>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  locked_by: string | null;
  locked_until: Date | null;
  done_at: Date | null;
  failed_at: Date | null;
  last_error: string | null;
  created_at: CreatedAt;
}

export type PerCandidate = "once" | "daily";
export type TallyShown = "live" | "daily" | "after_close";

export interface VoteRuleTable {
  campaign_id: number;
  opens_at: Date;
  closes_at: Date;
  max_choices: number;
  per_candidate: PerCandidate;
  tally_shown: TallyShown;
  tally_hour: ColumnType<number, number | undefined, number>;
  /** The public vote's share of the final score, in percent; the experts' is the rest. */
  vote_weight: number;
  /** A ballot needs a WeChat identity too (issue 36): one per openid per candidate, besides the phone's. */
  wechat_required: ColumnType<boolean, boolean | undefined, boolean>;
  set_by: string;
  set_at: TouchedAt;
}

export interface VoteChallengeTable {
  id: string;
  used_at: CreatedAt;
}

export interface VoteCodeTable {
  id: Generated<number>;
  campaign_id: number;
  phone_hash: string;
  phone_masked: string;
  code_hash: string;
  address: string | null;
  sent_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
  attempts: ColumnType<number, number | undefined, number>;
  /** What the code proves the number for: a ballot, or a real-name objection. */
  purpose: ColumnType<CodePurpose, CodePurpose | undefined, CodePurpose>;
  /** The SMS that carried it: a code whose SMS failed is not charged against the number's limits. */
  sms_id: number | null;
}

export type CodePurpose = "vote" | "objection";

export interface ObjectionFilingTable {
  objection_id: number;
  lookup_code: string;
  objector_name: string;
  relation: string;
  /** Null once the objector's identity is erased (retention). */
  phone_hash: string | null;
  phone_masked: string;
  filed_at: CreatedAt;
  /** The objector's verified ID number and phone, encrypted (people/pii); null on filings before they were asked. */
  id_number_cipher: string | null;
  phone_cipher: string | null;
  /** Where it was filed from (the limits per address count it). */
  address: string | null;
  /** The objector's name, encrypted; \`objector_name\` keeps only its mask (null on filings before it was encrypted). */
  name_cipher: string | null;
  /** The objector's ID number as a keyed hash per campaign (like the number's): the limits per person count it. */
  id_number_hash: string | null;
  /** When the retention schedule erased the objector's identity (name, numbers, hashes, address); the objection stays. */
  identity_erased_at: Date | null;
}

export interface SignInDeviceTable {
  /** SHA-256 of the random token in the browser's device cookie. */
  token_hash: string;
  user_id: string;
  created_at: CreatedAt;
  last_used_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ObjectionAttachmentTable {
  id: Generated<number>;
  objection_id: number;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  data: Uint8Array;
  uploaded_by: string;
  created_at: CreatedAt;
}

export interface VoteFailureTable {
  id: Generated<number>;
  campaign_id: number;
  address: string | null;
  kind: "challenge" | "code";
  at: CreatedAt;
}

export interface BallotTable {
  id: Generated<number>;
  campaign_id: number;
  phone_hash: string | null;
  phone_masked: string | null;
  block_hash: string | null;
  address: string | null;
  subnet: string | null;
  device: string | null;
  receipt: string;
  cast_at: CreatedAt;
}

export interface BallotChoiceTable {
  ballot_id: number;
  nomination_id: number;
  campaign_id: number;
  voter_key: string;
  period: string;
  /** The voter's openid as a keyed hash per campaign, when the vote requires WeChat; cleared with the voters' part. */
  wechat_key: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface BallotInvalidationTable {
  ballot_id: number;
  pattern: string;
  reason: string;
  by_user: string;
  at: CreatedAt;
}

export interface ExpertTable {
  id: Generated<number>;
  user_id: string | null;
  name: string;
  /** The field they judge: one of the notice's sectors (studios' FOCUS_SECTOR keys). */
  field: string;
  employer: string;
  /** Their county-level unit, for 回避 of their own county's nominees. */
  org_unit_id: number | null;
  contact: ColumnType<string, string | undefined, string>;
  created_by: string;
  created_at: CreatedAt;
}

export interface ReviewCriterionTable {
  campaign_id: number;
  key: string;
  label: string;
  max_points: number;
  guidance: ColumnType<string, string | undefined, string>;
  sort_order: number;
}

export interface ReviewPanelTable {
  id: Generated<number>;
  campaign_id: number;
  name: string;
  field: string;
  blind: ColumnType<boolean, boolean | undefined, boolean>;
  draw_seed: number | null;
  created_by: string;
  created_at: CreatedAt;
}

export interface PanelMemberTable {
  panel_id: number;
  expert_id: number;
}

export interface PanelNominationTable {
  panel_id: number;
  nomination_id: number;
}

export interface RecusalTable {
  expert_id: number;
  nomination_id: number;
  source: "auto" | "declared";
  reason: string;
  at: CreatedAt;
}

export type SheetStatus = "draft" | "submitted";

export interface ExpertSheetTable {
  expert_id: number;
  nomination_id: number;
  status: SheetStatus;
  submitted_at: Date | null;
  reopened_reason: string | null;
  updated_at: TouchedAt;
}

export interface ExpertMarkTable {
  expert_id: number;
  nomination_id: number;
  criterion_key: string;
  /** numeric(5,1): read back as text. */
  points: ColumnType<string, number, number>;
  comment: ColumnType<string, string | undefined, string>;
}

export interface DecisionDocumentTable {
  id: Generated<number>;
  issuer: string;
  number: string;
  issued_on: string;
  title: string;
  file: Uint8Array | null;
  file_type: string | null;
  file_name: string | null;
  recorded_by: string;
  recorded_at: CreatedAt;
}

export interface StudioProgrammeTable {
  id: number;
  basis_document_id: number;
  updated_by: string;
  updated_at: TouchedAt;
}

export type RevocationScope = "award" | "studio" | "campaign" | "accreditation";

export interface RevocationTable {
  id: Generated<number>;
  scope: RevocationScope;
  award_id: number | null;
  studio_id: number | null;
  campaign_id: number | null;
  accreditation_document_id: number | null;
  document_id: number;
  reason: string;
  revoked_on: string;
  revoked_by: string;
  created_at: CreatedAt;
}

export interface TitleRecallTable {
  id: Generated<number>;
  award_id: number | null;
  studio_id: number | null;
  recalled_on: string;
  note: Defaulted<string>;
  recorded_by: string;
  recorded_at: CreatedAt;
}

/** One kind of personal data's retention: kept keep_days after after_event, movable by the city within its bounds. */
export interface RetentionRuleTable {
  kind: RetentionKind;
  keep_days: number;
  min_days: number;
  max_days: number;
  after_event: string;
  basis: string;
  sort_order: number;
  updated_by: string | null;
  updated_at: TouchedAt;
}

export type RetentionKind = "vote_phone" | "objector_identity" | "rejected_files" | "sessions" | "sms_messages" | "access_logs" | "backups";

/** One batch a rule purged: how many and which records (ids or file names), never their values. Unfinished while files are being deleted. */
export interface PurgeRunTable {
  id: Generated<number>;
  rule_kind: RetentionKind;
  keep_days: number;
  started_at: CreatedAt;
  finished_at: Date | null;
  purged: number;
  record_ids: ColumnType<string[], string, string>;
}

export type HonourLevel = "national" | "provincial" | "city" | "county";
export type HonourKind = "model_worker" | "may_day_medal" | "craftsman" | "technical_expert" | "other";
export type HonourStatus = "kept" | "revoked";
export type HonourImportStatus = "preview" | "committed" | "discarded";

/** An honour from another body; withdrawn (a mistaken entry) rather than deleted. */
export interface HonourTable {
  id: Generated<number>;
  person_id: number;
  level: HonourLevel;
  kind: HonourKind;
  title: string;
  conferred_by: string;
  year: number;
  conferred_on: string | null;
  status: Defaulted<HonourStatus>;
  revoked_on: string | null;
  revoked_note: string | null;
  /** The list it came from and its line; null when an officer entered it. */
  import_id: number | null;
  import_line: number | null;
  created_by: string;
  created_at: CreatedAt;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
  withdrawn_reason: string | null;
}

/** An uploaded honour list: its preview (matched rows, by person id) until the officer commits or discards it. */
export interface HonourImportTable {
  id: Generated<number>;
  /** The county whose people it may reach; null for the city's. */
  org_unit_id: number | null;
  filename: string;
  sha256: string;
  status: Defaulted<HonourImportStatus>;
  preview: ColumnType<Record<string, unknown>, string, string>;
  uploaded_by: string;
  uploaded_at: CreatedAt;
  decided_by: string | null;
  decided_at: Date | null;
  imported: number | null;
}

/** The rights desk's policy: one row, the working days the city has to answer. */
export interface PrivacyPolicyTable {
  id: number;
  answer_working_days: Generated<number>;
  updated_by: string | null;
  updated_at: TouchedAt;
}

/** A weekday off (public holiday) or a working weekend day (调休), as the city keeps them. */
export interface PrivacyCalendarDayTable {
  day: string;
  working: boolean;
  name: string;
}

export type RightsKind = "copy" | "correct" | "delete" | "withdraw";
export type RightsStatus = "pending" | "granted" | "refused";

/** A request under the 个人信息保护法, from a person on record or from a number proven by a code. */
export interface RightsRequestTable {
  id: Generated<number>;
  kind: RightsKind;
  person_id: number | null;
  user_id: string | null;
  org_unit_id: number | null;
  phone_hash: string | null;
  phone_cipher: string | null;
  phone_masked: string | null;
  details: string;
  correction: string | null;
  filed_at: CreatedAt;
  due_on: string;
  status: Generated<RightsStatus>;
  answer: string | null;
  answered_by: string | null;
  answered_at: Date | null;
}

/** A sign-in's round trip through another site (issue 36): spent once, ten minutes. */
export interface SignInFlowTable {
  state_hash: string;
  kind: SignInFlowKind;
  data: ColumnType<Record<string, string>, string | undefined, string>;
  redirect_to: ColumnType<string, string | undefined, string>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type SignInFlowKind = "oidc" | "wechat";

/** Who a single sign-on provider says signed in (issue 36), and the officer account the city bound it to. */
export interface ExternalIdentityTable {
  id: Generated<number>;
  issuer: string;
  subject: string;
  display_name: string | null;
  user_id: string | null;
  bound_by: string | null;
  bound_at: Date | null;
  first_seen_at: CreatedAt;
  last_seen_at: TouchedAt;
}

/** A city officer's one-time-code secret (RFC 6238), sealed; active from enabled_at. */
export interface SecondFactorTable {
  id: Generated<number>;
  user_id: string;
  secret: string;
  enabled_at: Date | null;
  /** The last 30-second step a code was accepted for: no code is accepted twice. */
  last_step: number | null;
  created_at: CreatedAt;
}

/** A password sign-in waiting for its one-time code: five minutes, five tries. */
export interface SecondFactorChallengeTable {
  token_hash: string;
  user_id: string;
  device_hash: string | null;
  tries: Generated<number>;
  created_at: CreatedAt;
  expires_at: Date;
}

/** An openid bound to a person after a phone-code check (issue 36): one each way. */
export interface WechatIdentityTable {
  openid_hash: string;
  person_id: number;
  nickname: string | null;
  bound_at: ColumnType<Date, Date | string | undefined, never>;
  last_sign_in_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type WechatTokenKind = "access_token" | "jsapi_ticket";

/** The official account's access_token and jsapi_ticket, encrypted, shared by every process. */
export interface WechatTokenTable {
  kind: WechatTokenKind;
  value: string;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  refreshed_at: ColumnType<Date, Date | string | undefined, Date | string>;
  refreshing_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/**
 * One row per statement that wrote a table the union's figures are counted from (a trigger adds it, in the
 * statement's transaction): the newest id is the figures' version. Older rows go in the daily purge.
 */
export interface DataChangeTable {
  id: Generated<number>;
  table_name: string;
  at: Generated<Date>;
  /** Whether the change moves the dashboard's figures (migration 0036): false for tables only a user's work reads. */
  moves_figures: Generated<boolean>;
}

export interface Database {
  data_change: DataChangeTable;
  privacy_policy: PrivacyPolicyTable;
  privacy_calendar_day: PrivacyCalendarDayTable;
  rights_request: RightsRequestTable;
  honour: HonourTable;
  honour_import: HonourImportTable;
  retention_rule: RetentionRuleTable;
  purge_run: PurgeRunTable;
  decision_document: DecisionDocumentTable;
  studio_programme: StudioProgrammeTable;
  revocation: RevocationTable;
  title_recall: TitleRecallTable;
  expert: ExpertTable;
  review_criterion: ReviewCriterionTable;
  review_panel: ReviewPanelTable;
  panel_member: PanelMemberTable;
  panel_nomination: PanelNominationTable;
  recusal: RecusalTable;
  expert_sheet: ExpertSheetTable;
  expert_mark: ExpertMarkTable;
  objection_filing: ObjectionFilingTable;
  sign_in_device: SignInDeviceTable;
  sign_in_flow: SignInFlowTable;
  external_identity: ExternalIdentityTable;
  second_factor: SecondFactorTable;
  second_factor_challenge: SecondFactorChallengeTable;
  wechat_identity: WechatIdentityTable;
  wechat_token: WechatTokenTable;
  objection_attachment: ObjectionAttachmentTable;
  vote_rule: VoteRuleTable;
  vote_challenge: VoteChallengeTable;
  vote_code: VoteCodeTable;
  vote_failure: VoteFailureTable;
  ballot: BallotTable;
  ballot_choice: BallotChoiceTable;
  ballot_invalidation: BallotInvalidationTable;
  audit_fanout: AuditFanoutTable;
  message: MessageTable;
  notification_preference: NotificationPreferenceTable;
  sms_message: SmsMessageTable;
  job: JobTable;
  studio_plan: StudioPlanTable;
  studio_plan_unit: StudioPlanUnitTable;
  publication_consent: PublicationConsentTable;
  publicity_item: PublicityItemTable;
  event_series: EventSeriesTable;
  event: EventTable;
  event_participant: EventParticipantTable;
  subsidy_policy: SubsidyPolicyTable;
  subsidy_cap: SubsidyCapTable;
  subsidy_application: SubsidyApplicationTable;
  subsidy_attachment: SubsidyAttachmentTable;
  subsidy_chsi_report: SubsidyChsiReportTable;
  subsidy_notice: SubsidyNoticeTable;
  subsidy_objection: SubsidyObjectionTable;
  subsidy_objection_file: SubsidyObjectionFileTable;
  subsidy_other_claim: SubsidyOtherClaimTable;
  subsidy_scheme_list: SubsidySchemeListTable;
  subsidy_scheme_entry: SubsidySchemeEntryTable;
  subsidy_payee: SubsidyPayeeTable;
  subsidy_payment_batch: SubsidyPaymentBatchTable;
  subsidy_payment_line: SubsidyPaymentLineTable;
  evaluation_criterion: EvaluationCriterionTable;
  studio_evaluation: StudioEvaluationTable;
  studio_cycle_policy: StudioCyclePolicyTable;
  acceptance_item: AcceptanceItemTable;
  studio_grant: StudioGrantTable;
  studio_tranche: StudioTrancheTable;
  studio_fund: StudioFundTable;
  studio_spending: StudioSpendingTable;
  studio_year: StudioYearTable;
  studio_file: StudioFileTable;
  studio_reconfirmation: StudioReconfirmationTable;
  studio: StudioTable;
  mentorship: MentorshipTable;
  mentorship_pause: MentorshipPauseTable;
  phone_code: PhoneCodeTable;
  apprentice_log: ApprenticeLogTable;
  mentoring_policy: MentoringPolicyTable;
  mentorship_review: MentorshipReviewTable;
  mentorship_review_sign: MentorshipReviewSignTable;
  mentorship_assessment: MentorshipAssessmentTable;
  mentor_payment: MentorPaymentTable;
  milestone: MilestoneTable;
  evidence_file: EvidenceFileTable;
  campaign: CampaignTable;
  nomination: NominationTable;
  nomination_opinion: NominationOpinionTable;
  expert_score: ExpertScoreTable;
  objection: ObjectionTable;
  award: AwardTable;
  import_batch: ImportBatchTable;
  work_progress: WorkProgressTable;
  org_unit: OrgUnitTable;
  person: PersonTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  sign_in_throttle: SignInThrottleTable;
  audit_log: AuditLogTable;
}

export type Person = Selectable<PersonTable>;
