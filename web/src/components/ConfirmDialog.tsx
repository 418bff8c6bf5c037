import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';

export interface ConfirmDialogProps {
  title: string;
  /** What will happen, in the dealer's words. */
  children: ComponentChildren;
  confirmLabel: string;
  cancelLabel?: string;
  /** Styles the confirm button as dangerous (delete, revoke). */
  destructive?: boolean;
  /** May throw an ApiError: its message is shown in the dialog, which stays open. */
  onConfirm: () => Promise<void> | void;
  onClose: () => void;
}

/**
 * A modal alert dialog (native <dialog>: focus is trapped, the page behind is inert). Focus
 * starts on the safe button; Escape and Cancel close it without doing anything.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement as HTMLElement | null;
    dialog.showModal();
    cancelRef.current?.focus();
    return () => {
      if (dialog.open) dialog.close();
      opener?.focus?.();
    };
  }, []);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm();
      props.onClose();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Something went wrong. Try again.');
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={ref}
      class="dialog"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      onCancel={(e) => {
        // Escape: close through our state so the opener gets focus back.
        e.preventDefault();
        if (!busy) props.onClose();
      }}
    >
      <h2 id={`${id}-title`}>{props.title}</h2>
      <div id={`${id}-body`} class="dialog-body">
        {props.children}
      </div>
      {error ? (
        <p class="error-text" role="alert">
          {error}
        </p>
      ) : null}
      <div class="dialog-actions">
        <button type="button" ref={cancelRef} class="button" onClick={props.onClose} disabled={busy}>
          {props.cancelLabel ?? 'Cancel'}
        </button>
        <button
          type="button"
          class={props.destructive ? 'button button-danger' : 'button button-primary'}
          onClick={confirm}
          disabled={busy}
          aria-busy={busy}
        >
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
