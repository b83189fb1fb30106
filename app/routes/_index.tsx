import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getUser } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { PLATFORM_CARD, shareMeta } from "~/lib/og";
import { noticeHappenings } from "~/modules/subsidies/notice.server";
import { publicHappenings } from "~/modules/voting/notice.server";

export const meta: MetaFunction = (at) =>
  shareMeta("匠心", "台州市总工会“台州工匠”选树之后的培养与服务平台：工匠工作室、“1+N”师带徒、学历提升补助、交流培训。", PLATFORM_CARD, at);

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/home");
  // A running vote or notice is what a visitor from a WeChat share most likely came for.
  const db = getDb();
  return json({ happenings: [...(await publicHappenings(db)), ...(await noticeHappenings(db))] });
}

export default function Landing() {
  const { happenings } = useLoaderData<typeof loader>();
  return (
    <section className="landing">
      <h1>匠心 · 台州工匠服务平台</h1>
      {happenings.length ? (
        <ul className="card happenings" aria-label="正在进行">
          {happenings.map((h) => (
            <li key={h.key}>
              <Link to={h.link}>{h.label}</Link>（截至 {h.until}）
            </li>
          ))}
        </ul>
      ) : null}
      <p className="lead">台州市总工会“台州工匠”选树之后的培养与服务平台：工匠工作室、“1+N”师带徒、学历提升补助、交流培训，均与每届选树记录相关联。</p>
      <ul className="feature-list">
        <li>计划五年建立百家以工匠个人名字命名的工作室</li>
        <li>师徒结对，技能提升、竞赛成绩与技能骨干逐条核实</li>
        <li>学历提升补助在线申请、两级审核、预算可控</li>
        <li>跨单位、跨行业、跨区域的交流培训记录与证书</li>
      </ul>
      <p className="actions">
        <Link className="button primary" to="/showcase">
          台州工匠风采
        </Link>
        <Link className="button" to="/showcase/studios">
          工匠工作室
        </Link>
        <Link className="button" to="/verify">
          证书查验
        </Link>
        <Link className="button" to="/login">
          工作人员与工匠登录
        </Link>
      </p>
    </section>
  );
}
