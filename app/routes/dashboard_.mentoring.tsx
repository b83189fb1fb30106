import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { isCityAdmin } from "~/auth/roles";
import { pinnedUnit } from "~/auth/relation";
import { requirePermission } from "~/auth/session.server";
import { BackLink } from "~/components/BackLink";
import { ChoiceFilter, FilterBar } from "~/components/ChoiceFilter";
import { OutcomesMeaning, StudioOutcomes } from "~/components/MentoringOutcomes";
import { Pagination } from "~/components/Pagination";
import { getDb } from "~/db.server";
import { searchParams } from "~/lib/http.server";
import { outcomesByStudio } from "~/modules/apprentices/outcomes.server";
import { mentoringOutcomesQuerySchema } from "~/modules/dashboard/schema.server";
import { listCountyUnits } from "~/modules/org-units/org-units.server";

export const meta: MetaFunction = () => [{ title: "各工作室带徒成效 · 匠心" }];

/** Every studio's 出师率 and retention, a page at a time (the dashboard names the first few): the city all or one unit, a county its own. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "dashboard.read");
  const db = getDb();
  const query = mentoringOutcomesQuerySchema.parse(searchParams(request));
  const unitId = pinnedUnit(user) ?? query.unitId ?? null;
  const cityWide = isCityAdmin(user);
  const [studios, units] = await Promise.all([outcomesByStudio(db, user, { unitId, page: query.page }), cityWide ? listCountyUnits(db) : Promise.resolve([])]);
  return json({ studios, units, unitId, cityWide });
}

export default function MentoringOutcomesList() {
  const { studios, units, unitId, cityWide } = useLoaderData<typeof loader>();
  return (
    <section>
      <BackLink to={`/dashboard${unitId && cityWide ? `?unitId=${unitId}` : ""}`}>数据看板</BackLink>
      <h1>各工作室带徒成效</h1>
      <OutcomesMeaning />
      {cityWide ? (
        <FilterBar label="查看">
          <ChoiceFilter label="单位" name="unitId" value={unitId} emptyLabel="全市" choices={units.map((u) => [u.id, u.short_name] as const)} />
        </FilterBar>
      ) : null}
      <p className="small">按结对数从多到少排列。</p>
      <StudioOutcomes rows={studios.rows} />
      <Pagination page={studios.page} total={studios.total} pageSize={studios.pageSize} />
    </section>
  );
}
