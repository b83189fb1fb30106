import { useActionData } from "@remix-run/react";
import type { Reply } from "~/lib/reply";

/**
 * The action's reply to one intent's form, or nothing: a page with several forms shows each reply
 * beside the form that was sent, never beside another.
 */
export function useReply<D = null>(intent: string) {
  const reply = useActionData<Reply<D>>();
  return reply?.intent === intent ? reply : undefined;
}
