import http from "node:http";
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
