import type { SerializeFrom } from "@remix-run/node";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { isApprentice, isCityAdmin, isCountyOfficer, isCraftsman, ROLE_LABELS } from "~/auth/roles";
import { DataTable } from "~/components/DataTable";
import { StageBar } from "~/components/StageBar";
import { TodoList } from "~/components/TodoList";
import { formatDateTime } from "~/lib/format";
import { actionLabel, entityLabel } from "~/modules/audit/labels";
import { campaignLabel } from "~/modules/campaigns/stages";
import { MENTORSHIP_STATUS_LABELS } from "~/modules/studios/labels";
import type { loader } from "./route";

export function HomePage(data: SerializeFrom<typeof loader>) {
  const { user } = data;
  const total = data.units.reduce((sum, u) => sum + Number(u.people), 0);
  return (
    <section>
      <h1>
        {data.user.displayName}，您好
        <small className="role-tag">{ROLE_LABELS[user.role]}</small>
      </h1>
      {data.failedSignIns ? (
        <p className="notice" role="alert">
          自您上次登录以来，有 {data.failedSignIns} 次使用您的用户名、但密码错误的登录尝试。如果不是您本人，请尽快修改密码并告知市总工会。
        </p>
      ) : null}
      <div className="card">
        <h2>我的待办{data.todoTotal ? `（${data.todoTotal}）` : ""}</h2>
        <TodoList items={data.todos} />
        {data.todoTotal > data.todos.length ? (
          <p>
            <Link to="/todos">查看全部 {data.todoTotal} 项待办</Link>
          </p>
        ) : null}
        <p>
          <Link to="/inbox">查看消息</Link>
        </p>
      </div>

      {data.done.length ? (
        <div className="card">
          <h2>我的已办</h2>
          <Timeline entries={data.done} line={(d) => (d.link ? <Link to={d.link}>{d.what}</Link> : d.what)} />
        </div>
      ) : null}

      {isCityAdmin(user) ? (
        <>
          <p className="lead">全市各县级总工会的人员档案与近期操作。</p>
          <QuickLinks
            links={[
              ["/people/new", "登记人员"],
              ["/users/new", "开通账号"],
              ["/org-units", "组织单位"],
              ["/audit", "操作日志"],
            ]}
          />
        </>
      ) : null}

      {isCountyOfficer(user) && data.unit ? (
        <>
          <p className="lead">
            {data.unit.name} · 本单位共登记人员 {total} 人。
          </p>
          <QuickLinks
            links={[
              ["/people/new", "登记人员"],
              ["/people", "本单位人员"],
            ]}
            primary
          />
        </>
      ) : null}

      {data.campaigns.map((campaign) => (
        <div className="card" key={campaign.id}>
          <h2>
            <Link to={`/campaigns/${campaign.id}`}>
              {campaignLabel(campaign.number)}“台州工匠”选树（{campaign.year}）
            </Link>
          </h2>
          <StageBar status={campaign.status} />
          {campaign.status === "nominating" ? <p>推荐截止：{campaign.nomination_deadline}</p> : null}
        </div>
      ))}

      {data.office ? (
        <div className="card">
          <h2>各单位人员档案</h2>
          <DataTable
            rows={data.units}
            compact
            columns={[
              { label: "单位", cell: (u) => <Link to={`/people?orgUnitId=${u.id}`}>{u.short_name}</Link> },
              { label: "人数", num: true, cell: (u) => u.people },
            ]}
            footer={
              data.units.length > 1 ? (
                <tr>
                  <th>合计</th>
                  <th className="num">{total}</th>
                </tr>
              ) : null
            }
          />
        </div>
      ) : null}

      {data.recent.length ? (
        <div className="card">
          <h2>近期操作</h2>
          <Timeline
            entries={data.recent}
            line={(r) => `${r.actor_name} · ${entityLabel(r.entity_type)} #${r.entity_id} · ${actionLabel(r.action, r.entity_type)}`}
          />
        </div>
      ) : null}

      {isCraftsman(user) ? (
        data.me ? (
          <div className="card">
            {data.myStudio ? (
              <p>
                <Link className="button primary" to={`/studios/${data.myStudio.id}`}>
                  我的工作室：{data.myStudio.name}
                </Link>
              </p>
            ) : data.awards.length ? (
              <p>
                <Link className="button primary" to="/studios/new">
                  申请创建工匠工作室
                </Link>
              </p>
            ) : null}
            <h2>我的档案</h2>
            {data.awards.map((a) => (
              <p key={a.id} className="notice success">
                {a.award_title} · 证书编号 {a.certificate_number} · <Link to={`/awards/${encodeURIComponent(a.certificate_number)}`}>查看、保存证书</Link>
              </p>
            ))}
            <p>
              <Link to={`/people/${data.me.id}#certificates`}>我的全部证书</Link>
            </p>
            <dl className="facts">
              <dt>姓名</dt>
              <dd>{data.me.name}</dd>
              <dt>工作单位</dt>
              <dd>{data.me.employer}</dd>
              <dt>所属行业</dt>
              <dd>{data.me.industry}</dd>
              <dt>技术等级</dt>
              <dd>{data.me.skill_level}</dd>
              <dt>所属工会</dt>
              <dd>{data.me.unit_name}</dd>
            </dl>
            <p>
              <Link to={`/people/${data.me.id}`}>查看完整档案</Link>
            </p>
          </div>
        ) : (
          <p className="notice">您的账号尚未关联人员档案，请联系所在县级总工会。</p>
        )
      ) : null}
      {isApprentice(user) ? <ApprenticeHome pairings={data.pairings} events={data.events} /> : null}
    </section>
  );
}

/** An apprentice's own: their pairings, the events they are on, and the certificates of those they attended. */
function ApprenticeHome({ pairings, events }: Pick<SerializeFrom<typeof loader>, "pairings" | "events">) {
  const certificates = events.filter((e) => e.attended && e.certificate_code);
  return (
    <>
      <div className="card">
        <h2>我的师徒结对</h2>
        {pairings.length === 0 ? <p className="empty">还没有结对记录。</p> : null}
        <ul>
          {pairings.map((p) => (
            <li key={p.id}>
              <Link to={`/mentorships/${p.id}`}>{p.studio_name}</Link> · {p.start_date} 至 {p.planned_end} · {MENTORSHIP_STATUS_LABELS[p.status]}
            </li>
          ))}
        </ul>
      </div>
      <div className="card">
        <h2>我参加的活动</h2>
        {events.length === 0 ? <p className="empty">还没有参加活动。</p> : null}
        <ul>
          {events.map((e) => (
            <li key={e.id}>
              <Link to={`/events/${e.id}`}>{e.title}</Link> · {formatDateTime(e.starts_at)} · {e.attended ? "已签到" : "已登记"}
            </li>
          ))}
        </ul>
      </div>
      {certificates.length ? (
        <div className="card">
          <h2>我的参训证明</h2>
          <ul>
            {certificates.map((e) => (
              <li key={e.id}>
                <Link to={`/certificates/${e.certificate_code}`}>{e.title}</Link> · 证书编号 {e.certificate_code}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
}

/** The buttons a role starts its day with; with `primary`, the first is the main one. */
function QuickLinks({ links, primary }: { links: ReadonlyArray<readonly [to: string, label: string]>; primary?: boolean }) {
  return (
    <div className="quick-links">
      {links.map(([to, label], i) => (
        <Link key={to} className={primary && i === 0 ? "button primary" : "button"} to={to}>
          {label}
        </Link>
      ))}
    </div>
  );
}

/** What was done, newest first, each at its time. */
function Timeline<E extends { id: number | string; at: string }>({ entries, line }: { entries: E[]; line: (entry: E) => ReactNode }) {
  return (
    <ul className="timeline">
      {entries.map((e) => (
        <li key={e.id}>
          <time>{formatDateTime(e.at)}</time> {line(e)}
        </li>
      ))}
    </ul>
  );
}
