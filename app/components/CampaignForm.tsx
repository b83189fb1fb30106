import type { z } from "zod";
import { useForm, type SubmissionResult } from "@conform-to/react";
import type { campaignSchema } from "~/modules/campaigns/schema.server";
import { CardForm, TextField, acceptInBrowser } from "~/components/fields";

export function CampaignForm({
  lastResult,
  defaultValue,
  intent,
}: {
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue?: Record<string, string>;
  intent?: string;
}) {
  const [form, fields] = useForm<z.input<typeof campaignSchema>>({
    onValidate: acceptInBrowser,
    lastResult,
    defaultValue,
  });
  return (
    <CardForm form={form}>
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      <TextField label="届次（第几届）" meta={fields.number} required type="number" min={1} />
      <TextField label="年度" meta={fields.year} required type="number" min={2000} />
      <TextField label="活动名称" meta={fields.title} required />
      <TextField label="推荐截止日期" meta={fields.nominationDeadline} hint="县级总工会可在当天结束前录入和修改" required type="date" />
      <TextField label="每单位推荐名额" meta={fields.quotaPerUnit} hint="原则上每个县级总工会5名" required type="number" min={1} />
      <TextField label="命名人数" meta={fields.titleCount} hint="前N名授予“台州工匠”称号" required type="number" min={1} />
    </CardForm>
  );
}
