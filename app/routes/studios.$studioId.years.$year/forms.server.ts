import { z } from "zod";
import { reportSchema } from "~/modules/studios/cycle-schema.server";

/** The report form also carries the state the page showed, so a report on a stale page is refused. */
export const reportFormSchema = reportSchema.extend({ expected: z.string().default("") });
