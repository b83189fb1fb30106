import { CAMPAIGN_AUDIT } from "~/modules/campaigns/labels";
import { STAGE_LABELS } from "~/modules/campaigns/stages";
import { declareNotices, type SubjectResolver } from "~/modules/notifications/sources";

/** A campaign concerns every county and the city alike: it has no owner or unit of its own. */
const campaignSubject: SubjectResolver = async (tx, id) => {
  const c = await tx.selectFrom("campaign").select(["id", "title", "status"]).where("id", "=", id).executeTakeFirst();
  return c && { personId: null, unitId: null, owner: null, unit: null, subject: c.title, stage: STAGE_LABELS[c.status], link: `/campaigns/${c.id}` };
};

export const campaignNotices = declareNotices(CAMPAIGN_AUDIT, campaignSubject, {
  advance: [{ to: ["counties", "city"], category: "campaign", text: "{subject}已进入“{stage}”阶段" }],
  revert_advance: [{ to: ["counties", "city"], category: "campaign", text: "{subject}已撤回到“{stage}”阶段：{reason}" }],
});
