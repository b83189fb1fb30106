import crypto from "node:crypto";
import { env, type Env } from "~db/env";
import { todayInTaizhou } from "~/lib/time";

/**
 * One way out for text messages. The default driver is the outbox: the message stays in the
 * platform's SMS log (the city sees it there) and, in development, is printed on the console. The
 * Aliyun driver calls the provider's SendSms API, signed as the provider requires; it is tested
 * against a local stand-in that checks the signature, so nothing here needs the internet.
 */

export interface SmsRequest {
  phone: string;
  /** The platform's category (returned, approved…), mapped to the provider's template code. */
  template: string;
  /** The template's variables, as the provider substitutes them into its fixed text. */
  params: Record<string, string>;
  /** The text as it reads, for the log and the outbox. */
  text: string;
  /** Our id for the message, which the provider keeps with it (Aliyun's OutId): how a send is found again after a crash. */
  outId?: string;
}

export type SmsResult = { ok: true; providerId: string | null } | { ok: false; error: string; retry: boolean };

/** What the provider knows of a message we may have sent: accepted, refused, never received, or it cannot say now. */
export type SmsOutcome = "sent" | "failed" | "absent" | "unknown";

export interface SmsGateway {
  readonly driver: string;
  send(request: SmsRequest): Promise<SmsResult>;
  /**
   * Asks the provider whether the message with this OutId, sent to `phone` on `sentAt`'s day, reached
   * it. Used when a process died between calling the provider and recording the answer.
   */
  confirm(request: { phone: string; outId: string; sentAt: Date }): Promise<SmsOutcome>;
}

class OutboxGateway implements SmsGateway {
  readonly driver = "outbox";
  constructor(private readonly print: boolean) {}
  async send(request: SmsRequest): Promise<SmsResult> {
    if (this.print) console.log(`[短信·发件箱] ${request.phone.slice(0, 3)}****${request.phone.slice(-4)}：${request.text}`);
    return { ok: true, providerId: null };
  }

  /** The outbox is the delivery: a message it was handed is in the platform's SMS log. */
  async confirm(): Promise<SmsOutcome> {
    return "sent";
  }
}

/** Aliyun's RPC percent-encoding: RFC 3986, with space as %20 and * as %2A. */
const percent = (s: string) =>
  encodeURIComponent(s)
    .replace(/\+/g, "%20")
    .replace(/\*/g, "%2A")
    .replace(/%7E/g, "~")
    .replace(/[!'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The signature of a SendSms request: HMAC-SHA1 over the sorted, encoded parameters. */
export function aliyunSignature(method: "POST" | "GET", params: Record<string, string>, secret: string): string {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${percent(k)}=${percent(params[k])}`)
    .join("&");
  const toSign = `${method}&${percent("/")}&${percent(canonical)}`;
  return crypto.createHmac("sha1", `${secret}&`).update(toSign).digest("base64");
}

/**
 * A provider's error as it may be stored and shown in 短信记录: the provider echoes what it was
 * sent (the number, the template's parameters — a one-time code among them), its error pages carry
 * markup, and a network error names addresses. Digit runs are masked, keys and signatures cut,
 * markup, addresses and control characters dropped, the length bounded.
 */
export function sanitizedError(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- the control characters are what is removed
      .replace(/[\u0000-\u001f\u007f]+/g, " ")
      .replace(/<[^>]*>?/g, "")
      .replace(/\b(access\s*key(\s*(id|secret))?|signature|secret|token|password)\b["'\s:=]*[^\s,;"'&]+/gi, "$1=***")
      .replace(/https?:\/\/[^\s,;"']+/gi, "[地址]")
      .replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, "[地址]")
      .replace(/\bLTAI\w+/g, "***")
      .replace(/[0-9０-９]{4,}/g, (digits) => "*".repeat(digits.length))
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 200)
  );
}

class AliyunGateway implements SmsGateway {
  readonly driver = "aliyun";
  constructor(private readonly settings: Extract<Env["sms"], { driver: "aliyun" }>) {}

  /** One signed call of the provider's API. */
  private call(action: string, fields: Record<string, string>): Promise<Response> {
    const params: Record<string, string> = {
      AccessKeyId: this.settings.accessKeyId,
      Action: action,
      Format: "JSON",
      RegionId: "cn-hangzhou",
      SignatureMethod: "HMAC-SHA1",
      SignatureNonce: crypto.randomUUID(),
      SignatureVersion: "1.0",
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
      Version: "2017-05-25",
      ...fields,
    };
    params.Signature = aliyunSignature("POST", params, this.settings.accessKeySecret);
    return fetch(this.settings.endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(10_000),
    });
  }

  async send(request: SmsRequest): Promise<SmsResult> {
    const code = this.settings.templates[request.template];
    if (!code) return { ok: false, error: `没有为“${request.template}”配置短信模板`, retry: false };
    let response: Response;
    try {
      response = await this.call("SendSms", {
        PhoneNumbers: request.phone,
        SignName: this.settings.signName,
        TemplateCode: code,
        TemplateParam: JSON.stringify(request.params),
        ...(request.outId ? { OutId: request.outId } : {}),
      });
    } catch (error) {
      return { ok: false, error: sanitizedError(`短信平台无法连接：${(error as Error).message}`), retry: true };
    }
    const body = (await response.json().catch(() => ({}))) as { Code?: string; Message?: string; BizId?: string };
    if (response.ok && body.Code === "OK") return { ok: true, providerId: body.BizId ?? null };
    // Throttled or a server error: worth trying again; a refused template or number is not.
    const retry = response.status >= 500 || body.Code === "Throttling" || body.Code === "isv.BUSINESS_LIMIT_CONTROL";
    return { ok: false, error: sanitizedError(`${body.Code ?? response.status}：${body.Message ?? "短信平台拒绝发送"}`), retry };
  }

  /** QuerySendDetails for the number and day, and the message among them that carries our OutId. */
  async confirm(request: { phone: string; outId: string; sentAt: Date }): Promise<SmsOutcome> {
    try {
      const response = await this.call("QuerySendDetails", {
        PhoneNumber: request.phone,
        SendDate: todayInTaizhou(request.sentAt).replaceAll("-", ""),
        PageSize: "50",
        CurrentPage: "1",
      });
      const body = (await response.json()) as { Code?: string; SmsSendDetailDTOs?: { SmsSendDetailDTO?: Array<{ OutId?: string; SendStatus?: number }> } };
      if (!response.ok || body.Code !== "OK") return "unknown";
      const found = body.SmsSendDetailDTOs?.SmsSendDetailDTO?.find((d) => d.OutId === request.outId);
      // SendStatus: 1 waiting for the handset's receipt, 2 failed, 3 delivered.
      return !found ? "absent" : found.SendStatus === 2 ? "failed" : "sent";
    } catch {
      return "unknown";
    }
  }
}

/**
 * With the outbox, the console is the only way a one-time code reaches anyone: it prints there in
 * development and on the embedded database (`npm start`'s demo, where the printed logins say so),
 * and stays silent in production on PostgreSQL, where a real deployment's log is no place for codes.
 */
export function smsGateway(settings: Env["sms"] = env().sms, where: Pick<Env, "production" | "databaseUrl"> = env()): SmsGateway {
  return settings.driver === "aliyun" ? new AliyunGateway(settings) : new OutboxGateway(!where.production || !where.databaseUrl);
}
