import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FormPage } from "~/components/FormPage";
import { StudioForm } from "~/components/StudioForm";
import { getDb } from "~/db.server";
import { guardedAction } from "~/auth/create-action.server";
import { guardedRecord } from "~/auth/guarded-record.server";
import { listCountyUnits } from "~/modules/org-units/org-units.server";
import { canEditStudio } from "~/modules/studios/policy";
import { studioSchema } from "~/modules/studios/schema.server";
import { studioForViewer, studioLeader, updateStudio } from "~/modules/studios/studios.server";
import { pinnedUnit } from "~/auth/relation";

export const meta: MetaFunction = () => [{ title: "修改工作室申请 · 匠心" }];

const guard = ({ request, params }: LoaderFunctionArgs) =>
  guardedRecord(request, "studio.read", studioForViewer, params.studioId, canEditStudio, "申请已提交审核，当前不能修改");

export async function loader(args: LoaderFunctionArgs) {
  const { user, record: studio } = await guard(args);
  const leader = await studioLeader(getDb(), studio.person_id);
  return json({
    studio,
    leaders: [{ ...leader, title: studio.award_title }],
    units: await listCountyUnits(getDb()),
    fixedUnitId: pinnedUnit(user),
  });
}

export const action = (args: ActionFunctionArgs) =>
  guardedAction(
    args,

    guard,
    studioSchema,
    (db, user, studio, value) => updateStudio(db, user, studio.id, { ...value, leaderPersonId: studio.person_id }),
    (_, studio) => `/studios/${studio.id}`,
  );

export default function EditStudio() {
  const { studio, leaders, units, fixedUnitId } = useLoaderData<typeof loader>();
  return (
    <FormPage title="修改工作室申请" back={{ to: `/studios/${studio.id}`, label: studio.name }}>
      {(lastResult) => (
        <StudioForm
          lastResult={lastResult}
          leaders={leaders}
          units={units}
          fixedUnitId={fixedUnitId}
          defaultValue={{
            leaderPersonId: String(studio.person_id),
            name: studio.name,
            hostEnterprise: studio.host_enterprise,
            industry: studio.industry,
            focusSector: studio.focus_sector,
            orgUnitId: String(studio.org_unit_id),
            address: studio.address,
            focusAreas: studio.focus_areas,
            foundingPlan: studio.founding_plan,
          }}
        />
      )}
    </FormPage>
  );
}
