import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { createAction } from "~/auth/create-action.server";
import { requirePermission } from "~/auth/session.server";
import { FormPage } from "~/components/FormPage";
import { StudioForm } from "~/components/StudioForm";
import { getDb } from "~/db.server";
import { listCountyUnits } from "~/modules/org-units/org-units.server";
import { studioSchema } from "~/modules/studios/schema.server";
import { createStudio, eligibleLeaders, hasEligibleLeader } from "~/modules/studios/studios.server";
import { isCraftsman, type SessionUser } from "~/auth/roles";
import { pinnedUnit } from "~/auth/relation";

export const meta: MetaFunction = () => [{ title: "申请创建工作室 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "studio.read");
  const db = getDb();
  const [leaders, units] = await Promise.all([eligibleLeaders(db, user), listCountyUnits(db)]);
  if (leaders.length === 0) throw noLeaders(user);
  const only = leaders.length === 1 ? leaders[0] : null;
  return json({
    leaders,
    units,
    fixedUnitId: pinnedUnit(user),
    defaults: only
      ? {
          leaderPersonId: String(only.id),
          name: `${only.name}工匠工作室`,
          hostEnterprise: only.employer,
          industry: only.industry,
          orgUnitId: String(only.org_unit_id),
        }
      : {},
  });
}

function noLeaders(user: SessionUser): Response {
  return json({ error: isCraftsman(user) ? "您已领衔一个工作室，或尚未获得“台州工匠”称号" : "没有可以申请工作室的“台州工匠”" }, { status: 403 });
}

/** Someone may apply only while there is a named craftsman they may open a studio for. */
async function applicant(request: Request) {
  const user = await requirePermission(request, "studio.read");
  if (!(await hasEligibleLeader(getDb(), user))) throw noLeaders(user);
  return user;
}

export const action = (args: ActionFunctionArgs) => createAction(args, applicant, studioSchema, createStudio, (saved) => `/studios/${saved.id}`);

export default function NewStudio() {
  const { leaders, units, fixedUnitId, defaults } = useLoaderData<typeof loader>();
  return (
    <FormPage title="申请创建工匠工作室" lead="先保存为草稿，确认无误后在工作室页面提交，由县级总工会审核、市总工会授牌。">
      {(lastResult) => <StudioForm lastResult={lastResult} leaders={leaders} units={units} fixedUnitId={fixedUnitId} defaultValue={defaults} />}
    </FormPage>
  );
}
