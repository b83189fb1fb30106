import { z } from "zod";
import { queryParam } from "~/lib/validation.server";

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);

export const auditFilterSchema = z.object({
  entityType: z.string().max(40).optional().catch(undefined),
  entityId: z.string().max(40).optional().catch(undefined),
  action: z.string().max(40).optional().catch(undefined),
  actor: z.string().trim().max(40).optional().catch(undefined),
  from: isoDay,
  to: isoDay,
  page: queryParam.page(),
});
