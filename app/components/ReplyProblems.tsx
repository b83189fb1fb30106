import { useReply } from "~/components/useReply";

/** What stopped one intent's form, shown under it: every reason when there are several (each wrong line of a table or a file). */
export function ReplyProblems({ intent }: { intent: string }) {
  const reply = useReply(intent);
  if (!reply || reply.ok) return null;
  const problems = reply.reasons.length ? reply.reasons : [reply.message ?? ""];
  return (
    <div className="form-errors" role="alert">
      {problems.map((e) => (
        <p key={e}>{e}</p>
      ))}
    </div>
  );
}
