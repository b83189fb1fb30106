import { createInterface } from "node:readline/promises";
import { createDb, migrateToLatest } from "~db";
import { createUserSchema } from "~/modules/users/schema.server";
import { createUser } from "~/modules/users/users.server";

/**
 * npm run user:create -- --username admin --name 管理员 --role city_admin [--unit wenling] [--person 12]
 * The password comes from --password, the USER_PASSWORD variable, or a prompt.
 */

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function password(): Promise<string> {
  const given = arg("password") ?? process.env.USER_PASSWORD;
  if (given) return given;
  if (!process.stdin.isTTY) throw new Error("Give the password with --password or USER_PASSWORD");
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question("Password (at least 8 characters, letters and digits): ");
  } finally {
    rl.close();
  }
}

const db = createDb();
try {
  await migrateToLatest(db);
  const unitCode = arg("unit");
  const unit = unitCode ? await db.selectFrom("org_unit").select("id").where("code", "=", unitCode).executeTakeFirst() : undefined;
  if (unitCode && !unit) throw new Error(`No org unit with code ${unitCode}`);
  const parsed = createUserSchema.safeParse({
    username: arg("username"),
    displayName: arg("name") ?? arg("username"),
    password: await password(),
    role: arg("role") ?? "city_admin",
    orgUnitId: unit?.id,
    personId: arg("person"),
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`${issue.path.join(".")}: ${issue.message}`);
    process.exitCode = 2;
  } else {
    const result = await createUser(db, null, parsed.data);
    if (result.ok) console.log(`Created user ${parsed.data.username} (${parsed.data.role}).`);
    else {
      for (const [field, messages] of Object.entries(result.fieldErrors ?? { "": [result.message] })) console.error(`${field}: ${messages.join("; ")}`);
      process.exitCode = 2;
    }
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
