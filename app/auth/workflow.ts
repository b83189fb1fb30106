import { relationTo, type Relation } from "~/auth/relation";
import type { SessionUser } from "~/auth/roles";
import type { Notice } from "~/lib/notices";
import type { Refusal } from "~/lib/result";

/**
 * One way to write a workflow: its steps as data (who may take each, from which states, to which
 * state, whether a reason is asked for), and from them the rules, the steps a page offers and the
 * form fields every step posts. Studios and subsidy applications both run on it.
 */
export interface WorkflowStep<S extends string> {
  label: string;
  from: readonly S[];
  to: S;
  by: readonly Relation[];
  /** The step must say why (returns, rejections, suspensions, revocations). */
  needsReason?: boolean;
  /** An irreversible step: what will happen, shown and confirmed before the step is taken. */
  confirm?: string;
  /**
   * Who hears of the step once it is taken, and what they are told. The notifications module
   * gathers these declarations from every workflow; it holds no table of its own.
   */
  notices?: readonly Notice[];
  /**
   * The to-do the step leaves for whoever acts next (the relation that may take a step from the
   * state this one leads to), and what it says; it is done when the record leaves that state.
   */
  todo?: { for: Relation; text: string };
}

/** A record a workflow moves: its state, its unit and the person it belongs to. */
export interface WorkflowRecord<S extends string> {
  status: S;
  org_unit_id: number;
  person_id: number;
}

/** The one visibility rule (auth/relation), for records that belong to a unit and a person. */
const byUnitAndPerson = (user: SessionUser, record: WorkflowRecord<string>) => relationTo(user, record.org_unit_id, record.person_id);

/**
 * `relate` says how a user stands to a record that is not a unit's and a person's (an expert's
 * score sheet is its expert's, and the city's to reopen); by default it is the unit-and-person rule.
 */
export function defineWorkflow<S extends string, R extends { status: S } = WorkflowRecord<S>>(
  noun: string,
  // The default is only ever used with the default record type, which it reads.
  relate: (user: SessionUser, record: R) => Relation | null = byUnitAndPerson as never,
) {
  return <const T extends Record<string, WorkflowStep<S>>>(steps: T) => {
    type Name = Extract<keyof T, string>;
    const names = Object.keys(steps) as [Name, ...Name[]];
    const rule = (step: Name): WorkflowStep<S> => steps[step];

    function canTake(user: SessionUser, record: R, step: Name): boolean {
      const who = relate(user, record);
      return who !== null && rule(step).by.includes(who) && rule(step).from.includes(record.status);
    }

    function available(user: SessionUser, record: R): Name[] {
      return names.filter((step) => canTake(user, record, step));
    }

    return {
      steps,
      canTake,
      available,
      /** How the user stands to the record: its owner, the officer of its unit, the city — or not at all. */
      relation: relate,
      canView: (user: SessionUser, record: R): boolean => relate(user, record) !== null,
      /** The steps as a page offers them. */
      offered: (user: SessionUser, record: R) =>
        available(user, record).map((step) => ({ step, label: rule(step).label, needsReason: !!rule(step).needsReason, confirm: rule(step).confirm ?? null })),
      /** The step names, for the form fields every step posts (`stepFields`, on the server). */
      names,
      /** What is wrong with a step before anything is read: a missing reason. */
      checkInput(step: Name, input: { reason: string | null }): Refusal | null {
        return rule(step).needsReason && !input.reason ? { ok: false, status: 400, message: "请说明理由", field: "reason" } : null;
      },
      /**
       * What is wrong with taking the step on the locked record, in the order a user should hear
       * it: not theirs, a stale page, not theirs to take now — and last, an irreversible step the
       * user has not confirmed (only someone who may take it is asked to confirm it).
       */
      checkRecord(user: SessionUser, record: R, step: Name, input: { expected: string; confirmed?: boolean }): Refusal | null {
        if (!relate(user, record)) return { ok: false, status: 403, message: `您无权操作此${noun}` };
        if (record.status !== input.expected) return { ok: false, status: 409, message: `${noun}状态已变化，请刷新页面后重试` };
        if (!canTake(user, record, step)) return { ok: false, status: 403, message: "当前状态下您不能进行此操作" };
        const confirm = rule(step).confirm;
        if (confirm && !input.confirmed) return { ok: false, status: 400, message: `请确认后再办理：${confirm}`, field: "confirmed" };
        return null;
      },
    };
  };
}

/** What a domain says in one step of `applicationReview`: who hears of it, the to-do it leaves, its confirmation. */
type Said = Pick<WorkflowStep<string>, "notices" | "todo" | "confirm"> & { by?: readonly Relation[] };
type Says = Record<"submit" | "withdraw" | "return" | "county_approve" | "county_reject" | "city_return", Said>;

/** A step of the shared review, before the domain says what it says (its `by` replaces the review's). */
type ReviewStep<F extends string, T extends string> = { label: string; from: readonly F[]; to: T; by: readonly Relation[] };
type WithReason = { needsReason: true };
type CountyReturn<Say extends Says> = ReviewStep<"submitted", "returned"> & WithReason & Say["return"];

/** The steps of `applicationReview`, in the order a page offers them; the county's return under the name `R`. */
type ApplicationReview<P extends string, R extends string, Say extends Says> = {
  submit: ReviewStep<"draft" | "returned", "submitted"> & Say["submit"];
  withdraw: ReviewStep<"submitted", "draft"> & Say["withdraw"];
} & Record<R, CountyReturn<Say>> & {
    county_approve: ReviewStep<"submitted", P> & Say["county_approve"];
    county_reject: ReviewStep<"submitted", "rejected"> & WithReason & Say["county_reject"];
    city_return: ReviewStep<P, "returned"> & WithReason & Say["city_return"];
  };

/**
 * The review studios and subsidy applications both go through: the applicant submits (and may
 * take it back until the county acts); the county returns it, rejects it or passes it on to the
 * city, which may return it too. The states, the roles and the labels are here; what each step
 * says is the domain's. `passed` is the state the county's approval leads to, `returnStep` the
 * name of the county's return (the history stores it: `step_return`, `subsidy_county_return`).
 * The city's own steps follow in the domain, after these.
 */
export function applicationReview<const P extends string, const R extends string, const Say extends Says>(
  passed: P,
  returnStep: R,
  say: Say,
): ApplicationReview<P, R, Say> {
  const countyReturn: CountyReturn<Say> = { label: "退回修改", from: ["submitted"], to: "returned", by: ["county"], needsReason: true, ...say.return };
  return {
    submit: { label: "提交申请", from: ["draft", "returned"], to: "submitted", by: ["owner"], ...say.submit },
    withdraw: { label: "撤回申请", from: ["submitted"], to: "draft", by: ["owner"], ...say.withdraw },
    // A computed key is typed as any string: it is the one the caller named.
    ...({ [returnStep]: countyReturn } as Record<R, CountyReturn<Say>>),
    county_approve: { label: "县级审核通过", from: ["submitted"], to: passed, by: ["county"], ...say.county_approve },
    county_reject: { label: "不予通过", from: ["submitted"], to: "rejected", by: ["county"], needsReason: true, ...say.county_reject },
    city_return: { label: "退回修改", from: [passed], to: "returned", by: ["city"], needsReason: true, ...say.city_return },
  };
}
