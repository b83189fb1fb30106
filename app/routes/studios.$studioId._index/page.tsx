import type { SerializeFrom } from "@remix-run/node";
import { StudioOutcome } from "~/components/MentoringOutcomes";
import { Link } from "@remix-run/react";
import { BackLink } from "~/components/BackLink";
import { DataTable } from "~/components/DataTable";
import { DownloadLink } from "~/components/DownloadLink";
import { HistoryCard } from "~/components/HistoryCard";
import { RevocationFields } from "~/components/RevocationFields";
import { StepsCard } from "~/components/StepForm";
import { Options } from "~/components/forms";
import { formatFen } from "~/lib/money";
import { YEAR_STATUS_LABELS } from "~/modules/studios/cycle";
import { GRADE_LABELS } from "~/modules/studios/evaluation";
import { FOCUS_SECTOR_LABELS, MENTORSHIP_STATUS_LABELS } from "~/modules/studios/labels";
import { isOngoing, STUDIO_STATUS_LABELS, type StudioStatus } from "~/modules/studios/policy";
import { ReconfirmCard } from "./reconfirm";
import type { loader } from "./route";

/** A studio: its facts, the steps open to the viewer, apprentices, the year, the ledger, 重新确认, results. */
export function StudioPage({
  studio,
  evaluations,
  mentorships,
  outcome,
  history,
  figures,
  steps,
  documents,
  canEdit,
  canAddApprentice,
  year,
  yearStatus,
  progress,
  fund,
  grantSources,
  reconfirmations,
  canReconfirm,
  satisfaction,
}: SerializeFrom<typeof loader>) {
  const active = mentorships.filter((m) => isOngoing(m.status));
  return (
    <section>
      <BackLink to="/studios">工匠工作室</BackLink>
      <div className="page-head">
        <h1>{studio.name}</h1>
        <span className="badge">{STUDIO_STATUS_LABELS[studio.status as StudioStatus]}</span>
      </div>
      {studio.status_reason ? <p className="notice">说明：{studio.status_reason}</p> : null}
      {evaluations.revocationReview ? (
        <p className="form-errors" role="alert">
          连续两年考核不合格或未获重新确认，建议启动摘牌审查。
        </p>
      ) : null}
      <dl className="facts card">
        <dt>领衔工匠</dt>
        <dd>
          <Link to={`/people/${studio.person_id}`}>{studio.leader_name}</Link>（{studio.award_title}，证书 {studio.certificate_number}）
        </dd>
        <dt>依托企业</dt>
        <dd>{studio.host_enterprise}</dd>
        <dt>行业</dt>
        <dd>
          {studio.industry} · {FOCUS_SECTOR_LABELS[studio.focus_sector]}
        </dd>
        <dt>所属单位</dt>
        <dd>{studio.unit_name}</dd>
        <dt>地址</dt>
        <dd>{studio.address}</dd>
        <dt>主攻方向</dt>
        <dd className="pre">{studio.focus_areas}</dd>
        <dt>建设方案</dt>
        <dd className="pre">{studio.founding_plan}</dd>
        {studio.plaque_number ? (
          <>
            <dt>授牌</dt>
            <dd>
              {studio.plaque_number}（{studio.accredited_on}） · <Link to={`/studios/${studio.id}/plaque`}>打印牌匾</Link>
            </dd>
          </>
        ) : null}
        <dt>申请表</dt>
        <dd>
          <Link to={`/studios/${studio.id}/application`}>打印工作室创建申请表</Link>
        </dd>
      </dl>

      <StepsCard
        steps={steps}
        expected={studio.status}
        editTo={canEdit ? `/studios/${studio.id}/edit` : null}
        fields={(step) =>
          step === "accredit" ? (
            <>
              <label>
                牌匾编号
                <input name="plaqueNumber" required maxLength={40} />
              </label>
              <label>
                授牌日期
                <input type="date" name="accreditedOn" required />
              </label>
              <label>
                授牌决定文件
                <select name="accreditationDocumentId" required>
                  <option value="">请选择</option>
                  <Options choices={documents} />
                </select>
              </label>
              {documents.length ? null : (
                <p className="hint">
                  还没有登记授牌决定：请先在<Link to="/documents">决定文件</Link>中登记。
                </p>
              )}
            </>
          ) : step === "revoke" ? (
            // 摘牌's reason is the step's own field.
            <RevocationFields documents={documents} withReason={false} />
          ) : null
        }
      />

      <div className="card">
        <div className="page-head">
          <h2>“1+N”师带徒：在带学徒 {active.length} 人</h2>
          <div className="actions">
            {canAddApprentice ? (
              <Link className="button primary" to={`/studios/${studio.id}/apprentices/new`}>
                登记学徒
              </Link>
            ) : null}
            {mentorships.length ? (
              <DownloadLink className="button" href={`/studios/${studio.id}/apprentices/export`}>
                导出学徒及成果
              </DownloadLink>
            ) : null}
          </div>
        </div>
        <StudioOutcome outcome={outcome} />
        <DataTable
          rows={mentorships}
          empty="还没有学徒。"
          columns={[
            { label: "学徒", cell: (m) => <Link to={`/mentorships/${m.id}`}>{m.name}</Link> },
            { label: "技术等级", cell: (m) => m.skill_level },
            {
              label: "结对",
              cell: (m) => (
                <>
                  {m.start_date} 至 {m.ended_on ?? m.planned_end}
                </>
              ),
            },
            { label: "状态", cell: (m) => MENTORSHIP_STATUS_LABELS[m.status] },
            { label: "已认定成果", cell: (m) => m.verified, num: true },
            { label: "待核实", cell: (m) => m.pending, num: true },
          ]}
        />
        {satisfaction ? (
          <p className="small">
            师徒三方评议满意度（仅县级和市总工会可见）：{satisfaction.count ? `${satisfaction.average} 分（${satisfaction.count} 个评分）` : "暂无评分"}
          </p>
        ) : null}
      </div>

      {studio.accredited_on ? (
        <div className="card">
          <div className="page-head">
            <h2>{year}年度计划与完成</h2>
            <Link className="button" to={`/studios/${studio.id}/years/${year}`}>
              {yearStatus ? YEAR_STATUS_LABELS[yearStatus] : "报送年度计划"}
            </Link>
          </div>
          <DataTable
            rows={progress}
            rowKey={(p) => p.key}
            compact
            label={`${year}年度计划与完成`}
            columns={[
              { label: "项目", cell: (p) => p.label },
              { label: "计划", num: true, cell: (p) => p.target },
              { label: "完成", num: true, cell: (p) => p.actual },
            ]}
          />
          <p>
            <Link to={`/studios/${studio.id}/years/${year - 1}`}>{year - 1}年度总结与验收</Link>
          </p>
        </div>
      ) : null}

      {studio.accredited_on ? (
        <div className="card">
          <div className="page-head">
            <h2>经费台账</h2>
            <Link className="button" to={`/studios/${studio.id}/funds`}>
              查看台账
            </Link>
          </div>
          <p>
            累计到账 {formatFen(fund.received)}，已支出 {formatFen(fund.spent)}，可用余额 <strong>{formatFen(fund.balance)}</strong>
            {grantSources.length ? `（来源：${grantSources.join("、")}）` : ""}
          </p>
        </div>
      ) : null}

      {reconfirmations.length ? <ReconfirmCard reconfirmations={reconfirmations} canReconfirm={canReconfirm} /> : null}

      <div className="card">
        <h2>年度成效（仅计经核实的成果）</h2>
        <DataTable
          rows={figures}
          rowKey={(f) => f.year}
          compact
          columns={[
            { label: "年度", cell: (f) => f.year },
            { label: "带徒", cell: (f) => f.apprenticesMentored, num: true },
            { label: "技能提升", cell: (f) => f.skillUpgrades, num: true },
            { label: "竞赛获奖", cell: (f) => f.competitionPlacings, num: true },
            { label: "技能骨干", cell: (f) => f.backbones, num: true },
            { label: "创新成果", cell: (f) => f.innovations, num: true },
            { label: "举办活动", cell: (f) => f.eventsHeld, num: true },
            { label: "参加活动", cell: (f) => f.eventsAttended, num: true },
            { label: "经济效益", cell: (f) => formatFen(f.benefitFen), num: true },
          ]}
        />
      </div>

      {evaluations.rows.length ? (
        <div className="card">
          <h2>年度考核</h2>
          <DataTable
            rows={evaluations.rows}
            rowKey={(e) => e.year}
            columns={[
              { label: "年度", cell: (e) => <Link to={`/studios/${studio.id}/years/${e.year}`}>{e.year}年</Link> },
              { label: "得分", cell: (e) => `${e.score} 分`, num: true },
              { label: "等级", cell: (e) => <span className={e.grade === "fail" ? "badge bad" : "badge ok"}>{GRADE_LABELS[e.grade]}</span> },
              { label: "评语", cell: (e) => e.comment ?? "" },
            ]}
          />
        </div>
      ) : null}

      <HistoryCard history={history} />
    </section>
  );
}
