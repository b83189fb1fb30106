import type { DB } from "~db";
import { isCountyOfficer, isCityAdmin, type SessionUser } from "~/auth/roles";
import type { Access } from "~/lib/access";
import { sheet, workbook } from "~/lib/workbook.server";
import type { Campaign } from "~/modules/campaigns/campaigns.server";
import { campaignLabel } from "~/modules/campaigns/stages";
import { awardsOf } from "~/modules/nominations/review.server";
import { SEX_LABELS } from "~/modules/people/id-number";

/**
 * A campaign's 命名名单 as .xlsx: the city's whole list or one unit's; a county officer's own
 * unit's only (asking for another unit's is refused, not quietly answered with their own).
 */
export async function namedListWorkbook(db: DB, user: SessionUser, campaign: Campaign, unitId?: number): Promise<Access<Buffer>> {
  if (!isCityAdmin(user)) {
    if (!isCountyOfficer(user) || (unitId !== undefined && unitId !== user.orgUnitId)) return { status: 403 };
    unitId = user.orgUnitId ?? -1;
  }
  const awards = await awardsOf(db, campaign.id, unitId);
  const title = `${campaignLabel(campaign.number)}“台州工匠”命名名单`;
  return {
    status: 200,
    value: await workbook(
      sheet(
        "命名名单",
        title,
        [
          { header: "名次", kind: "number", width: 8, value: (a) => a.rank },
          { header: "姓名", value: (a) => a.name },
          { header: "性别", width: 8, value: (a) => SEX_LABELS[a.sex] },
          { header: "工作单位", width: 28, value: (a) => a.employer },
          { header: "职务", value: (a) => a.position },
          { header: "所属行业", value: (a) => a.industry },
          { header: "推荐单位", value: (a) => a.unit_name },
          { header: "称号", width: 22, value: (a) => a.title },
          { header: "证书编号", width: 18, value: (a) => a.certificate_number },
          { header: "台州市五一劳动奖章", value: (a) => a.may_day_medal },
          { header: "命名日期", value: (a) => a.named_on },
        ],
        awards,
      ),
    ),
  };
}
