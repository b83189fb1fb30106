import { parseWithZod } from "~/lib/form.server";
import { revealIntentSchema } from "~/modules/people/schema.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { granted, idParam } from "~/lib/http.server";
import { replyDone, replyUnknownIntent } from "~/lib/reply.server";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { campaignLabel, nominationCode } from "~/modules/campaigns/stages";
import { SEX_LABELS } from "~/modules/people/id-number";
import { canPrintFullIdNumber } from "~/modules/nominations/policy";
import { revealPersonalData } from "~/modules/people/people.server";
import { formSigners, nominationForViewer, opinionsOf } from "~/modules/nominations/nominations.server";
import { IntentButton } from "~/components/forms";
import { useReply } from "~/components/useReply";
import { OPINION_LABELS } from "~/modules/nominations/labels";
import { PrintButton } from "~/components/PrintButton";
import { PaperForm } from "~/components/PrintSheet";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${campaignLabel(data.campaign.number)}“台州工匠”推荐审批表 · ${data.nomination.name}` : "推荐审批表" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const nomination = granted(await nominationForViewer(db, user, idParam(params.nominationId)));
  const [campaign, opinions, signers] = await Promise.all([
    findCampaign(db, nomination.campaign_id),
    opinionsOf(db, nomination.id),
    formSigners(db, nomination.id),
  ]);
  return json({ nomination, campaign: campaign!, opinions, signers, canReveal: canPrintFullIdNumber(user, nomination) });
}

/** The city and the nominating unit's officer print the full ID number; the reveal is recorded like any other. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const nomination = granted(await nominationForViewer(db, user, idParam(params.nominationId)));
  const submission = parseWithZod(await request.formData(), { schema: revealIntentSchema });
  if (submission.status !== "success") return replyUnknownIntent();
  const revealed = await revealPersonalData(db, user, nomination.person_id, "打印推荐审批表", canPrintFullIdNumber(user, nomination));
  if (!revealed.ok) throw json({ error: "无权查看" }, { status: revealed.status });
  return replyDone("reveal", { data: { idNumber: revealed.idNumber } });
}

/** A date as the paper form writes it: 2026年05月20日. */
const onPaper = (date: string) => date.replace(/^(\d+)-(\d+)-(\d+)$/, "$1年$2月$3日");

/** Who entered (or decided) a block, from its history: never the one printing, never left to guess. */
function SignedBy({ label, who }: { label: string; who: { name: string; unit: string | null; on: string } | undefined }) {
  if (!who) return null;
  return (
    <span className="signed-by">
      {label}：{who.name}
      {who.unit ? `（${who.unit}）` : ""}　{onPaper(who.on)}
    </span>
  );
}

export default function PrintForm() {
  const { nomination: n, campaign, opinions, signers, canReveal } = useLoaderData<typeof loader>();
  const revealed = useReply<{ idNumber: string }>("reveal")?.data;
  const opinion = (kind: keyof typeof OPINION_LABELS) => opinions.find((o) => o.kind === kind);
  return (
    <section className="print-sheet">
      <div className="no-print actions">
        <Link className="button" to={`/nominations/${n.id}`}>
          ← 返回
        </Link>
        {canReveal && !revealed?.idNumber ? <IntentButton intent="reveal" label="打印完整身份证号（记入日志）" /> : null}
        <PrintButton label="打印" primary />
      </div>
      <p className="form-no">编号：{nominationCode(campaign.number, n.seq)}</p>
      <h1 className="form-title">{campaignLabel(campaign.number)}“台州工匠”推荐审批表</h1>
      <PaperForm>
        <tr>
          <th>姓　名</th>
          <td>{n.name}</td>
          <th>身份证号码</th>
          <td colSpan={5} className="mono">
            {revealed?.idNumber ?? n.id_number_masked}
          </td>
        </tr>
        <tr>
          <th>性　别</th>
          <td>{SEX_LABELS[n.sex]}</td>
          <th>民族</th>
          <td>{n.ethnicity}</td>
          <th>学历</th>
          <td>{n.education}</td>
          <th>政治面貌</th>
          <td>{n.political_status}</td>
        </tr>
        <tr>
          <th>工作单位</th>
          <td colSpan={3}>{n.employer}</td>
          <th>所属行业</th>
          <td colSpan={3}>{n.industry}</td>
        </tr>
        <tr>
          <th>职　务</th>
          <td>{n.position}</td>
          <th>职称</th>
          <td>{n.title}</td>
          <th>技术等级</th>
          <td colSpan={3}>{n.skill_level}</td>
        </tr>
        <tr className="tall">
          <th>已获荣誉</th>
          <td colSpan={7} className="pre">
            {n.honors}
          </td>
        </tr>
        <tr className="tall">
          <th>主要技术成果</th>
          <td colSpan={7} className="pre">
            {n.achievements}
          </td>
        </tr>
        <tr className="taller">
          <th>
            主要事迹
            <br />
            （500字左右）
          </th>
          <td colSpan={7} className="pre">
            {n.deeds_summary}
          </td>
        </tr>
        {(["employer", "county", "expert", "city"] as const).map((kind) => {
          const o = opinion(kind);
          return (
            <tr key={kind} className="opinion-row">
              {/* Two columns for the label: the county's is forty characters long. */}
              <th colSpan={2}>{OPINION_LABELS[kind]}</th>
              <td colSpan={6}>
                <p className="pre">{o?.text ?? ""}</p>
                {/* Who entered it, on the left of the seal's line, so the block is no taller. */}
                <p className="sign">
                  <span className="signed-by-list">
                    <SignedBy label="经办" who={signers[kind]} />
                    {kind === "city" ? (
                      <SignedBy label={`资格初审${n.qualification_result === "fail" ? "未通过" : "通过"}`} who={signers.qualification} />
                    ) : null}
                  </span>
                  <span className="seal">
                    {kind === "expert" ? "组长签名" : "（盖章）"}：{o?.signer ?? ""}　　
                    {o?.signed_on ? onPaper(o.signed_on) : "　　年　　月　　日"}
                  </span>
                </p>
              </td>
            </tr>
          );
        })}
      </PaperForm>
    </section>
  );
}
