import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requirePermission, requireUser } from "~/auth/session.server";
import { FieldError } from "~/components/forms";
import { getDb } from "~/db.server";
import { formatDateTime } from "~/lib/format";
import { granted, idParam } from "~/lib/http.server";
import { historyOf } from "~/modules/audit/audit.server";
import { actionLabel } from "~/modules/audit/labels";
import { SEX_LABELS } from "~/modules/people/id-number";
import { personForViewer, revealPersonalData } from "~/modules/people/people.server";
import { canEditPerson, canRevealPersonalData } from "~/modules/people/policy";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.person.name ?? "人员"} · 匠心` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const person = granted(await personForViewer(db, user, idParam(params.personId)));
  const history = user.role === "craftsman" ? [] : await historyOf(db, "person", person.id);
  return json({
    person,
    history,
    canEdit: canEditPerson(user, person),
    canReveal: canRevealPersonalData(user),
  });
}

const revealSchema = z.object({
  intent: z.literal("reveal"),
  reason: z.string({ error: "请说明查看完整号码的事由" }).trim().min(2, "请说明查看完整号码的事由").max(200, "事由不超过200字"),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "person.reveal");
  const id = idParam(params.personId);
  const submission = parseWithZod(await request.formData(), { schema: revealSchema });
  if (submission.status !== "success") return json({ result: submission.reply(), revealed: null }, { status: 400 });
  const revealed = await revealPersonalData(getDb(), user, id, submission.value.reason);
  if (!revealed.ok) throw json({ error: revealed.status === 404 ? "记录不存在" : "无权查看" }, { status: revealed.status });
  return json(
    { result: submission.reply(), revealed: { idNumber: revealed.idNumber, phone: revealed.phone } },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export default function PersonPage() {
  const { person, history, canEdit, canReveal } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const revealed = data?.revealed;
  return (
    <section>
      <div className="page-head">
        <h1>{person.name}</h1>
        <div className="actions">
          {canEdit ? (
            <Link className="button" to={`/people/${person.id}/edit`}>
              修改
            </Link>
          ) : null}
          {canReveal ? (
            <Link className="button" to={`/users/new?personId=${person.id}`}>
              开通工匠账号
            </Link>
          ) : null}
        </div>
      </div>
      <dl className="facts card">
        <dt>性别</dt>
        <dd>{SEX_LABELS[person.sex]}</dd>
        <dt>出生日期</dt>
        <dd>{person.birth_date}</dd>
        <dt>民族</dt>
        <dd>{person.ethnicity}</dd>
        <dt>学历</dt>
        <dd>{person.education}</dd>
        <dt>政治面貌</dt>
        <dd>{person.political_status}</dd>
        <dt>工作单位</dt>
        <dd>{person.employer}</dd>
        <dt>所属行业</dt>
        <dd>{person.industry}</dd>
        <dt>职务</dt>
        <dd>{person.position || "—"}</dd>
        <dt>职称</dt>
        <dd>{person.title || "—"}</dd>
        <dt>技术等级</dt>
        <dd>{person.skill_level}</dd>
        <dt>所属工会</dt>
        <dd>{person.unit_name}</dd>
        <dt>身份证号码</dt>
        <dd className="mono">{revealed?.idNumber ?? person.id_number_masked}</dd>
        <dt>联系电话</dt>
        <dd className="mono">{revealed ? (revealed.phone ?? "未填") : (person.phone_masked ?? "未填")}</dd>
      </dl>
      {canReveal && !revealed ? (
        <Form method="post" className="card reveal-form">
          <input type="hidden" name="intent" value="reveal" />
          <label htmlFor="reveal-reason">查看完整身份证号和电话（将记入操作日志）</label>
          <input id="reveal-reason" name="reason" placeholder="事由，如：核对推荐审批表" />
          <FieldError errors={data?.result?.error?.reason ?? undefined} />
          <button type="submit" className="button">
            查看完整号码
          </button>
        </Form>
      ) : null}
      {history.length ? (
        <div className="card">
          <h2>变更记录</h2>
          <ul className="timeline">
            {history.map((h) => (
              <li key={h.id}>
                <time>{formatDateTime(h.at)}</time> {h.actor_name} · {actionLabel(h.action)}
                {h.comment ? `（${h.comment}）` : ""}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
