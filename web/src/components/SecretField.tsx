import { useId, useRef, useState } from 'preact/hooks';
import { useAnnounce } from './Announcer';

async function copyText(text: string, input: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (or an old browser): select the text so Ctrl+C works.
    input?.select();
    return false;
  }
}

/**
 * A secret the server shows once (an API key, a signing secret): read-only, selectable, with a
 * Copy button and the warning that it will not be shown again.
 */
export function SecretField({ label, value, warning }: { label: string; value: string; warning?: string }) {
  const id = useId();
  const announce = useAnnounce();
  const [copied, setCopied] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  return (
    <div class="secret">
      <label for={`${id}-value`}>{label}</label>
      <div class="secret-row">
        <input
          id={`${id}-value`}
          ref={input}
          class="mono"
          type="text"
          readOnly
          value={value}
          aria-describedby={`${id}-warning`}
          onFocus={(e) => e.currentTarget.select()}
          spellcheck={false}
          autocomplete="off"
        />
        <button
          type="button"
          class="button"
          onClick={async () => {
            const ok = await copyText(value, input.current);
            setCopied(ok);
            announce(ok ? `${label} copied to the clipboard.` : 'Copy failed: the text is selected, press Ctrl+C.');
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p id={`${id}-warning`} class="warning-text">
        <strong>Shown once.</strong> {warning ?? 'Store it somewhere safe now: it will not be shown again.'}
      </p>
    </div>
  );
}
