import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { requirePermission } from "~/auth/session.server";
import { QrCode } from "~/components/QrCode";
import { getDb } from "~/db.server";
import { absoluteUrl, granted, idParam } from "~/lib/http.server";
import { qrSvg } from "~/lib/qr.server";
import { checkinToken, eventForViewer } from "~/modules/events/events.server";
import { canManageEvent } from "~/modules/events/policy";

export const meta: MetaFunction = () => [{ title: "签到二维码 · 匠心" }];

/** The organiser's screen at the door: a QR that changes every 30 seconds, and the typed code beneath it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "event.read");
  const event = granted(await eventForViewer(getDb(), user, idParam(params.eventId)));
  if (!canManageEvent(user, event)) throw json({ error: "只有主办方可以显示签到二维码" }, { status: 403 });
  const { token, changesAt } = checkinToken(event.id);
  const scanTo = absoluteUrl(`/checkin?e=${event.id}&t=${token}`);
  return json(
    { id: event.id, title: event.title, code: event.checkin_code, qr: await qrSvg(scanTo), changesAt: changesAt.getTime() },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export default function CheckinQr() {
  const { id, title, code, qr, changesAt } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  // A new code at each 30-second step: ask the server again when this one turns.
  useEffect(() => {
    const timer = setTimeout(() => revalidator.revalidate(), Math.max(1_000, changesAt - Date.now() + 500));
    return () => clearTimeout(timer);
  }, [changesAt, revalidator]);
  return (
    <section className="checkin-screen">
      <h1>{title}</h1>
      <QrCode svg={qr} label="签到二维码（每30秒更新）" className="checkin-qr" />
      <p className="lead">用手机相机或微信扫码签到。二维码每30秒更新，转发的截图会很快失效。</p>
      <p>
        无法扫码时输入签到码：<strong className="code mono">{code}</strong>
      </p>
      <p className="no-print">
        <Link to={`/events/${id}`}>← 返回活动</Link>
      </p>
    </section>
  );
}
