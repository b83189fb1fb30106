import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { FieldRow, OpinionRow, PaperForm, PrintSheet } from "~/components/PrintSheet";
import { getDb } from "~/db.server";
import { formatDate } from "~/lib/format";
import { granted, idParam } from "~/lib/http.server";
import { SEX_LABELS } from "~/modules/people/id-number";
import { findPerson } from "~/modules/people/people.server";
import { FOCUS_SECTOR_LABELS } from "~/modules/studios/labels";
import { STUDIO_STATUS_LABELS } from "~/modules/studios/policy";
import { studioForViewer } from "~/modules/studios/studios.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `工作室申请表 · ${data?.studio.name ?? ""}` }];

/** The application to found a studio, as the paper its enterprise and the unions sign and stamp. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "studio.read");
  const db = getDb();
  const studio = granted(await studioForViewer(db, user, idParam(params.studioId)));
  const leader = (await findPerson(db, studio.person_id))!;
  return json({
    studio,
    leader: {
      sex: leader.sex,
      birthDate: leader.birth_date,
      education: leader.education,
      position: leader.position,
      title: leader.title,
      skillLevel: leader.skill_level,
      employer: leader.employer,
      phone: leader.phone_masked,
    },
  });
}

export default function StudioApplicationForm() {
  const { studio: s, leader } = useLoaderData<typeof loader>();
  return (
    <PrintSheet
      back={{ to: `/studios/${s.id}`, label: s.name }}
      title="“台州工匠”工作室创建申请表"
      particulars={`申请日期：${formatDate(s.created_at)} · ${STUDIO_STATUS_LABELS[s.status]}`}
    >
      <PaperForm>
        <FieldRow fields={[["工作室名称", s.name]]} />
        <FieldRow
          fields={[
            ["领衔工匠", s.leader_name],
            ["性　别", SEX_LABELS[leader.sex]],
            ["出生年月", leader.birthDate.slice(0, 7)],
            ["学　历", leader.education],
          ]}
        />
        <FieldRow
          fields={[
            ["工作单位", leader.employer],
            ["职务/职称", [leader.position, leader.title].filter(Boolean).join("，")],
          ]}
        />
        <FieldRow
          fields={[
            ["技术等级", leader.skillLevel],
            ["联系电话", leader.phone, "mono"],
          ]}
        />
        <FieldRow fields={[["所获称号", `${s.award_title}（证书编号 ${s.certificate_number}）`]]} />
        <FieldRow
          fields={[
            ["依托企业", s.host_enterprise],
            ["所属工会", s.unit_name],
          ]}
        />
        <FieldRow
          fields={[
            ["所属行业", `${s.industry}（${FOCUS_SECTOR_LABELS[s.focus_sector]}）`],
            ["地　址", s.address],
          ]}
        />
        <FieldRow className="tall" fields={[["主攻方向", s.focus_areas, "pre"]]} />
        <FieldRow className="taller" fields={[["建设方案", s.founding_plan, "pre"]]} />
        <OpinionRow label="依托企业意见" sign="（盖章）" />
        <OpinionRow label="县级总工会审核意见" sign="（盖章）" />
        <OpinionRow label="市总工会意见" sign="（盖章）" />
      </PaperForm>
    </PrintSheet>
  );
}
