/**
 * One kind of record the history keeps: the key stored with each row, its Chinese name, and the
 * actions taken on it with their Chinese labels. Each domain declares its own in its labels.ts;
 * the history page reads them all, and a row can only be written with an action its trail names.
 */
export interface AuditTrail<A extends string = string> {
  entity: string;
  label: string;
  actions: Readonly<Record<A, string>>;
}

export function auditTrail<const A extends string>(entity: string, label: string, actions: Record<A, string>): AuditTrail<A> {
  return { entity, label, actions };
}
