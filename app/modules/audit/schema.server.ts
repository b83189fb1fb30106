import { z } from "zod";
import { queryParam } from "~/lib/validation.server";

export const auditFilterSchema = z.object({
  entityType: z.string().max(40).optional().catch(undefined),
  entityId: z.string().max(40).optional().catch(undefined),
  action: z.string().max(40).optional().catch(undefined),
  actor: z.string().trim().max(40).optional().catch(undefined),
  from: queryParam.day(),
  to: queryParam.day(),
  page: queryParam.page(),
});
