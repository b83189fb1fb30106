import { parseWithZod } from "~/lib/form.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { formatDateTime } from "~/lib/format";
import { granted, idParam } from "~/lib/http.server";
import { unknownIntent } from "~/lib/intent.server";
import { parseIdNumber } from "~/modules/people/id-number";
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
import { CHANNEL_LABELS, finished, KIND_LABELS } from "~/modules/events/reach";
import { hoursSchema, outsiderSchema, participantIdSchema } from "~/modules/events/schema.server";
import { Options } from "~/components/forms";
import { BackLink } from "~/components/BackLink";
import { DataTable } from "~/components/DataTable";
import { type ReactNode } from "react";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.event.title ?? "活动"} · 匠心` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "event.read");
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
  const intent = String(formData.get("intent") ?? "");
  const fail = (message: string, status = 400) => json({ intent, message }, { status });
  switch (intent) {
    case "join": {
      const result = await joinEvent(db, user, event.id);
      return result.ok ? json({ intent, message: null, joined: true }) : fail(result.message, result.status);
    }
    case "add-person": {
      const parsed = parseIdNumber(String(formData.get("idNumber") ?? ""));
      if (!parsed.ok) return fail(parsed.message);
      const result = await addParticipant(db, user, event, { idNumber: parsed.value.idNumber });
      return result.ok ? json({ intent, message: null }) : fail(result.message, result.status);
    }
    case "add-outsider": {
      const submission = parseWithZod(formData, { schema: outsiderSchema });
      if (submission.status !== "success") return fail(Object.values(submission.error ?? {}).flat()[0] ?? "请检查填写的内容");
      const result = await addParticipant(db, user, event, submission.value);
      return result.ok ? json({ intent, message: null }) : fail(result.message, result.status);
    }
    case "checkin": {
      const parsed = participantIdSchema.safeParse(Object.fromEntries(formData));
      if (!parsed.success) return unknownIntent();
      const result = await checkInByOrganiser(db, user, event, parsed.data.participantId);
      return result.ok ? json({ intent, message: null }) : fail(result.message, result.status);
    }
    case "hours": {
      const parsed = hoursSchema.safeParse(Object.fromEntries(formData));
      if (!parsed.success) return fail(parsed.error.issues[0].message);
      const result = await setHours(db, user, event, parsed.data.participantId, parsed.data.hours);
      return result.ok ? json({ intent, message: null }) : fail(result.message, result.status);
    }
    case "certificate": {
      const parsed = participantIdSchema.safeParse(Object.fromEntries(formData));
      if (!parsed.success) return unknownIntent();
      const own = (await participantsOf(db, event.id)).find((p) => p.id === parsed.data.participantId);
      // The organiser issues for anyone who came; an attendee for themself.
      if (!own || (!canManageEvent(user, event) && own.person_id !== user.personId)) return fail("您无权开具该证书", 403);
      const result = await issueCertificate(db, event, own.id);
      return result.ok ? json({ intent, message: null }) : fail(result.message, 409);
    }
    default:
      return unknownIntent();
  }
}

export default function EventPage() {
  const { event, participants, reach, units, manage, canJoin, finished: over } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <section>
      <BackLink to="/events">交流培训</BackLink>
      <div className="page-head">
        <h1>{event.title}</h1>
        {manage ? (
          <div className="actions">
            <Link className="button" to={`/events/${event.id}/edit`}>
              修改
            </Link>
            <Link className="button" to={`/events/${event.id}/signin`}>
              打印签到表
            </Link>
          </div>
        ) : null}
      </div>
      <dl className="facts card">
        <dt>类型</dt>
        <dd>{KIND_LABELS[event.kind]}</dd>
        <dt>主办</dt>
        <dd>{event.studio_name ? `${event.studio_name}（${event.unit_name}）` : event.unit_name}</dd>
        {event.series_id ? (
          <>
            <dt>系列</dt>
            <dd>
              <Link to={`/series/${event.series_id}`}>{event.series_title}</Link>
            </dd>
          </>
        ) : null}
        <dt>时间</dt>
        <dd>
          {formatDateTime(event.starts_at)} 至 {formatDateTime(event.ends_at)}
        </dd>
        <dt>形式</dt>
        <dd>
          {CHANNEL_LABELS[event.channel]} · {event.place}
        </dd>
        {event.capacity ? (
          <>
            <dt>人数上限</dt>
            <dd>{event.capacity}</dd>
          </>
        ) : null}
        {event.description ? (
          <>
            <dt>说明</dt>
            <dd className="pre">{event.description}</dd>
          </>
        ) : null}
      </dl>

      {canJoin || (data?.intent === "join" && data.message) ? (
        <Form method="post" className="card">
          <h2>报名参加</h2>
          <p>本活动由{event.unit_name}举办，欢迎报名。报名后请按时到场，用签到码或扫码签到。</p>
          {data?.intent === "join" && data.message ? (
            <p className="form-errors" role="alert">
              {data.message}
            </p>
          ) : null}
          <input type="hidden" name="intent" value="join" />
          <button type="submit" className="button primary">
            报名参加
          </button>
        </Form>
      ) : null}
      {data?.intent === "join" && !data.message ? (
        <p className="notice success" role="status">
          报名成功，已加入参加名单。
        </p>
      ) : null}

      {manage && event.checkin_code && !over ? (
        <div className="card checkin-code">
          <h2>签到码</h2>
          <p className="code mono" aria-label="签到码">
            {event.checkin_code}
          </p>
          <p className="hint">
            活动开始前1小时至结束时有效；只有报名名单上的人和本活动面向范围内的人（现场报名）可以签到。参加者在手机上打开“交流培训 → 扫码/输码签到”输入此码。
          </p>
          <p>
            <Link className="button primary" to={`/events/${event.id}/qr`}>
              现场显示签到二维码
            </Link>
          </p>
        </div>
      ) : null}

      <div className="card">
        <h2>覆盖面（按实际签到人员计算）</h2>
        <p>
          签到 {reach.attendees} 人，来自 {reach.employers} 个单位、{reach.industries} 个行业、{reach.systems} 个行业系统、{reach.regions} 个县（市、区）。
        </p>
        <p>
          <span className={reach.crossUnit ? "badge ok" : "badge"}>跨单位{reach.crossUnit ? "" : "：否"}</span>{" "}
          <span className={reach.crossIndustry ? "badge ok" : "badge"}>跨行业{reach.crossIndustry ? "" : "：否"}</span>{" "}
          <span className={reach.crossSystem ? "badge ok" : "badge"}>跨系统{reach.crossSystem ? "" : "：否"}</span>{" "}
          <span className={reach.crossRegion ? "badge ok" : "badge"}>跨区域{reach.crossRegion ? "" : "：否"}</span>
        </p>
      </div>

      <div className="card">
        <h2>{manage ? `参加人员（${participants.length}）` : "我的参加记录"}</h2>
        {data?.message && data.intent !== "join" ? (
          <p className="form-errors" role="alert">
            {data.message}
          </p>
        ) : null}
        <DataTable
          rows={participants}
          empty="还没有参加人员。"
          columns={[
            { label: "姓名", cell: (p) => p.name },
            {
              label: "单位",
              cell: (p) => (
                <>
                  {p.employer}
                  {p.unit_name ? <small>（{p.unit_name}）</small> : null}
                </>
              ),
            },
            {
              label: "签到",
              cell: (p) =>
                p.attended ? (
                  <span className="badge ok">
                    已签到 {p.checked_in_via === "code" ? "（签到码）" : ""}
                    {p.walk_in ? "（现场报名）" : ""}
                  </span>
                ) : manage ? (
                  <ParticipantAction intent="checkin" participantId={p.id} label="签到" />
                ) : (
                  "未签到"
                ),
            },
            {
              label: "学时",
              cell: (p) =>
                manage && p.attended ? (
                  <ParticipantAction intent="hours" participantId={p.id} label="保存">
                    <input name="hours" defaultValue={p.hours ?? ""} className="rank-input" inputMode="decimal" aria-label={`${p.name}的学时`} />
                  </ParticipantAction>
                ) : (
                  (p.hours ?? "—")
                ),
            },
            {
              label: "证书",
              cell: (p) =>
                p.certificate_code ? (
                  <Link to={`/certificates/${p.certificate_code}`}>查看证书</Link>
                ) : p.attended && over ? (
                  <ParticipantAction intent="certificate" participantId={p.id} label="开具证书" />
                ) : null,
            },
          ]}
        />
        {manage ? (
          <>
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="add-person" />
              <label>
                按身份证号登记平台人员
                <input name="idNumber" autoComplete="off" />
              </label>
              <button type="submit" className="button">
                登记
              </button>
            </Form>
            <details>
              <summary>登记外部人员（仅姓名和单位）</summary>
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="add-outsider" />
                <label>
                  姓名
                  <input name="outsideName" />
                </label>
                <label>
                  工作单位
                  <input name="outsideEmployer" />
                </label>
                <label>
                  所属行业
                  <input name="outsideIndustry" />
                </label>
                <label>
                  所在县（市、区）
                  <select name="outsideUnitId">
                    <Options choices={units.map((u) => ({ value: u.id, label: u.short_name }))} />
                  </select>
                </label>
                <button type="submit" className="button">
                  登记
                </button>
              </Form>
            </details>
          </>
        ) : null}
      </div>
    </section>
  );
}

/** One organiser's action on one participant's line. */
function ParticipantAction({ intent, participantId, label, children }: { intent: string; participantId: number; label: string; children?: ReactNode }) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="participantId" value={participantId} />
      {children}
      <button type="submit" className="button">
        {label}
      </button>
    </Form>
  );
}
