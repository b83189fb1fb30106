import type { SubmissionResult } from "@conform-to/react";

/**
 * The one answer an action gives, whatever the intent (besides a redirect): did the step happen,
 * what the user is told and next to which field, the reasons when there are several, Conform's
 * reply for the intent's form (the values typed, the errors by field), and whatever the step hands
 * back for the page to show (a preview, a receipt). Built only by lib/reply.server; read in pages
 * through components/reply's `useReply`. A test (test/reply-shape.test.ts) holds every action to it.
 */
export interface Reply<D = null> {
  intent: string;
  ok: boolean;
  message: string | null;
  field: string | null;
  reasons: string[];
  form: SubmissionResult<string[]> | null;
  data: D | null;
}
