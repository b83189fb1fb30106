import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * Every action answers in one shape, `Reply` (app/lib/reply.ts), or with a redirect or a file: the
 * type checker reads each route's `action` and what each of its JSON answers holds. A new action
 * that answers `json({ intent, error })` fails here with its route named.
 */
const root = path.resolve(__dirname, "..");
const config = ts.getParsedCommandLineOfConfigFile(path.join(root, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
const program = ts.createProgram({ rootNames: config.fileNames, options: { ...config.options, noEmit: true } });
const checker = program.getTypeChecker();

/** The envelope's fields, from app/lib/reply.ts: whatever the step hands back (`data`), they are the same. */
function replyFields(): string[] {
  const file = program.getSourceFile(path.join(root, "app/lib/reply.ts"))!;
  const reply = checker.getExportsOfModule(checker.getSymbolAtLocation(file)!).find((s) => s.name === "Reply")!;
  return checker
    .getDeclaredTypeOfSymbol(reply)
    .getProperties()
    .map((p) => p.name);
}

/**
 * The JSON bodies an action's answer may carry (a TypedResponse<T>'s T; a redirect's is never). An
 * untyped Response anywhere in the answer would swallow the rest of the union, so it counts as a
 * body of unknown shape: an action throws its redirects and files, and answers a Reply.
 */
function bodiesOf(type: ts.Type): Array<ts.Type | "untyped"> {
  const members = type.isUnion() ? type.types : [type];
  return members.flatMap((member): Array<ts.Type | "untyped"> => {
    const json = member.getProperty("json");
    if (!json) return member.flags & ts.TypeFlags.Never ? [] : ["untyped"];
    const signature = checker.getTypeOfSymbol(json).getCallSignatures()[0];
    const promised = signature && checker.getAwaitedType(signature.getReturnType());
    if (!promised || promised.flags & ts.TypeFlags.Any) return ["untyped"];
    if (promised.flags & ts.TypeFlags.Never) return [];
    return promised.isUnion() ? promised.types : [promised];
  });
}

function actionBodies(file: ts.SourceFile): Array<ts.Type | "untyped"> | null {
  const action = checker.getExportsOfModule(checker.getSymbolAtLocation(file)!).find((s) => s.name === "action");
  if (!action) return null;
  const signature = checker.getTypeOfSymbol(action).getCallSignatures()[0];
  return bodiesOf(checker.getAwaitedType(signature.getReturnType())!);
}

const routes = program.getSourceFiles().filter((f) => f.fileName.startsWith(path.join(root, "app/routes/")));

describe("the actions' answers", () => {
  it("are all one shape: Reply", () => {
    const wanted = replyFields();
    const offenders: string[] = [];
    let actions = 0;
    for (const file of routes) {
      const bodies = actionBodies(file);
      if (bodies === null) continue;
      actions++;
      for (const body of bodies) {
        if (body === "untyped") {
          offenders.push(`${path.relative(root, file.fileName)}: answers an untyped Response`);
          continue;
        }
        // Remix hands the page the JSON form of the body; the envelope's fields are what count.
        const fields = new Set(body.getProperties().map((p) => p.name));
        const missing = wanted.filter((name) => !fields.has(name));
        const extra = [...fields].filter((name) => !wanted.includes(name));
        if (missing.length || extra.length) {
          offenders.push(
            `${path.relative(root, file.fileName)}: ${checker.typeToString(body).slice(0, 160)} (missing ${missing.join(",") || "-"}; extra ${extra.join(",") || "-"})`,
          );
        }
      }
    }
    expect(offenders).toEqual([]);
    expect(actions).toBeGreaterThan(40);
  }, 120_000);
});
