import { Form, Link, useLoaderData } from "@remix-run/react";
import { DataTable } from "~/components/DataTable";
import { DownloadLink } from "~/components/DownloadLink";
import { useReply } from "~/components/useReply";
import { campaignLabel } from "~/modules/campaigns/stages";
import { ReplyProblems } from "~/components/ReplyProblems";
import type { loader } from "./route";

type NamingPreview = {
  awards: Array<{ rank: number; name: string; title: string; certificateNumber: string }>;
  namedOn: string;
  ranks: Array<{ id: number; value: number }>;
};

/**
 * 审定命名: the ranks to adjust, then the names, titles and certificate numbers it will issue,
 * confirmed by a second press.
 */
export function NamingCard() {
  const { campaign, board, formula, today } = useLoaderData<typeof loader>();
  const preview = useReply<{ preview: NamingPreview }>("name")?.data?.preview;
  const standing = board.filter((b) => b.candidate && !b.withdrawn_reason);
  return (
    <div className="card">
      <h2>审定命名</h2>
      <p className="hint">
        默认按{formula ? "综合得分" : "专家平均分、得票数"}排序，可调整名次。前 {campaign.title_count} 名授予{campaignLabel(campaign.number)}
        “台州工匠”称号和台州市五一劳动奖章。
      </p>
      <Form method="post">
        <input type="hidden" name="intent" value="name" />
        <DataTable
          rows={standing}
          compact
          columns={[
            {
              label: "名次",
              cell: (c, i) => <input name={`rank-${c.id}`} defaultValue={i + 1} inputMode="numeric" className="rank-input" aria-label={`${c.name}的名次`} />,
            },
            { label: "姓名", cell: (c) => c.name },
            { label: "平均分", cell: (c) => c.mean, num: true },
            { label: "得票", cell: (c) => c.vote_count, num: true },
          ]}
        />
        <div className="inline-form">
          <label>
            命名日期
            <input type="date" name="namedOn" defaultValue={today} />
          </label>
          <button type="submit" className="button primary">
            审定命名
          </button>
        </div>
      </Form>
      <ReplyProblems intent="name" />
      {preview ? (
        <Form method="post" className="confirm-naming">
          <h3>
            请核对：将授予以下 {preview.awards.length} 人称号并颁发证书编号（命名日期 {preview.namedOn}）
          </h3>
          <DataTable
            rows={preview.awards}
            rowKey={(a) => a.rank}
            compact
            columns={[
              { label: "名次", cell: (a) => a.rank, num: true },
              { label: "姓名", cell: (a) => a.name },
              { label: "称号", cell: (a) => a.title },
              { label: "证书编号", cell: (a) => a.certificateNumber },
            ]}
          />
          <input type="hidden" name="intent" value="name" />
          <input type="hidden" name="namedOn" value={preview.namedOn} />
          {preview.ranks.map((r) => (
            <input key={r.id} type="hidden" name={`rank-${r.id}`} value={r.value} />
          ))}
          <p role="note">命名后称号和证书编号即颁发，不能撤回。</p>
          <button type="submit" name="confirmed" value="1" className="button danger">
            确认命名并颁发证书
          </button>
        </Form>
      ) : null}
    </div>
  );
}

/** The campaign's named craftsmen, once named. */
export function AwardList() {
  const { campaign, awards } = useLoaderData<typeof loader>();
  return (
    <div className="card">
      <div className="page-head">
        <h2>{campaignLabel(campaign.number)}“台州工匠”命名名单</h2>
        <DownloadLink className="button" href={`/campaigns/${campaign.id}/awards/export`}>
          导出命名名单
        </DownloadLink>
      </div>
      <DataTable
        rows={awards}
        columns={[
          { label: "名次", cell: (a) => a.rank },
          { label: "姓名", cell: (a) => <Link to={`/people/${a.person_id}`}>{a.name}</Link> },
          { label: "工作单位", cell: (a) => a.employer },
          { label: "推荐单位", cell: (a) => a.unit_name },
          { label: "证书编号", cell: (a) => a.certificate_number, className: "mono" },
        ]}
      />
    </div>
  );
}
