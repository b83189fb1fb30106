import { sql, type Expression, type ExpressionBuilder, type ReferenceExpression, type SqlBool } from "kysely";
import type { Database } from "~db/types";
import type { SessionUser } from "~/auth/roles";

/**
 * The list-query form of the one visibility rule (`relationTo` in relation.ts): the city sees
 * every row, a county officer the rows of their unit, a craftsman their own — the rows whose
 * person column is theirs, or, where "their own" reaches further (the apprentices of the studio
 * they lead, the events they attended), the rows the `owner` condition picks. Rows that belong to
 * a unit only (the units themselves, a union's series of events) say `person: null`: a craftsman
 * owns none of them.
 */
export function ownRowsOf<TB extends keyof Database>(
  user: SessionUser,
  columns: { unit: ReferenceExpression<Database, TB> } & (
    { person: ReferenceExpression<Database, TB> | null } | { owner: (eb: ExpressionBuilder<Database, TB>, personId: number) => Expression<SqlBool> }
  ),
) {
  return (eb: ExpressionBuilder<Database, TB>): Expression<SqlBool> => {
    switch (user.role) {
      case "city_admin":
        return sql<boolean>`true`;
      case "county_officer":
        return eb(columns.unit, "=", user.orgUnitId ?? -1);
      case "craftsman":
        if ("owner" in columns) return columns.owner(eb, user.personId ?? -1);
        return columns.person === null ? sql<boolean>`false` : eb(columns.person, "=", user.personId ?? -1);
      case "expert":
      case "apprentice":
        return sql<boolean>`false`;
    }
  };
}
