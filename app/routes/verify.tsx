import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { publicPageHeaders } from "~/auth/session.server";
import { RevokedNotice } from "~/components/RevokedNotice";
import { getDb } from "~/db.server";
import { shareCard, shareMeta } from "~/lib/og";
import { formatDate } from "~/lib/format";
import { loaderHeaders, searchParams } from "~/lib/http.server";
import { verifyCertificate } from "~/modules/events/events.server";
import { verifyAward } from "~/modules/showcase/showcase.server";
import { campaignBasis } from "~/modules/governance/documents.server";
import { basisLine } from "~/modules/governance/labels";

export const meta: MetaFunction = (at) =>
  shareMeta("证书查验", "输入证书编号，核验“台州工匠”荣誉证书和交流培训证书。", shareCard("page", "verify", "证书查验"), at);

export const headers = loaderHeaders;

/**
 * Public: anyone may check a certificate number; the answer names the holder and the event, nothing more —
 * or that the title was revoked, by which document and when. What the award certificate's QR code opens: kept
 * at most a minute for visitors (publicPageHeaders), so a revocation reads 已撤销 within a minute.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const code = (searchParams(request).code ?? "").trim().toUpperCase().slice(0, 40);
  const headers = publicPageHeaders(request);
  if (!code) return json({ code, result: null, revoked: null, checked: false }, { headers });
  if (!code.startsWith("JX")) {
    const award = await verifyAward(getDb(), code);
    // Worded here, the holder's name only with their consent: “证书 X（第二届“台州工匠”称号）” rather than a bracket in a bracket.
    const revoked =
      award?.revoked_on && award.document_number && award.document_issuer
        ? {
            what: `证书 ${code}（${award.name ? `${award.name}的` : ""}${award.title}称号）`,
            revokedOn: award.revoked_on,
            documentNumber: award.document_number,
            issuer: award.document_issuer,
          }
        : null;
    const basis = award ? await campaignBasis(getDb(), award.campaign_id) : null;
    return json(
      {
        code,
        checked: true,
        result: award
          ? {
              name: award.name ?? "获证人（未同意公开姓名）",
              title: award.title,
              date: award.named_on,
              hours: null,
              issuer: "台州市总工会",
              basis: basis && basisLine(basis, "命名"),
            }
          : null,
        revoked,
      },
      { status: award ? 200 : 404, headers },
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
      revoked: null,
    },
    { status: found ? 200 : 404, headers },
  );
}

export default function Verify() {
  const { code, result, revoked, checked } = useLoaderData<typeof loader>();
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
      {checked && result && revoked ? (
        <RevokedNotice what={revoked.what} issuer={revoked.issuer} documentNumber={revoked.documentNumber} revokedOn={revoked.revokedOn} />
      ) : null}
      {checked && result && !revoked ? (
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
