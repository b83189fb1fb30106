import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../test/db";

/**
 * The hand-written `Database` interface (db/types.ts) against the migrated database: the same
 * tables, the same columns, each nullable exactly when the column is, and of the same kind.
 * A migration that adds, drops or changes a column without the interface fails here.
 */
const t = useTestDb();

type Kind = "text" | "number" | "boolean" | "instant" | "json" | "bytes";

const SQL_KINDS: Record<string, Kind> = {
  text: "text",
  "character varying": "text",
  character: "text",
  uuid: "text",
  "USER-DEFINED": "text",
  integer: "number",
  bigint: "number",
  smallint: "number",
  // Both drivers hand numeric back as text (exact decimals), and dates as YYYY-MM-DD text.
  numeric: "text",
  "double precision": "number",
  real: "number",
  boolean: "boolean",
  "timestamp with time zone": "instant",
  "timestamp without time zone": "instant",
  date: "text",
  jsonb: "json",
  json: "json",
  ARRAY: "json",
  bytea: "bytes",
};

interface Declared {
  nullable: boolean;
  kind: Kind | "unknown";
}

/** What db/types.ts declares, read with the TypeScript compiler: table → column → kind and nullability. */
function declaredTables(): Map<string, Map<string, Declared>> {
  const file = path.join(__dirname, "types.ts");
  const program = ts.createProgram([file], { strict: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const database = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === "Database")!;
  const kindOf = (type: ts.Type): Declared => {
    // ColumnType<Select, Insert, Update> and Generated<T>: what a select returns is what counts.
    const selected = (t: ts.Type): ts.Type[] => {
      if (t.isUnion()) return t.types.flatMap(selected);
      const select = checker.getPropertyOfType(t, "__select__");
      return select ? selected(checker.getTypeOfSymbol(select)) : [t];
    };
    const parts = selected(type);
    // `unknown` (JSON read as it comes) holds null too.
    const nullable = parts.some((p) => p.flags & (ts.TypeFlags.Null | ts.TypeFlags.Unknown));
    const rest = parts.filter((p) => !(p.flags & ts.TypeFlags.Null));
    const kinds = new Set<Declared["kind"]>(
      rest.map((p) => {
        if (p.flags & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral)) return "text";
        if (p.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) return "number";
        if (p.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return "boolean";
        const name = checker.typeToString(p);
        if (name === "Date") return "instant";
        if (name.startsWith("Uint8Array") || name === "Buffer") return "bytes";
        return "json";
      }),
    );
    const kind = kinds.size === 1 ? [...kinds][0] : "unknown";
    return { nullable, kind };
  };
  const tables = new Map<string, Map<string, Declared>>();
  for (const member of database.members) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const table = (member.name as ts.Identifier).text;
    const type = checker.getTypeFromTypeNode(member.type);
    const columns = new Map<string, Declared>();
    for (const prop of checker.getPropertiesOfType(type)) columns.set(prop.name, kindOf(checker.getTypeOfSymbol(prop)));
    tables.set(table, columns);
  }
  return tables;
}

describe("db/types.ts", () => {
  it("declares exactly the migrated tables and columns, with their nullability and kind", async () => {
    const { rows } = await sql<{ table_name: string; column_name: string; is_nullable: string; data_type: string }>`
      select table_name, column_name, is_nullable, data_type from information_schema.columns
      where table_schema = 'public' and table_name not like 'kysely_%' order by table_name, ordinal_position`.execute(t.db);
    const actual = new Map<string, Map<string, { nullable: boolean; kind: Kind }>>();
    for (const r of rows) {
      if (!actual.has(r.table_name)) actual.set(r.table_name, new Map());
      actual.get(r.table_name)!.set(r.column_name, { nullable: r.is_nullable === "YES", kind: SQL_KINDS[r.data_type] ?? (r.data_type as Kind) });
    }
    const declared = declaredTables();
    expect([...declared.keys()].sort()).toEqual([...actual.keys()].sort());
    const mismatches: string[] = [];
    for (const [table, columns] of actual) {
      const mine = declared.get(table)!;
      for (const [column, real] of columns) {
        const d = mine.get(column);
        if (!d) mismatches.push(`${table}.${column}: in the database, not declared`);
        else if (d.nullable !== real.nullable)
          mismatches.push(`${table}.${column}: declared ${d.nullable ? "nullable" : "not null"}, is ${real.nullable ? "nullable" : "not null"}`);
        else if (d.kind !== real.kind && !(real.kind === "json" && d.kind === "unknown"))
          mismatches.push(`${table}.${column}: declared ${d.kind}, is ${real.kind}`);
      }
      for (const column of mine.keys()) if (!columns.has(column)) mismatches.push(`${table}.${column}: declared, not in the database`);
    }
    expect(mismatches).toEqual([]);
    expect(fs.existsSync(path.join(__dirname, "types.ts"))).toBe(true);
  });
});
