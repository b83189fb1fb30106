import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { forbidden, requirePermission } from "~/auth/session.server";
import { FormPage } from "~/components/FormPage";
import { NominationForm } from "~/components/NominationForm";
import { getDb } from "~/db.server";
import { granted, idParam } from "~/lib/http.server";
import { findCampaign } from "~/modules/campaigns/campaigns.server";
import { nominationForViewer, updateNomination } from "~/modules/nominations/nominations.server";
import { canEditNomination } from "~/modules/nominations/policy";
import { nominationFormValues } from "~/modules/nominations/form-values";
import { personFormValues } from "~/modules/people/form-values";
import { todayInTaizhou } from "~/lib/time";
import { updateNominationSchema } from "~/modules/nominations/schema.server";
import { nominationFormUnits } from "~/modules/nominations/units.server";
import { submitForm } from "~/lib/reply.server";

export const meta: MetaFunction = () => [{ title: "修改推荐 · 匠心" }];

async function load(request: Request, nominationId: string | undefined) {
  const user = await requirePermission(request, "nomination.create");
  const db = getDb();
  const nomination = granted(await nominationForViewer(db, user, idParam(nominationId)));
  const campaign = (await findCampaign(db, nomination.campaign_id))!;
  if (!canEditNomination(user, campaign, nomination.nominating_unit_id, todayInTaizhou())) {
    throw forbidden("推荐申报已截止，县级总工会不能再修改；如需修改请联系市总工会");
  }
  return { user, nomination, campaign };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, nomination } = await load(request, params.nominationId);
  return json({ nomination, ...(await nominationFormUnits(getDb(), user)) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, nomination, campaign } = await load(request, params.nominationId);
  return submitForm(
    request,
    updateNominationSchema,
    (value) => updateNomination(getDb(), user, campaign, nomination.id, value, todayInTaizhou()),
    () => `/nominations/${nomination.id}`,
  );
}

export default function EditNomination() {
  const { nomination: n, countyUnits, nominatingUnits, fixedUnit } = useLoaderData<typeof loader>();
  return (
    <FormPage title={`修改推荐：${n.name}`} back={{ to: `/nominations/${n.id}`, label: n.name }}>
      {(lastResult) => (
        <NominationForm
          mode="update"
          lastResult={lastResult}
          countyUnits={countyUnits}
          nominatingUnits={nominatingUnits}
          fixedUnit={fixedUnit ? { ...fixedUnit, id: n.nominating_unit_id } : null}
          maskedIdNumber={n.id_number_masked}
          maskedPhone={n.phone_masked}
          defaultValue={{
            channel: n.channel,
            nominatingUnitId: String(n.nominating_unit_id),
            ...personFormValues(n),
            orgUnitId: String(n.org_unit_id),
            ...nominationFormValues(n),
          }}
        />
      )}
    </FormPage>
  );
}
