import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { getDb } from "~/db.server";
import { formatDate } from "~/lib/format";
import { searchParams } from "~/lib/http.server";
import { verifyCertificate } from "~/modules/events/events.server";
import { verifyAward } from "~/modules/showcase/showcase.server";
import { campaignBasis } from "~/modules/governance/documents.server";
import { basisLine } from "~/modules/governance/labels";

export const meta: MetaFunction = () => [{ title: "证书查验 · 匠心" }];

/** Public: anyone may check a certificate number; the answer names the holder and the event, nothing more. */
export async function loader({ request }: LoaderFunctionArgs) {
  const code = (searchParams(request).code ?? "").trim().toUpperCase().slice(0, 40);
  if (!code) return json({ code, result: null, checked: false });
  if (!code.startsWith("JX")) {
    const award = await verifyAward(getDb(), code);
    const basis = award ? await campaignBasis(getDb(), award.campaign_id) : null;
    return json(
      {
        code,
        checked: true,
        result: award
          ? {
              name: award.name ?? "（获证人未同意公开姓名）",
              title: award.title,
              date: award.named_on,
              hours: null,
              issuer: "台州市总工会",
              basis: basis && basisLine(basis, "命名"),
            }
          : null,
      },
      { status: award ? 200 : 404 },
    );
  }
  const found = await verifyCertificate(getDb(), code);
  return json(
    {
      code,
      checked: true,
      result: found
        ? { name: found.name, title: found.title, date: formatDate(found.starts_at), hours: Number(found.hours), issuer: found.unit_name, basis: null }
        : null,
    },
    { status: found ? 200 : 404 },
  );
}

export default function Verify() {
  const { code, result, checked } = useLoaderData<typeof loader>();
  return (
    <section className="narrow">
      <h1>证书查验</h1>
      <Form method="get" className="card">
        <div className="field">
          <label htmlFor="code">证书编号</label>
          <p className="hint">交流培训证书（JX 开头）或“台州工匠”证书（TZGJ 开头）</p>
          <input id="code" name="code" defaultValue={code} className="mono" autoComplete="off" />
        </div>
        <button type="submit" className="button primary wide">
          查验
        </button>
      </Form>
      {checked && result ? (
        <div className="notice success" role="status">
          <p>证书有效。</p>
          <p>
            {result.hours === null
              ? `${result.name}，${result.date} 被授予${result.title}称号，由${result.issuer}颁发。`
              : `${result.name}，${result.date} 参加“${result.title}”，${result.hours} 学时，由${result.issuer}颁发。`}
          </p>
          {result.basis ? <p>{result.basis}</p> : null}
        </div>
      ) : null}
      {checked && !result ? (
        <p className="form-errors" role="alert">
          查无此证书：编号“{code}”不存在或无效。
        </p>
      ) : null}
    </section>
  );
}
