import http from "node:http";
import type { AddressInfo } from "node:net";
import { aliyunSignature } from "~/lib/sms.server";

/**
 * Aliyun's SMS API as a local server, as far as the tests need: it reads the form-encoded request and refuses one
 * whose signature does not check out as the provider does; what a signed request gets is the test's to say.
 */
export function aliyunStandIn(secret: string, answer: (params: Record<string, string>, res: http.ServerResponse) => void): http.Server {
  return http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const params = Object.fromEntries(new URLSearchParams(body));
      const { Signature, ...rest } = params;
      res.setHeader("Content-Type", "application/json");
      if (Signature !== aliyunSignature("POST", rest, secret)) {
        res.statusCode = 400;
        return res.end(JSON.stringify({ Code: "SignatureDoesNotMatch", Message: "签名错误" }));
      }
      answer(params, res);
    });
  });
}

/**
 * Phones for a browser test's own server: Aliyun's stand-in that takes every signed request, and
 * keeps what each number was sent (a one-time code among the template's parameters). `env` is what
 * points the server at it, with a template for every message the platform sends.
 */
export async function handsets() {
  const secret = "stand-in";
  const received: Array<{ phone: string; params: Record<string, string> }> = [];
  const server = aliyunStandIn(secret, (params, res) => {
    received.push({ phone: params.PhoneNumbers ?? "", params: JSON.parse(params.TemplateParam ?? "{}") });
    res.end(JSON.stringify({ Code: "OK", BizId: String(received.length) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const env = {
    SMS_DRIVER: "aliyun",
    SMS_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    SMS_ACCESS_KEY_ID: "stand-in",
    SMS_ACCESS_KEY_SECRET: secret,
    SMS_SIGN_NAME: "匠心",
    SMS_TEMPLATES: "vote_code:SMS_1,returned:SMS_2,rejected:SMS_3,approved:SMS_4,paid:SMS_5,accredited:SMS_6,suspended:SMS_7,digest:SMS_8,phone_code:SMS_9",
  };
  /** The latest message the number received. */
  const lastTo = (phone: string) => [...received].reverse().find((r) => r.phone === phone);
  const countTo = (phone: string) => received.filter((r) => r.phone === phone).length;
  /**
   * The code of the message `send` (a press of 获取验证码) has the number sent: the page answers before the
   * provider has the message (it is sent in the background), so it is waited for, never read from an earlier one.
   */
  const codeSentBy = async (phone: string, send: () => Promise<unknown>): Promise<string> => {
    const before = countTo(phone);
    await send();
    for (const deadline = Date.now() + 15_000; countTo(phone) === before; await new Promise((r) => setTimeout(r, 50))) {
      if (Date.now() > deadline) throw new Error(`no code reached ${phone} within 15 s`);
    }
    return lastTo(phone)!.params.code;
  };
  return { env, received, lastTo, codeSentBy, close: () => server.close() };
}
