import type { DB } from "~db";
import type { SessionUser } from "~/auth/roles";
import { runDueJobs, type JobHandler } from "~/lib/jobs.server";
import { smsGateway, type SmsGateway } from "~/lib/sms.server";
import { agreementNotices, apprenticeLogNotices } from "~/modules/apprentices/notices.server";
import { logToConfirm } from "~/modules/apprentices/todos.server";
import { reviewNotices, reviewOverdue } from "~/modules/apprentices/reviews.server";
import { campaignNotices } from "~/modules/campaigns/notices.server";
import { nominationsMissing, stageToClose } from "~/modules/campaigns/todos.server";
import { planToRenew } from "~/modules/dashboard/todos.server";
import { refreshDashboards } from "~/modules/dashboard/dashboard.server";
import { awardNotices } from "~/modules/governance/revocation-notices.server";
import { titleToRecall } from "~/modules/governance/revocation-todos.server";
import { eventNotices } from "~/modules/events/notices.server";
import { honourNotices } from "~/modules/honours/notices.server";
import { checkInToday } from "~/modules/events/todos.server";
import { reviewProgress, sheetsToFill } from "~/modules/experts/todos.server";
import { IMPORT_JOBS } from "~/modules/nominations/summary-table.server";
import { nominationIncompleteForm, objectionToCheck, objectionToHandle } from "~/modules/nominations/todos.server";
import * as inbox from "~/modules/notifications/inbox.server";
import * as notify from "~/modules/notifications/notify.server";
import type { TodoSource } from "~/modules/notifications/sources";
import { phoneBook } from "~/modules/people/contact.server";
import { consentToRecord } from "~/modules/people/todos.server";
import { rightsNotices } from "~/modules/privacy/notices.server";
import { rightsToAnswer } from "~/modules/privacy/todos.server";
import { milestoneNotices, studioNotices } from "~/modules/studios/notices.server";
import { assessmentNotices, paymentNotices } from "~/modules/apprentices/outcome-notices.server";
import {
  criteriaToSet,
  evaluationToPrepare,
  milestoneRejected,
  milestoneToVerify,
  studioCycle,
  studioReturned,
  studioToAccredit,
  studioToReview,
} from "~/modules/studios/todos.server";
import { planRetention, purgeVotePhones, RETENTION_JOBS } from "~/modules/retention/retention.server";
import { subsidyNotices } from "~/modules/subsidies/notices.server";
import {
  chsiToRenew,
  graduationToUpload,
  payeeToEnter,
  subsidyObjectionToHandle,
  subsidyReturned,
  subsidyToApprove,
  subsidyToClose,
  subsidyToPay,
  subsidyToPublish,
  subsidyToReview,
} from "~/modules/subsidies/todos.server";
import { ballotsToCheck } from "~/modules/voting/todos.server";
import { identityNotices, secondFactorNotices } from "~/modules/users/notices.server";
import { wechatNotices } from "~/modules/wechat/notices.server";
import { personNotices } from "~/modules/people/notices.server";
import { refreshWechatCredentials } from "~/modules/wechat/tokens.server";
import { wechatDriver } from "~/lib/wechat.server";

/**
 * The background work, composed in one place: the domains declare who hears of their history
 * and what waits for whom; this module gathers the declarations and runs each app process's tick
 * (fan-out, SMS, the digest, reminders, imports, purges). It sits beside the routes: it imports
 * the modules, no module imports it.
 */

/** Who hears of what, per history entity (see notifications/sources.ts). */
export const NOTICES = notify.gatherNotices([
  studioNotices,
  milestoneNotices,
  subsidyNotices,
  campaignNotices,
  eventNotices,
  agreementNotices,
  apprenticeLogNotices,
  reviewNotices,
  assessmentNotices,
  paymentNotices,
  awardNotices,
  honourNotices,
  rightsNotices,
  identityNotices,
  secondFactorNotices,
  wechatNotices,
  personNotices,
]);

/**
 * Where each role's work comes from. A user's sources run in this order and their items are then
 * sorted by how long they have waited, so items that waited equally long keep it.
 */
const TODOS = [
  studioToReview,
  subsidyToReview,
  milestoneToVerify,
  logToConfirm,
  nominationIncompleteForm,
  nominationsMissing,
  objectionToCheck,
  consentToRecord,
  studioToAccredit,
  subsidyToApprove,
  subsidyToPublish,
  subsidyObjectionToHandle,
  subsidyToPay,
  subsidyToClose,
  objectionToHandle,
  stageToClose,
  planToRenew,
  reviewProgress,
  ballotsToCheck,
  criteriaToSet,
  studioReturned,
  subsidyReturned,
  milestoneRejected,
  graduationToUpload,
  payeeToEnter,
  chsiToRenew,
  checkInToday,
  evaluationToPrepare,
  studioCycle,
  sheetsToFill,
  reviewOverdue,
  titleToRecall,
  rightsToAnswer,
] as const satisfies readonly TodoSource[];

/** Turns the history rows not yet fanned out into messages; returns how many rows it handled. */
export const fanOut = (db: DB, now = new Date(), limit?: number) => notify.fanOut(db, NOTICES, now, limit);

/** 我的待办, computed now (see notifications/inbox.server). */
export const todosFor = (db: DB, user: SessionUser, instant = new Date()) => inbox.todosFor(db, TODOS, user, instant);

/** One page of the user's to-dos, for the home and to-do pages. */
export const todoPage = (db: DB, user: SessionUser, page?: number, pageSize?: number) => inbox.todoPage(db, TODOS, user, page, pageSize);

/** The navigation's badges. */
export const workCounts = (db: DB, user: SessionUser) => inbox.workCounts(db, TODOS, user);

/** The queue's job handlers: SMS, the digest, reminders, the nominations' imports and the retention schedule's daily purge. */
export function jobHandlers(gateway: SmsGateway, now?: () => Date): Record<string, JobHandler> {
  return {
    "sms.send": notify.sendSmsJob(gateway, phoneBook, now),
    "sms.digest": notify.digestJob(now),
    reminders: notify.remindersJob(TODOS, now),
    ...IMPORT_JOBS,
    ...RETENTION_JOBS,
  };
}

/** One tick of an app process's background work: fan out, purge voters, plan today's digest, reminders and retention purge, run due jobs. */
export async function backgroundTick(db: DB, gateway: SmsGateway = smsGateway(), now = new Date(), pages: DB = db): Promise<void> {
  // A backlog (a restart after a busy hour) is worked off in batches within the tick.
  for (let batches = 0; batches < 20 && (await fanOut(db, now)) === notify.FANOUT_BATCH; batches++);
  // A named campaign's voters are forgotten as soon as a process notices (the schedule's first rule, recorded as its runs).
  await purgeVotePhones(db);
  await notify.planDailyNotices(db, now);
  await planRetention(db, now);
  await notify.settleStaleSms(db, now);
  // WeChat's access_token and jsapi_ticket are renewed here before they run out, so no page waits for WeChat.
  const wechat = wechatDriver();
  if (wechat) await refreshWechatCredentials(db, wechat, now);
  await runDueJobs(db, jobHandlers(gateway), { now });
  // The dashboards asked for lately, counted again here after a change rather than by the next request (`pages`: the
  // database whose memo the pages read; the count runs on the long-work one).
  await refreshDashboards(pages, db, now.getTime());
}
