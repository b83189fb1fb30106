import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { clientAddress } from "~/auth/throttle.server";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ReplyProblems } from "~/components/ReplyProblems";
import { getDb } from "~/db.server";
import { requireCampaign } from "~/modules/campaigns/campaigns.server";
import { recordVotes } from "~/modules/nominations/review.server";
import { campaignLabel } from "~/modules/campaigns/stages";
import { parseVoteFile, voteCandidates } from "~/modules/nominations/votes.server";
import { stepOpen } from "~/modules/nominations/policy";
import { MAX_UPLOAD_BYTES, SpreadsheetError } from "~/lib/spreadsheet.server";
import { readForm } from "~/lib/upload.server";
import { replyRefused } from "~/lib/reply.server";
import { refuse } from "~/lib/result";

export const meta: MetaFunction = () => [{ title: "导入网络投票结果 · 匠心" }];

async function load(request: Request, campaignId: string | undefined) {
  const { user, campaign } = await requireCampaign(request, campaignId, "campaign.manage");
  if (!stepOpen(campaign, "votes")) throw json({ error: "只能在“网络投票”阶段导入得票数" }, { status: 409 });
  return { user, campaign };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign } = await load(request, params.campaignId);
  return json({ campaign });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, campaign } = await load(request, params.campaignId);
  const read = await readForm(request, clientAddress(request, context), MAX_UPLOAD_BYTES);
  if (!read.ok) return replyRefused("upload", read);
  const { formData } = read;
  const file = formData.get("file");
  if (!(file instanceof File) || file.size === 0) return replyRefused("upload", refuse("请选择文件"));
  const db = getDb();
  const candidates = await voteCandidates(db, campaign.id);
  try {
    const parsed = await parseVoteFile(new Uint8Array(await file.arrayBuffer()), campaign.number, candidates);
    // Every wrong line at once: nothing is written until the file is right.
    if (!parsed.ok) return replyRefused("upload", refuse(parsed.errors[0] ?? "文件无法读取", { reasons: parsed.errors }));
    const result = await recordVotes(db, user, campaign.id, parsed.votes, `导入：${file.name}`.slice(0, 100));
    if (!result.ok) return replyRefused("upload", result);
    throw redirect(`/campaigns/${campaign.id}/review`);
  } catch (error) {
    if (error instanceof SpreadsheetError) return replyRefused("upload", refuse(error.message));
    throw error;
  }
}

export default function VoteImport() {
  const { campaign } = useLoaderData<typeof loader>();
  return (
    <section>
      <p>
        <Link to={`/campaigns/${campaign.id}/review`}>← 评审与命名</Link>
      </p>
      <h1>导入网络投票结果：{campaignLabel(campaign.number)}</h1>
      <p className="lead">
        上传投票平台导出的 .xlsx 或 .csv：每行一位候选对象，含“编号”（如 {campaign.number}-001）或“姓名”，以及“票数”。有任何一行不对，都不会写入。
      </p>
      <Form method="post" encType="multipart/form-data" className="card">
        <div className="field">
          <label htmlFor="file">投票结果文件</label>
          <input id="file" name="file" type="file" required accept=".xlsx,.csv" />
        </div>
        <ReplyProblems intent="upload" />
        <button type="submit" className="button primary">
          导入
        </button>
      </Form>
    </section>
  );
}
