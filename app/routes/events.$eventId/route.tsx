import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { parseWithZod } from "~/lib/form.server";
import { granted, idParam } from "~/lib/http.server";
import { firstError, replyInvalid, replyRefused, replyUnknownIntent, replyWith } from "~/lib/reply.server";
import { refuse } from "~/lib/result";
import { listCountyUnits } from "~/modules/org-units/org-units.server";
import {
  addParticipant,
  checkInByOrganiser,
  eventForViewer,
  issueCertificate,
  joinEvent,
  participantsOf,
  reachOfParticipants,
  setHours,
} from "~/modules/events/events.server";
import { canJoinEvent, canManageEvent } from "~/modules/events/policy";
import { finished } from "~/modules/events/reach";
import { hoursSchema, outsiderSchema, participantIdSchema, platformPersonSchema } from "~/modules/events/schema.server";
import { EventPage } from "./page";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.event.title ?? "活动"} · 匠心` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  // An apprentice on the list reads the page; every step below is `event.read`'s.
  const user = await requirePermission(request, "event.view");
  const db = getDb();
  const event = granted(await eventForViewer(db, user, idParam(params.eventId)));
  const manage = canManageEvent(user, event);
  const [participants, units] = await Promise.all([participantsOf(db, event.id), manage ? listCountyUnits(db) : Promise.resolve([])]);
  return json({
    event: { ...event, ties: undefined, checkin_code: manage ? event.checkin_code : null },
    // Outside the organiser side, a participant sees only their own line.
    participants: manage ? participants : participants.filter((p) => p.person_id === user.personId),
    reach: reachOfParticipants(participants),
    units,
    manage,
    canJoin: canJoinEvent(user, event.ties),
    finished: finished(event),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "event.read");
  const db = getDb();
  const event = granted(await eventForViewer(db, user, idParam(params.eventId)));
  const formData = await request.formData();
  const intent = formData.get("intent");
  switch (intent) {
    case "join":
      return replyWith(intent, await joinEvent(db, user, event.id));
    case "add-person": {
      const submission = parseWithZod(formData, { schema: platformPersonSchema });
      // The number typed is never echoed back.
      if (submission.status !== "success") return replyInvalid(intent, submission, { message: firstError(submission), hideFields: ["idNumber"] });
      return replyWith(intent, await addParticipant(db, user, event, submission.value));
    }
    case "add-outsider": {
      const submission = parseWithZod(formData, { schema: outsiderSchema });
      if (submission.status !== "success") return replyInvalid(intent, submission, { message: firstError(submission) });
      return replyWith(intent, await addParticipant(db, user, event, submission.value));
    }
    case "checkin": {
      const submission = parseWithZod(formData, { schema: participantIdSchema });
      if (submission.status !== "success") return replyUnknownIntent();
      return replyWith(intent, await checkInByOrganiser(db, user, event, submission.value.participantId));
    }
    case "hours": {
      const submission = parseWithZod(formData, { schema: hoursSchema });
      if (submission.status !== "success") return replyInvalid(intent, submission, { message: firstError(submission) });
      return replyWith(intent, await setHours(db, user, event, submission.value.participantId, submission.value.hours));
    }
    case "certificate": {
      const submission = parseWithZod(formData, { schema: participantIdSchema });
      if (submission.status !== "success") return replyUnknownIntent();
      const own = (await participantsOf(db, event.id)).find((p) => p.id === submission.value.participantId);
      // The organiser issues for anyone who came; an attendee for themself.
      if (!own || (!canManageEvent(user, event) && own.person_id !== user.personId)) return replyRefused(intent, refuse("您无权开具该证书", { status: 403 }));
      const result = await issueCertificate(db, event, own.id);
      return result.ok ? replyWith(intent, result) : replyRefused(intent, refuse(result.message, { status: 409 }));
    }
    default:
      return replyUnknownIntent();
  }
}

export default function EventRoute() {
  return <EventPage {...useLoaderData<typeof loader>()} />;
}
