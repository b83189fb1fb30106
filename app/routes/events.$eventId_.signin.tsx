import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { PrintSheet } from "~/components/PrintSheet";
import { getDb } from "~/db.server";
import { formatDateTime } from "~/lib/format";
import { granted, idParam } from "~/lib/http.server";
import { CHANNEL_LABELS, KIND_LABELS } from "~/modules/events/reach";
import { eventForViewer, participantsOf } from "~/modules/events/events.server";
import { canManageEvent } from "~/modules/events/policy";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `签到表 · ${data?.event.title ?? ""}` }];

/** The paper sign-in sheet: everyone registered, a blank column to sign. The organisers' list, as on the event page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "event.read");
  const db = getDb();
  const event = granted(await eventForViewer(db, user, idParam(params.eventId)));
  if (!canManageEvent(user, event)) throw json({ error: "签到表只供主办方打印" }, { status: 403 });
  const participants = await participantsOf(db, event.id);
  return json({
    event: {
      id: event.id,
      title: event.title,
      kind: event.kind,
      channel: event.channel,
      place: event.place,
      organiser: event.studio_name ?? event.unit_name,
      startsAt: formatDateTime(event.starts_at),
      endsAt: formatDateTime(event.ends_at),
    },
    participants: participants.map((p) => ({ id: p.id, name: p.name, employer: p.employer, unit: p.unit_name ?? "" })),
  });
}

/** Blank lines under the registered for those who come unannounced. */
const SPARE_LINES = 5;

export default function SignInSheet() {
  const { event, participants } = useLoaderData<typeof loader>();
  return (
    <PrintSheet
      back={{ to: `/events/${event.id}`, label: event.title }}
      title={`${event.title} 签到表`}
      particulars={`${KIND_LABELS[event.kind]} · ${event.organiser}主办 · ${event.startsAt} 至 ${event.endsAt} · ${CHANNEL_LABELS[event.channel]} · ${event.place}`}
    >
      <table className="paper-form signin-sheet">
        <thead>
          <tr>
            <th scope="col">序号</th>
            <th scope="col">姓名</th>
            <th scope="col">工作单位</th>
            <th scope="col">所属县（市、区）</th>
            <th scope="col">签名</th>
          </tr>
        </thead>
        <tbody>
          {participants.map((p, i) => (
            <tr key={p.id}>
              <td className="num">{i + 1}</td>
              <td>{p.name}</td>
              <td>{p.employer}</td>
              <td>{p.unit}</td>
              <td aria-label={`${p.name}签名`} />
            </tr>
          ))}
          {Array.from({ length: SPARE_LINES }, (_, i) => (
            <tr key={`spare-${i}`}>
              <td className="num">{participants.length + i + 1}</td>
              <td />
              <td />
              <td />
              <td />
            </tr>
          ))}
        </tbody>
      </table>
      <p className="sign">共报名 {participants.length} 人。主办方（签字/盖章）：　　　　　　</p>
    </PrintSheet>
  );
}
