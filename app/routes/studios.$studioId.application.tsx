import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { OpinionRow, PrintSheet } from "~/components/PrintSheet";
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
      <table className="paper-form">
        <colgroup>
          {Array.from({ length: 8 }, (_, i) => (
            <col key={i} className={i % 2 === 0 ? "label-col" : ""} />
          ))}
        </colgroup>
        <tbody>
          <tr>
            <th scope="row">工作室名称</th>
            <td colSpan={7}>{s.name}</td>
          </tr>
          <tr>
            <th scope="row">领衔工匠</th>
            <td>{s.leader_name}</td>
            <th scope="row">性　别</th>
            <td>{SEX_LABELS[leader.sex]}</td>
            <th scope="row">出生年月</th>
            <td>{leader.birthDate.slice(0, 7)}</td>
            <th scope="row">学　历</th>
            <td>{leader.education}</td>
          </tr>
          <tr>
            <th scope="row">工作单位</th>
            <td colSpan={3}>{leader.employer}</td>
            <th scope="row">职务/职称</th>
            <td colSpan={3}>{[leader.position, leader.title].filter(Boolean).join("，")}</td>
          </tr>
          <tr>
            <th scope="row">技术等级</th>
            <td>{leader.skillLevel}</td>
            <th scope="row">联系电话</th>
            <td className="mono">{leader.phone}</td>
            <th scope="row">所获称号</th>
            <td colSpan={3}>
              {s.award_title}（证书编号 {s.certificate_number}）
            </td>
          </tr>
          <tr>
            <th scope="row">依托企业</th>
            <td colSpan={3}>{s.host_enterprise}</td>
            <th scope="row">所属工会</th>
            <td colSpan={3}>{s.unit_name}</td>
          </tr>
          <tr>
            <th scope="row">所属行业</th>
            <td colSpan={3}>
              {s.industry}（{FOCUS_SECTOR_LABELS[s.focus_sector]}）
            </td>
            <th scope="row">地　址</th>
            <td colSpan={3}>{s.address}</td>
          </tr>
          <tr className="tall">
            <th scope="row">主攻方向</th>
            <td colSpan={7} className="pre">
              {s.focus_areas}
            </td>
          </tr>
          <tr className="taller">
            <th scope="row">建设方案</th>
            <td colSpan={7} className="pre">
              {s.founding_plan}
            </td>
          </tr>
          <OpinionRow label="依托企业意见" sign="（盖章）" />
          <OpinionRow label="县级总工会审核意见" sign="（盖章）" />
          <OpinionRow label="市总工会意见" sign="（盖章）" />
        </tbody>
      </table>
    </PrintSheet>
  );
}
