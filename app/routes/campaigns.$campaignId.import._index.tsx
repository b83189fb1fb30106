import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { isCityAdmin } from "~/auth/roles";
import { requirePermission } from "~/auth/session.server";
import type { Reply } from "~/lib/reply";
import { getDb } from "~/db.server";
import { idParam, notFound } from "~/lib/http.server";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { campaignLabel } from "~/modules/campaigns/stages";
import { canCreateNomination } from "~/modules/nominations/policy";
import { todayInTaizhou } from "~/lib/time";
import { listOrgUnits } from "~/modules/org-units/org-units.server";

export const meta: MetaFunction = () => [{ title: "导入推荐人选 · 匠心" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "nomination.create");
  const campaign = await findCampaign(getDb(), idParam(params.campaignId));
  if (!campaign) throw notFound("评选活动不存在");
  if (!canCreateNomination(user, campaign, todayInTaizhou())) {
    throw json({ error: "推荐申报已截止或本届评选已结束，不能再导入" }, { status: 403 });
  }
  const units = isCityAdmin(user) ? await listOrgUnits(getDb(), ["county", "social_group"]) : [];
  return json({ campaign, units });
}

type UploadState = { phase: "idle" } | { phase: "uploading"; percent: number } | { phase: "checking" } | { phase: "error"; message: string };

export default function ImportPage() {
  const { campaign, units } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const [state, setState] = useState<UploadState>(searchParams.get("error") ? { phase: "error", message: searchParams.get("error")! } : { phase: "idle" });
  const action = `/campaigns/${campaign.id}/import/upload`;

  // With JavaScript the upload shows its progress; without it the form posts and redirects as usual.
  const upload = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const xhr = new XMLHttpRequest();
    xhr.open("POST", action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) setState({ phase: "uploading", percent: Math.round((e.loaded / e.total) * 100) });
    };
    xhr.upload.onload = () => setState({ phase: "checking" });
    xhr.onload = () => {
      // The action's reply; the upload gate, before the action, answers busy with an `error` of its own.
      let body: Partial<Reply<{ url: string }>> & { error?: string };
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = {};
      }
      if (xhr.status < 300 && body.data?.url) navigate(body.data.url);
      else setState({ phase: "error", message: body.message ?? body.error ?? `上传失败（${xhr.status}）` });
    };
    xhr.onerror = () => setState({ phase: "error", message: "网络错误，上传没有完成，请重试" });
    setState({ phase: "uploading", percent: 0 });
    xhr.send(new FormData(event.currentTarget));
  };

  return (
    <section>
      <p>
        <Link to={`/campaigns/${campaign.id}`}>← {campaignLabel(campaign.number)}</Link>
      </p>
      <h1>导入推荐人选</h1>
      <p className="lead">
        上传本单位的汇总表（.xlsx 或 .csv，最大 5 MB），或填好的 Word 版推荐审批表（.docx，可一次选择多个，或打成一个 .zip；
        事迹材料的文件名写成“姓名-事迹材料.docx”，与审批表一起上传）。汇总表只列人员信息也可以导入，缺少的内容标为“待补全”。
        导入前会逐行检查并预览，确认后才写入；同一人重复导入不会重复推荐。
      </p>
      <p>
        模板：<a href={`/campaigns/${campaign.id}/export?template=1`}>汇总表（.xlsx）</a> ·{" "}
        <a href={`/campaigns/${campaign.id}/forms/review-form.docx`}>推荐审批表（.docx）</a> ·{" "}
        <a href={`/campaigns/${campaign.id}/forms/story.docx`}>事迹材料（.docx）</a>
      </p>
      <form method="post" action={action} encType="multipart/form-data" className="card form-grid" onSubmit={upload}>
        {units.length ? (
          <div className="field">
            <label htmlFor="unitId">推荐单位</label>
            <select id="unitId" name="unitId" defaultValue="" aria-describedby="unitId-hint">
              <option value="">按汇总表中写明的推荐单位</option>
              {units.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.kind === "social_group" ? `社会团体：${u.short_name}` : u.short_name}
                </option>
              ))}
            </select>
            <p className="hint" id="unitId-hint">
              汇总表上方写有“推荐单位（盖章）：……”时可不选；Word 版推荐审批表须选择。
            </p>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="file">汇总表或推荐审批表</label>
          <input
            id="file"
            name="file"
            type="file"
            required
            multiple
            accept=".xlsx,.csv,.docx,.zip,.doc,.wps,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/zip"
          />
        </div>
        {state.phase === "uploading" ? (
          <div className="span-all" role="status">
            <progress max={100} value={state.percent} /> 正在上传 {state.percent}%
          </div>
        ) : null}
        {state.phase === "checking" ? (
          <div className="span-all" role="status">
            <progress /> 上传完成，正在逐行检查…
          </div>
        ) : null}
        {state.phase === "error" ? (
          <p className="form-errors span-all" role="alert">
            {state.message}
          </p>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={state.phase === "uploading" || state.phase === "checking"}>
            上传并检查
          </button>
        </div>
      </form>
    </section>
  );
}
