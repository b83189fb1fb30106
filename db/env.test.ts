import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { env, EnvError } from "./env";

describe("the environment", () => {
  it("reads defaults when nothing is set", () => {
    expect(env({ NODE_ENV: "development" })).toMatchObject({ production: false, databaseUrl: null, dbPoolSize: 10, cookieSecure: false, seedDemo: null });
    expect(env({ NODE_ENV: "production" }).cookieSecure).toBe(true);
  });

  it("stops with the variable named instead of a NaN further on", () => {
    for (const DB_POOL_SIZE of ["ten", "0", "1e2", "-5", "5000"]) {
      expect(() => env({ DB_POOL_SIZE }), DB_POOL_SIZE).toThrow(
        new EnvError(`DB_POOL_SIZE must be a whole number from 1 to 200 (given: ${JSON.stringify(DB_POOL_SIZE)})`),
      );
    }
    expect(() => env({ COOKIE_SECURE: "yes" })).toThrow(/COOKIE_SECURE must be 1 or 0/);
    expect(() => env({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL must start with postgres/);
    expect(env({ DB_POOL_SIZE: "20", SEED_DEMO: "0", DATABASE_URL: "postgres://u@h/db" })).toMatchObject({
      dbPoolSize: 20,
      seedDemo: false,
      databaseUrl: "postgres://u@h/db",
    });
  });

  it("runs one server process in development and on the embedded engine, the machine's cores in production on PostgreSQL", () => {
    const pg = "postgres://u@h/db";
    expect(env({ NODE_ENV: "development", DATABASE_URL: pg }).webConcurrency).toBe(1);
    expect(env({ NODE_ENV: "production" }).webConcurrency).toBe(1);
    expect(env({ NODE_ENV: "production", DATABASE_URL: pg }).webConcurrency).toBe(availableParallelism());
    expect(env({ NODE_ENV: "production", DATABASE_URL: pg, WEB_CONCURRENCY: "3" }).webConcurrency).toBe(3);
    expect(() => env({ WEB_CONCURRENCY: "2" })).toThrow(/WEB_CONCURRENCY above 1 needs DATABASE_URL/);
    expect(() => env({ WEB_CONCURRENCY: "0", DATABASE_URL: pg })).toThrow(/WEB_CONCURRENCY must be a whole number from 1 to 64/);
  });

  it("keeps SMS in the outbox unless a provider is configured in full", () => {
    expect(env({}).sms).toEqual({ driver: "outbox" });
    expect(() => env({ SMS_DRIVER: "carrier-pigeon" })).toThrow(/SMS_DRIVER must be outbox or aliyun/);
    expect(() => env({ SMS_DRIVER: "aliyun", SMS_TEMPLATES: "returned:SMS_1" })).toThrow(/SMS_ACCESS_KEY_ID is required/);
    expect(() => env({ SMS_DRIVER: "aliyun", SMS_TEMPLATES: "returned" })).toThrow(/SMS_TEMPLATES must be category:code pairs/);
    const aliyun = {
      SMS_DRIVER: "aliyun",
      SMS_TEMPLATES: "returned:SMS_1, approved:SMS_2",
      SMS_ACCESS_KEY_ID: "k",
      SMS_ACCESS_KEY_SECRET: "s",
      SMS_SIGN_NAME: "台州市总工会",
    };
    expect(env(aliyun).sms).toEqual({
      driver: "aliyun",
      endpoint: "https://dysmsapi.aliyuncs.com/",
      accessKeyId: "k",
      accessKeySecret: "s",
      signName: "台州市总工会",
      templates: { returned: "SMS_1", approved: "SMS_2" },
    });
  });

  it("reads the single sign-on: off without an issuer, https only (http for this machine), its client required", () => {
    expect(env({}).oidc).toBeNull();
    const client = { OIDC_CLIENT_ID: "jiangxin", OIDC_CLIENT_SECRET: "s" };
    expect(env({ OIDC_ISSUER: "https://sso.example.gov.cn", PUBLIC_URL: "https://jiangxin.example.cn/", ...client }).oidc).toEqual({
      issuer: "https://sso.example.gov.cn",
      clientId: "jiangxin",
      clientSecret: "s",
      name: "统一身份认证",
      scopes: "openid profile",
      redirectUri: "https://jiangxin.example.cn/login/sso/callback",
      allowHttp: false,
    });
    expect(env({ OIDC_ISSUER: "http://127.0.0.1:4000", OIDC_NAME: "浙政钉", ...client }).oidc).toMatchObject({ allowHttp: true, name: "浙政钉" });
    expect(() => env({ OIDC_ISSUER: "http://sso.example.gov.cn", ...client })).toThrow(/OIDC_ISSUER must be an https address/);
    expect(() => env({ OIDC_ISSUER: "not a url", ...client })).toThrow(/OIDC_ISSUER must be the provider's issuer address/);
    expect(() => env({ OIDC_ISSUER: "https://sso.example.gov.cn", OIDC_CLIENT_ID: "x" })).toThrow(/OIDC_CLIENT_SECRET is required/);
    expect(() => env({ OIDC_ISSUER: "https://sso.example.gov.cn", OIDC_SCOPES: "profile", ...client })).toThrow(/OIDC_SCOPES/);
  });
});
