import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { OpinionRow, PrintSheet } from "~/components/PrintSheet";
import { getDb } from "~/db.server";
import { granted, idParam } from "~/lib/http.server";
import { formatFen } from "~/lib/money";
import { SEX_LABELS } from "~/modules/people/id-number";
import { findPerson } from "~/modules/people/people.server";
import { ATTACHMENT_LABELS, STUDY_MODE_LABELS } from "~/modules/subsidies/labels";
import { SUBSIDY_STATUS_LABELS } from "~/modules/subsidies/policy";
import { applicationForViewer, attachmentsOf, awardOf } from "~/modules/subsidies/subsidies.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `学历提升补助申请表 · ${data?.app.name ?? ""}` }];

/** The application as the paper the applicant signs and the unions stamp; whoever may see the application prints it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "subsidy.read");
  const db = getDb();
  const app = granted(await applicationForViewer(db, user, idParam(params.applicationId)));
  const [person, award, attachments] = await Promise.all([findPerson(db, app.person_id), awardOf(db, app.person_id), attachmentsOf(db, app.id)]);
  return json({
    app,
    person: { sex: person!.sex, idNumber: person!.id_number_masked, phone: person!.phone_masked, birthDate: person!.birth_date },
    award: award ?? null,
    attachments: attachments.map((a) => ({ kind: a.kind, filename: a.filename })),
  });
}

export default function SubsidyForm() {
  const { app, person, award, attachments } = useLoaderData<typeof loader>();
  return (
    <PrintSheet
      back={{ to: `/subsidies/${app.id}`, label: "补助申请" }}
      title={`${app.year}年“台州工匠”学历提升补助申请表`}
      particulars={`编号：${app.year}-${app.id} · ${SUBSIDY_STATUS_LABELS[app.status]}`}
    >
      <table className="paper-form">
        <colgroup>
          {Array.from({ length: 8 }, (_, i) => (
            <col key={i} className={i % 2 === 0 ? "label-col" : ""} />
          ))}
        </colgroup>
        <tbody>
          <tr>
            <th scope="row">姓　名</th>
            <td>{app.name}</td>
            <th scope="row">性　别</th>
            <td>{SEX_LABELS[person.sex]}</td>
            <th scope="row">身份证号</th>
            <td colSpan={3} className="mono">
              {person.idNumber}
            </td>
          </tr>
          <tr>
            <th scope="row">工作单位</th>
            <td colSpan={3}>{app.employer}</td>
            <th scope="row">联系电话</th>
            <td colSpan={3} className="mono">
              {person.phone}
            </td>
          </tr>
          <tr>
            <th scope="row">所属工会</th>
            <td colSpan={3}>{app.unit_name}</td>
            <th scope="row">所获称号</th>
            <td colSpan={3}>{award ? `${award.title}（${award.named_on}命名）` : ""}</td>
          </tr>
          <tr>
            <th scope="row">现有学历</th>
            <td>{app.current_education}</td>
            <th scope="row">报读学历</th>
            <td>{app.target_degree}</td>
            <th scope="row">学习形式</th>
            <td colSpan={3}>{STUDY_MODE_LABELS[app.study_mode]}</td>
          </tr>
          <tr>
            <th scope="row">院　校</th>
            <td colSpan={3}>{app.institution}</td>
            <th scope="row">专　业</th>
            <td colSpan={3}>{app.programme}</td>
          </tr>
          <tr>
            <th scope="row">入学时间</th>
            <td colSpan={3}>{app.enrolled_on}</td>
            <th scope="row">预计毕业</th>
            <td colSpan={3}>{app.expected_graduation}</td>
          </tr>
          <tr>
            <th scope="row">学费总额</th>
            <td colSpan={3} className="num">
              {formatFen(app.tuition_fen)}
            </td>
            <th scope="row">申请金额</th>
            <td colSpan={3} className="num">
              {formatFen(app.requested_fen)}
            </td>
          </tr>
          {app.approved_fen !== null ? (
            <tr>
              <th scope="row">批准金额</th>
              <td colSpan={3} className="num">
                {formatFen(app.approved_fen)}
              </td>
              <th scope="row">已拨付</th>
              <td colSpan={3} className="num">
                {formatFen(app.paid_fen)}
              </td>
            </tr>
          ) : null}
          <tr className="tall">
            <th scope="row">附件</th>
            <td colSpan={7}>
              {attachments.length ? (
                <ul>
                  {attachments.map((a, i) => (
                    <li key={i}>
                      {ATTACHMENT_LABELS[a.kind]}：{a.filename}
                    </li>
                  ))}
                </ul>
              ) : (
                "（无）"
              )}
            </td>
          </tr>
          <OpinionRow label="申请人承诺" sign="申请人（签字）：">
            以上所填信息及所附材料真实有效，如有不实，愿退回补助并承担相应责任。
          </OpinionRow>
          <OpinionRow label="县级总工会审核意见" sign="（盖章）" />
          <OpinionRow label="市总工会审批意见" sign="（盖章）" />
        </tbody>
      </table>
    </PrintSheet>
  );
}
