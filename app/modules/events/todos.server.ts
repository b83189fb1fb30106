import { endOfDay } from "~/lib/time";
import { waiting, todosOf } from "~/modules/notifications/sources";

/** Today's events the craftsman registered for and has not checked in to yet. */
export const checkInToday = todosOf("craftsman", async (db, u, now) =>
  waiting(
    await db
      .selectFrom("event_participant as p")
      .innerJoin("event", "event.id", "p.event_id")
      .select(["event.id", "event.title", "event.starts_at as since"])
      .where("p.person_id", "=", u.personId)
      .where("p.attended", "=", false)
      .where("event.starts_at", "<", endOfDay(now.today))
      .where("event.ends_at", ">", now.instant)
      .execute(),
    (e) => `今天的活动签到：${e.title}`,
    () => "/checkin",
  ),
);
