import { sql, type Expression, type ExpressionBuilder, type ReferenceExpression, type SqlBool } from "kysely";
import type { Database } from "~db/types";
import type { SessionUser } from "~/auth/roles";

/**
 * The list-query form of the common visibility rule: the city sees every row, a county officer
 * the rows of their unit, a craftsman their own.
 */
export function ownRowsOf<TB extends keyof Database>(
  user: SessionUser,
  columns: { unit: ReferenceExpression<Database, TB>; person: ReferenceExpression<Database, TB> },
) {
  return (eb: ExpressionBuilder<Database, TB>): Expression<SqlBool> => {
    switch (user.role) {
      case "city_admin":
        return sql<boolean>`true`;
      case "county_officer":
        return eb(columns.unit, "=", user.orgUnitId ?? -1);
      case "craftsman":
        return eb(columns.person, "=", user.personId ?? -1);
    }
  };
}
