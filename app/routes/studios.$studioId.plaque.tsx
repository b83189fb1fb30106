import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { QrCode } from "~/components/QrCode";
import { getDb } from "~/db.server";
import { absoluteUrl, granted, idParam } from "~/lib/http.server";
import { qrSvg } from "~/lib/qr.server";
import { studioForViewer } from "~/modules/studios/studios.server";
import { PrintButton } from "~/components/PrintButton";
import { StudioTitleBasis } from "~/components/TitleBasis";
import { studioBasis } from "~/modules/governance/documents.server";

export const meta: MetaFunction = () => [{ title: "工作室牌匾 · 匠心" }];

/** The plaque sheet to print on A4: the studio's name, its plaque number, and a QR to its public page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "studio.read");
  const db = getDb();
  const studio = granted(await studioForViewer(db, user, idParam(params.studioId)));
  if (!studio.plaque_number) throw json({ error: "工作室尚未授牌，没有牌匾" }, { status: 409 });
  // A revoked plaque is recalled, not printed again.
  if (studio.status === "revoked") throw json({ error: "工作室已摘牌，牌匾已撤销，不能再打印" }, { status: 409 });
  const address = absoluteUrl(`/showcase/studios/${studio.id}`);
  const basis = await studioBasis(db, studio.id);
  return json({ name: studio.name, plaque: studio.plaque_number, accreditedOn: studio.accredited_on, basis, address, qr: await qrSvg(address) });
}

export default function Plaque() {
  const p = useLoaderData<typeof loader>();
  return (
    <section className="plaque">
      <p className="no-print actions">
        <PrintButton label="打印牌匾" primary />
      </p>
      <div className="plaque-sheet">
        <p className="plaque-issuer">台州市总工会</p>
        <h1>{p.name}</h1>
        <p className="plaque-number">编号 {p.plaque}</p>
        <QrCode svg={p.qr} label={`${p.name}公开页面的二维码`} />
        <p className="plaque-address">扫码了解工作室：{p.address}</p>
        <p className="plaque-date">{p.accreditedOn} 授牌</p>
        <StudioTitleBasis basis={p.basis} />
      </div>
    </section>
  );
}
