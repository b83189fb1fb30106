import { formatDateTime } from "~/lib/format";
import { EVENT_AUDIT } from "~/modules/events/labels";
import { declareNotices, stepNotices, type SubjectResolver } from "~/modules/notifications/sources";
import { EVENT_STEPS } from "~/modules/events/policy";

/**
 * An event step is about the participant it names (registered, checked in, given hours), if any;
 * its participants are everyone registered with a person record.
 */
const eventSubject: SubjectResolver = async (tx, id, after) => {
  const e = await tx
    .selectFrom("event")
    .innerJoin("org_unit", "org_unit.id", "event.org_unit_id")
    .select(["event.id", "event.title", "event.starts_at", "event.org_unit_id", "org_unit.short_name", "org_unit.kind"])
    .where("event.id", "=", id)
    .executeTakeFirst();
  if (!e) return undefined;
  const named = typeof after?.person_id === "number" ? after.person_id : typeof after?.personId === "number" ? after.personId : null;
  const participant =
    named ??
    (typeof after?.participantId === "number"
      ? ((await tx.selectFrom("event_participant").select("person_id").where("id", "=", after.participantId).where("event_id", "=", id).executeTakeFirst())
          ?.person_id ?? null)
      : null);
  const registered = await tx.selectFrom("event_participant").select("person_id").where("event_id", "=", id).where("person_id", "is not", null).execute();
  return {
    personId: participant,
    unitId: e.org_unit_id,
    unitIsCity: e.kind === "city",
    owner: null,
    unit: e.short_name,
    subject: e.title,
    when: formatDateTime(e.starts_at),
    participants: registered.map((p) => p.person_id!),
    link: `/events/${e.id}`,
  };
};

// Each step declares its notices (EVENT_STEPS in policy.ts); the step's name is its history action.
export const eventNotices = declareNotices(EVENT_AUDIT, eventSubject, stepNotices("", EVENT_STEPS));
