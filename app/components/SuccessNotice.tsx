import type { ReactNode } from "react";

/** What a step did, said above the page's form once it is done (a status, read out by screen readers). */
export function SuccessNotice({ shown, children }: { shown: boolean; children: ReactNode }) {
  if (!shown) return null;
  return (
    <p className="notice success" role="status">
      {children}
    </p>
  );
}
