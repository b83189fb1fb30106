import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { checkInByCode, checkInByToken } from "~/modules/events/events.server";
import { checkinCodeSchema, checkinScanSchema } from "~/modules/events/schema.server";
import { searchParams } from "~/lib/http.server";
import { parseWithZod } from "~/lib/form.server";
import { firstError, replyDone, replyInvalid, replyRefused } from "~/lib/reply.server";
import { useReply } from "~/components/useReply";

export const meta: MetaFunction = () => [{ title: "活动签到 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "event.read");
  // Arrived by scanning the organiser's screen: the check-in waits for one tap.
  const scanned = checkinScanSchema.safeParse(searchParams(request));
  return json({ scan: scanned.success ? scanned.data : null });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "event.read");
  const formData = await request.formData();
  // Scanned or typed, it is one step: the reply answers the page's one check-in.
  const scanned = formData.get("intent") === "scan";
  const submission = scanned ? parseWithZod(formData, { schema: checkinScanSchema }) : parseWithZod(formData, { schema: checkinCodeSchema });
  if (submission.status !== "success") return replyInvalid("checkin", submission, { message: firstError(submission) });
  const result =
    "code" in submission.value
      ? await checkInByCode(getDb(), user, submission.value.code)
      : await checkInByToken(getDb(), user, submission.value.e, submission.value.t);
  if (!result.ok) return replyRefused("checkin", result);
  return replyDone("checkin", { message: result.already ? "您已经签到过了" : "签到成功", data: { eventId: result.eventId, title: result.title } });
}

export default function CheckIn() {
  const { scan } = useLoaderData<typeof loader>();
  const reply = useReply<{ eventId: number; title: string }>("checkin");
  const [query] = useSearchParams();
  return (
    <section className="narrow">
      <h1>活动签到</h1>
      {reply?.data ? (
        <p className="notice success" role="status">
          {reply.message}：<Link to={`/events/${reply.data.eventId}`}>{reply.data.title}</Link>
        </p>
      ) : null}
      {scan && !reply?.ok ? (
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
          {reply && !reply.ok ? (
            <p className="field-error" role="alert">
              {reply.message}
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
