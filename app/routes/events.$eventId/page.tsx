import type { SerializeFrom } from "@remix-run/node";
import { Form, Link } from "@remix-run/react";
import { BackLink } from "~/components/BackLink";
import { useReply } from "~/components/useReply";
import { formatDateTime } from "~/lib/format";
import { CHANNEL_LABELS, KIND_LABELS } from "~/modules/events/reach";
import type { loader } from "./route";
import { Participants } from "./participants";

export type EventPageData = SerializeFrom<typeof loader>;

export function EventPage({ event, participants, reach, units, manage, canJoin, finished: over }: EventPageData) {
  const joined = useReply("join");
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

      {canJoin || joined?.ok === false ? (
        <Form method="post" className="card">
          <h2>报名参加</h2>
          <p>本活动由{event.unit_name}举办，欢迎报名。报名后请按时到场，用签到码或扫码签到。</p>
          {joined?.ok === false ? (
            <p className="form-errors" role="alert">
              {joined.message}
            </p>
          ) : null}
          <input type="hidden" name="intent" value="join" />
          <button type="submit" className="button primary">
            报名参加
          </button>
        </Form>
      ) : null}
      {joined?.ok ? (
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

      <Participants participants={participants} units={units} manage={manage} over={over} />
    </section>
  );
}
