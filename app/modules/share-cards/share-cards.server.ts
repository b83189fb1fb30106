import type { DB } from "~db";
import type { CardAddress, CardFace } from "~/lib/share-card.server";
import { dateInTaizhou } from "~/lib/time";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { campaignLabel } from "~/modules/campaigns/stages";
import { publicPhoto, publicPhotoDigest, publicProfile, publicStudio } from "~/modules/showcase/showcase.server";
import { noticeBoard as subsidyNoticeBoard } from "~/modules/subsidies/notice.server";
import { noticeBoard } from "~/modules/voting/notice.server";
import { voteRulesOf } from "~/modules/voting/voting.server";
import { PAGE_CARD_TEXT, RECORD_CARD_TAGS } from "~/modules/share-cards/labels";

/**
 * What a public page's share card shows: read through the very function the page reads itself
 * (publicProfile, publicStudio, the notice boards, the vote's rules), so that a card exists exactly
 * while its page does and shows nothing the page hides — a craftsman without standing consent, a
 * revoked title or studio, a notice not yet public have no card (null: the route's 404). A photo is
 * on the card only while the page shows it (has_photo, standing consent).
 */
export async function shareCardFace(db: DB, address: CardAddress): Promise<CardFace | null> {
  const none = { note: "", photo: null };
  switch (address.kind) {
    case "page":
      return { ...PAGE_CARD_TEXT[address.name], ...none };
    case "craftsman": {
      const profile = await publicProfile(db, address.id);
      if (!profile) return null;
      const digest = profile.has_photo ? await publicPhotoDigest(db, profile.id) : null;
      return {
        ...RECORD_CARD_TAGS.craftsman,
        title: profile.name,
        line: `${profile.award_title} · ${profile.campaign_year}年命名 · ${profile.industry} · ${profile.employer}`,
        note: String(profile.campaign_year),
        photo: digest ? { digest, load: async () => (await publicPhoto(db, profile.id))?.photo ?? null } : null,
      };
    }
    case "studio": {
      const studio = await publicStudio(db, address.id);
      if (!studio) return null;
      return {
        ...RECORD_CARD_TAGS.studio,
        title: studio.name,
        line: `${studio.host_enterprise} · ${studio.unit_name}${studio.accredited_on ? ` · ${studio.accredited_on.slice(0, 4)}年授牌` : ""}`,
        note: studio.accredited_on?.slice(0, 4) ?? "",
        photo: null,
      };
    }
    case "notice": {
      const board = await noticeBoard(db, address.id);
      if (!board || board.state === "not_stage") return null;
      const { notice_start: start, notice_end: end } = board.campaign;
      return {
        ...RECORD_CARD_TAGS.notice,
        title: `${campaignLabel(board.campaign.number)}“台州工匠”拟命名人选公示`,
        line: start && end ? `公示期 ${start} 至 ${end}，有异议的可实名反映` : "公示期内，有异议的可实名反映",
        note: start && end ? `${start} – ${end}` : "",
        photo: null,
      };
    }
    case "vote":
    case "vote-results": {
      const [campaign, rules] = await Promise.all([findCampaign(db, address.id), voteRulesOf(db, address.id)]);
      if (!campaign || !rules) return null;
      const [opens, closes] = [dateInTaizhou(rules.opens_at), dateInTaizhou(rules.closes_at)];
      return {
        ...RECORD_CARD_TAGS[address.kind],
        title: campaign.title,
        line:
          address.kind === "vote"
            ? `投票时间 ${opens} 至 ${closes}，为您心中的“台州工匠”投上一票`
            : `${campaignLabel(campaign.number)}“台州工匠”网络投票的有效票数与作废选票`,
        note: `${opens} – ${closes}`,
        photo: null,
      };
    }
    case "subsidy-notice": {
      const board = await subsidyNoticeBoard(db, address.id);
      if (!board) return null;
      const { year, starts_on: start, ends_on: end } = board.notice;
      return {
        ...RECORD_CARD_TAGS["subsidy-notice"],
        title: `${year}年“台州工匠”学历提升补助公示`,
        line: `公示期 ${start} 至 ${end}，有异议的可实名反映`,
        note: `${start} – ${end}`,
        photo: null,
      };
    }
  }
}
