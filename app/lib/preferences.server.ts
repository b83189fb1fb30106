import { z } from "zod";
import { cookieValue } from "~/lib/http.server";

/**
 * 大字版: the large-text choice, kept in a cookie so it holds before sign-in (the public pages are
 * where older visitors arrive) and on every page after. It changes how the page looks, not what it
 * says, so a public page cached for visitors varies on the cookie like everything else.
 */
const TEXT_COOKIE = "jx_text";
const ONE_YEAR = 365 * 24 * 3600;

export function wantsLargeText(request: Request): boolean {
  return cookieValue(request, TEXT_COOKIE) === "large";
}

export function textSizeCookie(large: boolean): string {
  return large ? `${TEXT_COOKIE}=large; Path=/; Max-Age=${ONE_YEAR}; SameSite=Lax` : `${TEXT_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax`;
}

/** The 大字版 switch's form: the size chosen, and the page to go back to (checked where it is used). */
export const textSizeSchema = z.object({
  size: z.enum(["large", "normal"], { error: "请选择大字版或标准字号" }),
  back: z.string().optional().catch(undefined),
});
