import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FormPage } from "~/components/FormPage";
import { EventForm } from "~/components/EventForm";
import { getDb } from "~/db.server";
import { guardedAction } from "~/auth/create-action.server";
import { guardedRecord } from "~/auth/guarded-record.server";
import { eventForViewer, organiserOptions, seriesOptions, updateEvent } from "~/modules/events/events.server";
import { canManageEvent } from "~/modules/events/policy";
import { eventSchema } from "~/modules/events/schema.server";
import { toDateTimeLocal } from "~/lib/time";

export const meta: MetaFunction = () => [{ title: "修改活动 · 匠心" }];

const guard = ({ request, params }: LoaderFunctionArgs) =>
  guardedRecord(request, "event.read", eventForViewer, params.eventId, canManageEvent, "只有主办方可以修改活动");

export async function loader(args: LoaderFunctionArgs) {
  const { user, record: event } = await guard(args);
  const db = getDb();
  const [{ options }, series] = await Promise.all([organiserOptions(db, user), seriesOptions(db, user)]);
  return json({
    event,
    options,
    series,
    defaults: {
      title: event.title,
      kind: event.kind,
      organiser: event.studio_id ? `studio:${event.studio_id}` : `unit:${event.org_unit_id}`,
      seriesId: event.series_id ? String(event.series_id) : "",
      startsAt: toDateTimeLocal(event.starts_at),
      endsAt: toDateTimeLocal(event.ends_at),
      channel: event.channel,
      place: event.place,
      capacity: event.capacity ? String(event.capacity) : "",
      description: event.description,
    },
  });
}

export const action = (args: ActionFunctionArgs) => guardedAction(args, guard, eventSchema, updateEvent, (_, event) => `/events/${event.id}`);

export default function EditEvent() {
  const { event, options, series, defaults } = useLoaderData<typeof loader>();
  return (
    <FormPage title="修改活动" back={{ to: `/events/${event.id}`, label: event.title }}>
      {(lastResult) => <EventForm lastResult={lastResult} options={options} series={series} defaultValue={defaults} submitLabel="保存" />}
    </FormPage>
  );
}
