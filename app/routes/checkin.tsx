import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { checkInByCode } from "~/modules/events/events.server";
import { checkinCodeSchema } from "~/modules/events/schema";

export const meta: MetaFunction = () => [{ title: "活动签到 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "event.read");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "event.read");
  const parsed = checkinCodeSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ ok: false as const, message: parsed.error.issues[0].message, eventId: null, title: null }, { status: 400 });
  const result = await checkInByCode(getDb(), user, parsed.data.code);
  if (!result.ok) return json({ ok: false as const, message: result.message, eventId: null, title: null }, { status: result.status });
  return json({ ok: true as const, message: result.already ? "您已经签到过了" : "签到成功", eventId: result.eventId, title: result.title });
}

export default function CheckIn() {
  const data = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  return (
    <section className="narrow">
      <h1>活动签到</h1>
      {data?.ok ? (
        <p className="notice success" role="status">
          {data.message}：<Link to={`/events/${data.eventId}`}>{data.title}</Link>
        </p>
      ) : null}
      <Form method="post" className="card">
        <div className="field">
          <label htmlFor="code">签到码（现场公布的6位码）</label>
          <input
            id="code"
            name="code"
            defaultValue={searchParams.get("code") ?? ""}
            autoCapitalize="characters"
            autoComplete="off"
            maxLength={6}
            className="mono code-input"
          />
          {data && !data.ok ? (
            <p className="field-error" role="alert">
              {data.message}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button primary wide">
          签到
        </button>
      </Form>
    </section>
  );
}
