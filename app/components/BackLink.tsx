import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

/** The way back to the page a sub-page belongs to, above its heading. */
export function BackLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <p>
      <Link to={to}>← {children}</Link>
    </p>
  );
}
