import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/session.server";
import { clientAddress } from "~/auth/throttle.server";
import { getDb } from "~/db.server";
import { parseWithZod } from "~/lib/form.server";
import { replyInvalid, replyRefused, replyStep, replyUnknownIntent, replyWith } from "~/lib/reply.server";
import { refuse, type Result } from "~/lib/result";
import { MAX_UPLOAD_BYTES } from "~/lib/spreadsheet.server";
import { yearInTaizhou } from "~/lib/time";
import { readForm } from "~/lib/upload.server";
import { deleteSchemeList, importSchemeList, schemeLists } from "~/modules/subsidies/other-schemes.server";
import { deleteListSchema, schemeListSchema } from "~/modules/subsidies/schema.server";
import { SchemeListsPage } from "./page";

export const meta: MetaFunction = () => [{ title: "其他项目补助名单 · 匠心" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "subsidy.schemes");
  return json({ lists: await schemeLists(getDb()), year: yearInTaizhou() });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, "subsidy.schemes");
  const db = getDb();
  const read = await readForm(request, clientAddress(request, context), MAX_UPLOAD_BYTES);
  if (!read.ok) return replyRefused("import", { ...read, field: "file" });
  const { formData } = read;
  switch (formData.get("intent")) {
    case "import": {
      const submission = parseWithZod(formData, { schema: schemeListSchema });
      if (submission.status !== "success") return replyInvalid("import", submission);
      const file = formData.get("file");
      if (!(file instanceof File) || file.size === 0) return replyRefused("import", refuse("请选择要导入的 .xlsx 文件", { field: "file" }), submission);
      const imported = await importSchemeList(db, user, submission.value, { name: file.name || "名单.xlsx", bytes: new Uint8Array(await file.arrayBuffer()) });
      return replyWith("import", imported, {
        submission,
        message: imported.ok ? imported.message : undefined,
        data: ({ problems }) => ({ problems }),
        resetForm: true,
      });
    }
    case "delete":
      return replyStep("delete", formData, deleteListSchema, ({ listId }): Promise<Result> => deleteSchemeList(db, user, listId));
    default:
      return replyUnknownIntent();
  }
}

export default function SchemeLists() {
  return <SchemeListsPage {...useLoaderData<typeof loader>()} />;
}
