import { z } from "zod";

export const deliveryModeSchema = z.enum(["immediate", "digest", "off"]);
