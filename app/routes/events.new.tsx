import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { createAction } from "~/auth/create-action.server";
import { requirePermission } from "~/auth/session.server";
import { FormPage } from "~/components/FormPage";
import { EventForm } from "~/components/EventForm";
import { getDb } from "~/db.server";
import { createEvent, organiserOptions, seriesOptions } from "~/modules/events/events.server";
import { eventSchema } from "~/modules/events/schema.server";

export const meta: MetaFunction = () => [{ title: "组织交流培训活动 · 匠心" }];

async function load(request: Request) {
  const user = await requirePermission(request, "event.read");
  const { options } = await organiserOptions(getDb(), user);
  if (!options.length) throw json({ error: "您没有可以主办活动的单位或运行中的工作室" }, { status: 403 });
  return { user, options };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, options } = await load(request);
  return json({ options, series: await seriesOptions(getDb(), user) });
}

export const action = (args: ActionFunctionArgs) =>
  createAction(
    args,

    async (request) => (await load(request)).user,
    eventSchema,
    createEvent,
    (saved) => `/events/${saved.id}`,
  );

export default function NewEvent() {
  const { options, series } = useLoaderData<typeof loader>();
  return (
    <FormPage title="组织交流培训活动" back={{ to: "/events", label: "交流培训" }}>
      {(lastResult) => (
        <EventForm
          lastResult={lastResult}
          options={options}
          series={series}
          defaultValue={{ organiser: options[0]?.value ?? "", channel: "offline" }}
          submitLabel="创建活动"
        />
      )}
    </FormPage>
  );
}
