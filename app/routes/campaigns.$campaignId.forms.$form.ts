import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { idParam, notFound } from "~/lib/http.server";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { campaignLabel } from "~/modules/campaigns/stages";
import { reviewFormTemplate, storyTemplate } from "~/modules/nominations/review-form.server";

const FORMS = {
  "review-form.docx": { name: "推荐审批表", build: reviewFormTemplate },
  "story.docx": { name: "事迹材料", build: storyTemplate },
} as const;

/** The notice's annex as Word templates: the 推荐审批表 and the 事迹材料, to fill in and upload again. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "campaign.read");
  const campaign = await findCampaign(getDb(), idParam(params.campaignId));
  const form = FORMS[params.form as keyof typeof FORMS];
  if (!campaign || !form || !Object.hasOwn(FORMS, params.form ?? "")) throw notFound("没有这个模板");
  const body = await form.build(campaign);
  const filename = `${campaignLabel(campaign.number)}台州工匠${form.name}（模板）.docx`;
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`,
      "Cache-Control": "no-store",
    },
  });
}
