import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { checkInByCode, checkInByToken } from "~/modules/events/events.server";
import { checkinCodeSchema, checkinScanSchema } from "~/modules/events/schema.server";
import { searchParams } from "~/lib/http.server";

export const meta: MetaFunction = () => [{ title: "活动签到 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "event.read");
  // Arrived by scanning the organiser's screen: the check-in waits for one tap.
  const scanned = checkinScanSchema.safeParse(searchParams(request));
  return json({ scan: scanned.success ? scanned.data : null });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "event.read");
  const form = Object.fromEntries(await request.formData());
  const fail = (message: string, status: number) => json({ ok: false as const, message, eventId: null, title: null }, { status });
  let result;
  if (form.intent === "scan") {
    const parsed = checkinScanSchema.safeParse(form);
    if (!parsed.success) return fail(parsed.error.issues[0].message, 400);
    result = await checkInByToken(getDb(), user, parsed.data.e, parsed.data.t);
  } else {
    const parsed = checkinCodeSchema.safeParse(form);
    if (!parsed.success) return fail(parsed.error.issues[0].message, 400);
    result = await checkInByCode(getDb(), user, parsed.data.code);
  }
  if (!result.ok) return fail(result.message, result.status);
  return json({ ok: true as const, message: result.already ? "您已经签到过了" : "签到成功", eventId: result.eventId, title: result.title });
}

export default function CheckIn() {
  const { scan } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [query] = useSearchParams();
  return (
    <section className="narrow">
      <h1>活动签到</h1>
      {data?.ok ? (
        <p className="notice success" role="status">
          {data.message}：<Link to={`/events/${data.eventId}`}>{data.title}</Link>
        </p>
      ) : null}
      {scan && !data?.ok ? (
        <Form method="post" className="card">
          <input type="hidden" name="intent" value="scan" />
          <input type="hidden" name="e" value={scan.e} />
          <input type="hidden" name="t" value={scan.t} />
          <p>您扫描了活动现场的签到二维码。</p>
          <button type="submit" className="button primary wide">
            确认签到
          </button>
        </Form>
      ) : null}
      <Form method="post" className="card">
        <div className="field">
          <label htmlFor="code">签到码（现场公布的6位码）</label>
          <input
            id="code"
            name="code"
            defaultValue={query.get("code") ?? ""}
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
