import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { FieldRow, OpinionRow, PaperForm, PrintSheet } from "~/components/PrintSheet";
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
      <PaperForm>
        <FieldRow
          fields={[
            ["姓　名", app.name],
            ["性　别", SEX_LABELS[person.sex]],
          ]}
        />
        <FieldRow
          fields={[
            ["身份证号", person.idNumber, "mono"],
            ["联系电话", person.phone, "mono"],
          ]}
        />
        <FieldRow
          fields={[
            ["工作单位", app.employer],
            ["所属工会", app.unit_name],
          ]}
        />
        <FieldRow fields={[["所获称号", award ? `${award.title}（${award.named_on}命名）` : ""]]} />
        <FieldRow
          fields={[
            ["现有学历", app.current_education],
            ["报读学历", app.target_degree],
          ]}
        />
        <FieldRow
          fields={[
            ["院　校", app.institution],
            ["专　业", app.programme],
          ]}
        />
        <FieldRow
          fields={[
            ["学习形式", STUDY_MODE_LABELS[app.study_mode]],
            ["入学时间", app.enrolled_on],
          ]}
        />
        <FieldRow fields={[["预计毕业", app.expected_graduation]]} />
        <FieldRow
          fields={[
            ["学费总额", formatFen(app.tuition_fen), "num"],
            ["申请金额", formatFen(app.requested_fen), "num"],
          ]}
        />
        {app.approved_fen !== null ? (
          <FieldRow
            fields={[
              ["批准金额", formatFen(app.approved_fen), "num"],
              ["已拨付", formatFen(app.paid_fen), "num"],
            ]}
          />
        ) : null}
        <FieldRow
          className="tall"
          fields={[
            [
              "附　件",
              attachments.length ? (
                <ul>
                  {attachments.map((a, i) => (
                    <li key={i}>
                      {ATTACHMENT_LABELS[a.kind]}：{a.filename}
                    </li>
                  ))}
                </ul>
              ) : (
                "（无）"
              ),
            ],
          ]}
        />
        <OpinionRow label="申请人承诺" sign="申请人（签字）：">
          以上所填信息及所附材料真实有效，如有不实，愿退回补助并承担相应责任。
        </OpinionRow>
        <OpinionRow label="县级总工会审核意见" sign="（盖章）" />
        <OpinionRow label="市总工会审批意见" sign="（盖章）" />
      </PaperForm>
    </PrintSheet>
  );
}
