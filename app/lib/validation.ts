import type { core } from "zod";

/**
 * For a form-level refinement: run it as soon as the fields it reads are valid, so its message
 * shows up together with the other fields' errors instead of after they are fixed.
 */
export function whenValid(...fields: string[]): core.$ZodSuperRefineParams {
  return {
    when: (payload) => !payload.issues.some((issue) => fields.includes(String(issue.path?.[0]))),
  };
}
