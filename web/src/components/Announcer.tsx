import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useState } from 'preact/hooks';

type Announce = (message: string) => void;
const AnnounceContext = createContext<Announce>(() => {});

/** Status messages ("Key revoked.") for screen readers and sighted users alike. */
export const useAnnounce = (): Announce => useContext(AnnounceContext);

/**
 * One polite live region for the whole app. The region exists from the first render (a region
 * added together with its text is often not read); the text is replaced per message.
 */
export function Announcer({ children }: { children: ComponentChildren }) {
  const [message, setMessage] = useState({ text: '', n: 0 });
  const announce = useCallback((text: string) => setMessage((m) => ({ text, n: m.n + 1 })), []);
  return (
    <AnnounceContext.Provider value={announce}>
      {children}
      <div class="toast" role="status" aria-live="polite" aria-atomic="true" data-testid="status-message">
        {message.text ? <span key={message.n}>{message.text}</span> : null}
      </div>
    </AnnounceContext.Provider>
  );
}
