import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { isCityAdmin } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import { Pagination } from "~/components/Pagination";
import { getDb } from "~/db.server";
import { idParam, notFound, searchParams } from "~/lib/http.server";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { campaignLabel, nominationCode } from "~/modules/campaigns/stages";
import { listNominations } from "~/modules/nominations/nominations.server";
import { canCreateNomination } from "~/modules/nominations/policy";
import { todayInTaizhou } from "~/lib/time";
import { nominationFilterSchema } from "~/modules/nominations/schema.server";
import { listOrgUnits } from "~/modules/org-units/org-units.server";
import { UnitFilter } from "~/components/UnitFilter";
import { DataTable } from "~/components/DataTable";
import { Options } from "~/components/forms";
import { FilterBar, InputFilter } from "~/components/ChoiceFilter";

export const meta: MetaFunction = () => [{ title: "推荐人选 · 匠心" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "campaign.read");
  const db = getDb();
  const campaign = await findCampaign(db, idParam(params.campaignId));
  if (!campaign) throw notFound("评选活动不存在");
  const filter = nominationFilterSchema.parse(searchParams(request));
  const [result, units] = await Promise.all([
    listNominations(db, user, campaign.id, filter),
    isCityAdmin(user) ? listOrgUnits(db, ["county", "social_group"]) : Promise.resolve([]),
  ]);
  return json({ campaign, ...result, filter, units, canCreate: canCreateNomination(user, campaign, todayInTaizhou()) });
}

const STAGE_FILTERS = {
  all: "全部",
  eligible: "符合条件",
  ineligible: "不符合条件",
  passed: "初审通过",
  failed: "初审未通过",
  candidate: "候选对象",
  named: "已命名",
} as const;

export default function Nominations() {
  const { campaign, rows, total, page, pageSize, filter, units, canCreate, notice } = useLoaderData<typeof loader>();
  return (
    <section>
      <p>
        <Link to={`/campaigns/${campaign.id}`}>← {campaignLabel(campaign.number)}</Link>
      </p>
      <div className="page-head">
        <h1>推荐人选</h1>
        {canCreate ? (
          <Link className="button primary" to={`/campaigns/${campaign.id}/nominations/new`}>
            新增推荐
          </Link>
        ) : null}
      </div>
      <FilterBar>
        <InputFilter label="搜索" name="q" value={filter.q} placeholder="姓名、工作单位或完整身份证号" />
        <UnitFilter units={units} value={filter.unitId} label="推荐单位" />
        <label>
          <span>状态</span>
          <select name="stage" defaultValue={filter.stage ?? "all"}>
            <Options choices={STAGE_FILTERS} />
          </select>
        </label>
      </FilterBar>
      {notice ? (
        <p className="notice" role="alert">
          {notice}
        </p>
      ) : null}
      <DataTable
        rows={rows}
        empty="没有符合条件的推荐人选。"
        columns={[
          { label: "编号", cell: (n) => nominationCode(campaign.number, n.seq), className: "mono" },
          { label: "姓名", cell: (n) => <Link to={`/nominations/${n.id}`}>{n.name}</Link> },
          { label: "工作单位", cell: (n) => n.employer },
          { label: "推荐单位", cell: (n) => n.unit_name },
          { label: "技术等级", cell: (n) => n.skill_level },
          {
            label: "条件审查",
            cell: (n) => (
              <>
                {n.eligibility.eligible ? (
                  <span className="badge ok">符合</span>
                ) : n.eligibility.missing.length && !n.eligibility.problems.length ? (
                  <span className="badge warn" title={`缺少${n.eligibility.missing.join("、")}`}>
                    待补全
                  </span>
                ) : (
                  <span className="badge bad" title={n.eligibility.problems.join("；")}>
                    不符合
                  </span>
                )}
                {n.eligibility.warnings.length ? <span className="badge warn">提示</span> : null}
              </>
            ),
          },
          {
            label: "进展",
            cell: (n) => (
              <>
                {n.certificate_number ? (
                  <span className="badge ok">已命名</span>
                ) : n.withdrawn_reason ? (
                  <span className="badge bad">已取消</span>
                ) : n.candidate ? (
                  <span className="badge">候选对象</span>
                ) : n.qualification_result === "pass" ? (
                  <span className="badge">初审通过</span>
                ) : n.qualification_result === "fail" ? (
                  <span className="badge bad">初审未通过</span>
                ) : (
                  <span className="badge">已推荐</span>
                )}
              </>
            ),
          },
        ]}
      />
      <Pagination page={page} total={total} pageSize={pageSize} />
    </section>
  );
}
