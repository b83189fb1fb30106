import { createContext, useContext } from "react";

/**
 * The per-response CSP nonce for the inline scripts Remix renders. It travels from
 * entry.server through React context, never through loader data, so it is not sent to the
 * browser a second time where an injected script could read it.
 */
const NonceContext = createContext<string | undefined>(undefined);

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
