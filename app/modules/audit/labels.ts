import type { AuditTrail } from "~/lib/audit";
import { CAMPAIGN_AUDIT } from "~/modules/campaigns/labels";
import { PLAN_AUDIT } from "~/modules/dashboard/labels";
import { EVENT_AUDIT } from "~/modules/events/labels";
import { IMPORT_AUDIT, NOMINATION_AUDIT } from "~/modules/nominations/labels";
import { ORG_UNIT_AUDIT } from "~/modules/org-units/labels";
import { PERSON_AUDIT } from "~/modules/people/labels";
import { PUBLICITY_AUDIT } from "~/modules/showcase/labels";
import { CRITERIA_AUDIT, MILESTONE_AUDIT, STUDIO_AUDIT } from "~/modules/studios/labels";
import { SUBSIDY_AUDIT, SUBSIDY_POLICY_AUDIT } from "~/modules/subsidies/labels";
import { USER_AUDIT } from "~/modules/users/labels";

/** Every kind of record the history keeps, as its domain declared it. */
const TRAILS: ReadonlyArray<AuditTrail> = [
  PERSON_AUDIT,
  USER_AUDIT,
  ORG_UNIT_AUDIT,
  CAMPAIGN_AUDIT,
  NOMINATION_AUDIT,
  IMPORT_AUDIT,
  STUDIO_AUDIT,
  MILESTONE_AUDIT,
  CRITERIA_AUDIT,
  SUBSIDY_AUDIT,
  SUBSIDY_POLICY_AUDIT,
  EVENT_AUDIT,
  PUBLICITY_AUDIT,
  PLAN_AUDIT,
];

const byEntity = new Map(TRAILS.map((t) => [t.entity, t]));

/** The Chinese name of a kind of record; an unknown key prints as it is. */
export const entityLabel = (entity: string) => byEntity.get(entity)?.label ?? entity;

/** The Chinese label of an action, read from its record's trail (or the first trail that names it). */
export function actionLabel(action: string, entity?: string): string {
  const trails = entity && byEntity.has(entity) ? [byEntity.get(entity)!] : TRAILS;
  for (const t of trails) {
    const label = (t.actions as Record<string, string>)[action];
    if (label) return label;
  }
  return action;
}
