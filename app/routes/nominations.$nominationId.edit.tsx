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
            name: n.name,
            sex: n.sex,
            birthDate: n.birth_date,
            ethnicity: n.ethnicity,
            education: n.education,
            politicalStatus: n.political_status,
            employer: n.employer,
            industry: n.industry,
            position: n.position,
            title: n.title,
            skillLevel: n.skill_level,
            orgUnitId: String(n.org_unit_id),
            frontlineYears: n.frontline_years === null ? "" : String(n.frontline_years),
            inSkillPost: n.in_skill_post === null ? "" : n.in_skill_post ? "yes" : "no",
            teacherOrResearcher: n.teacher_or_researcher ? "on" : "",
            conditions: n.conditions.map(String),
            honors: n.honors,
            achievements: n.achievements,
            deedsSummary: n.deeds_summary,
            story: n.story,
          }}
        />
      )}
    </FormPage>
  );
}
