import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { isApprentice, isCityAdmin, isCountyOfficer, isCraftsman, type SessionUser } from "~/auth/roles";
import { failedSignInsBeforeThisOne, requireUser, versionsFor } from "~/auth/session.server";
import type { DB } from "~db";
import { getDb } from "~/db.server";
import { untilDataChanges } from "~/lib/memo.server";
import { todayInTaizhou } from "~/lib/time";
import { doneBy, listAudit } from "~/modules/audit/audit.server";
import { findOrgUnit } from "~/modules/org-units/org-units.server";
import { findPerson, peopleByUnit } from "~/modules/people/people.server";
import { selectionRecord } from "~/modules/nominations/nominations.server";
import { actionLabel, entityLabel, recordLink } from "~/modules/audit/labels";
import { currentCampaigns } from "~/modules/campaigns/campaigns.server";
import { openStudioOf } from "~/modules/studios/studios.server";
import { pairingsOfApprentice } from "~/modules/apprentices/pairings.server";
import { eventsOfPerson } from "~/modules/events/events.server";
import { todoPage } from "~/worker.server";
import { HomePage } from "./page";

export const meta: MetaFunction = () => [{ title: "工作台 · 匠心" }];

/** To-dos on the home page; the rest are on /todos. */
const HOME_TODOS = 10;

// Typed empty lists, so every role's loader data has the same shape.
const noUnits = async () => [] as Awaited<ReturnType<typeof peopleByUnit>>;
const noCampaigns = async () => [] as Awaited<ReturnType<typeof currentCampaigns>>;
const noAudit = async () => [] as Awaited<ReturnType<typeof listAudit>>["rows"];
const noPairings = async () => [] as Awaited<ReturnType<typeof pairingsOfApprentice>>;
const noEvents = async () => ({ rows: [], hours: 0 }) as Awaited<ReturnType<typeof eventsOfPerson>>;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  // Everything on this page is the user's own and changes only with their data: counted once between changes.
  return json(await untilDataChanges(db, `home|${user.id}|${todayInTaizhou()}`, () => homeOf(db, user), { version: (await versionsFor(db, user)).work }));
}

async function homeOf(db: DB, user: SessionUser) {
  // The unions' officers, city and county, look after units of people and the campaigns; a
  // craftsman and an expert see their own part only; an apprentice their pairings and the events
  // they are on (their certificates among them).
  const office = isCityAdmin(user) || isCountyOfficer(user);
  const [todos, done, units, recent, unit, me, campaigns, failedSignIns, pairings, events] = await Promise.all([
    // The first few; the to-do page has them all, a page at a time.
    todoPage(db, user, 1, HOME_TODOS),
    doneBy(db, user.id),
    office ? peopleByUnit(db, user) : noUnits(),
    isCityAdmin(user) ? listAudit(db, { page: 1 }).then((a) => a.rows.slice(0, 8)) : noAudit(),
    isCountyOfficer(user) ? findOrgUnit(db, user.orgUnitId) : undefined,
    isCraftsman(user) ? findPerson(db, user.personId) : undefined,
    office ? currentCampaigns(db) : noCampaigns(),
    failedSignInsBeforeThisOne(db, user.id),
    isApprentice(user) ? pairingsOfApprentice(db, user.personId) : noPairings(),
    isApprentice(user) ? eventsOfPerson(db, user.personId) : noEvents(),
  ]);
  // Named ones only: each has its certificate.
  const awards = me
    ? (await selectionRecord(db, me.id)).flatMap((r) => (r.certificate_number ? [{ ...r, certificate_number: r.certificate_number }] : []))
    : [];
  const myStudio = me ? await openStudioOf(db, me.id) : undefined;
  return {
    user,
    office,
    todos: todos.rows,
    todoTotal: todos.total,
    done: done.map((d) => ({
      id: d.id,
      at: d.at,
      what: `${actionLabel(d.action, d.entity_type)} · ${entityLabel(d.entity_type)}`,
      link: recordLink(d.entity_type, d.entity_id),
    })),
    units,
    recent,
    unit: unit ?? null,
    me: me ?? null,
    campaigns,
    awards,
    myStudio: myStudio ?? null,
    failedSignIns,
    pairings,
    events: events.rows,
  };
}

export default function Home() {
  return <HomePage {...useLoaderData<typeof loader>()} />;
}
