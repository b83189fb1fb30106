import { Link } from "@remix-run/react";
import { campaignLabel } from "~/modules/campaigns/stages";

/** A campaign named as lists name it, by its 届 and year (第三届（2025）), linking to `to`. */
export function CampaignYearLink({ to, number, year }: { to: string; number: number; year: number }) {
  return (
    <Link to={to}>
      {campaignLabel(number)}（{year}）
    </Link>
  );
}
