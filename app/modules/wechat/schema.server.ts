import { z } from "zod";
import { confirmation } from "~/lib/validation.server";

/** Ending a WeChat binding is confirmed by the second button (the openid opens nothing after). */
export const unbindSchema = z.object({ confirmed: confirmation() });
