import { CAMPAIGN_STAGES, STAGE_LABELS, stageIndex, type CampaignStatus } from "~/modules/campaigns/stages";

export function StageBar({ status }: { status: CampaignStatus }) {
  const current = stageIndex(status);
  return (
    <ol className="stage-bar" aria-label="评选阶段">
      {CAMPAIGN_STAGES.map((stage, i) => (
        <li key={stage} className={i < current ? "done" : i === current ? "current" : ""} aria-current={i === current ? "step" : undefined}>
          {STAGE_LABELS[stage]}
        </li>
      ))}
    </ol>
  );
}
