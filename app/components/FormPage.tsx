import type { SubmissionResult } from "@conform-to/react";
import type { ReactNode } from "react";
import { BackLink } from "~/components/BackLink";
import { useReply } from "~/components/useReply";

/**
 * The page of one create or edit form: the way back, the heading, what the form is for, and the
 * form itself, handed the last "save" reply (the errors by field, the values typed) that
 * lib/reply.server's submitForm sends back.
 */
export function FormPage({
  title,
  back,
  lead,
  children,
}: {
  title: ReactNode;
  back?: { to: string; label: ReactNode };
  lead?: ReactNode;
  children: (lastResult: SubmissionResult<string[]> | null | undefined) => ReactNode;
}) {
  const lastResult = useReply("save")?.form;
  return (
    <section>
      {back ? <BackLink to={back.to}>{back.label}</BackLink> : null}
      <h1>{title}</h1>
      {lead ? <p className="lead">{lead}</p> : null}
      {children(lastResult)}
    </section>
  );
}
