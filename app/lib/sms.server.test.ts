import { afterEach, describe, expect, it, vi } from "vitest";
import { smsGateway } from "~/lib/sms.server";

const message = { phone: "13957688001", template: "phone_code", params: { code: "123456" }, text: "【匠心】您的登录验证码是 123456" };

describe("the outbox driver", () => {
  afterEach(() => vi.restoreAllMocks());

  it("prints the message on the console in development and on the embedded database (npm start's demo), never on production PostgreSQL", async () => {
    const printed = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const outbox = { driver: "outbox" as const };
    const said = async (where: { production: boolean; databaseUrl: string | null }) => {
      printed.mockClear();
      expect(await smsGateway(outbox, where).send(message)).toEqual({ ok: true, providerId: null });
      return printed.mock.calls.map((c) => String(c[0])).join("\n");
    };
    expect(await said({ production: true, databaseUrl: null })).toContain("登录验证码是 123456");
    expect(await said({ production: false, databaseUrl: "postgres://x/y" })).toContain("123456");
    expect(await said({ production: true, databaseUrl: "postgres://x/y" })).toBe("");
  });
});
