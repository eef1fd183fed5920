/** A button that opens the system file picker; several files at once, any text log, .gz, .jsonl or a labels CSV. */
import { useRef } from 'react';
import { useLoupe } from '../../state/store';

interface Props {
  role?: 'target' | 'reference';
  label?: string;
  primary?: boolean;
}

export function FilePickerButton({ role = 'target', label = 'Open log files…', primary }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const openFiles = useLoupe((s) => s.openFiles);
  const running = useLoupe((s) => s.run !== null);
  return (
    <>
      <button className={`btn${primary ? ' primary' : ''}`} disabled={running} onClick={() => input.current?.click()}>
        {label}
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid={role === 'reference' ? 'reference-picker' : 'file-picker'}
        aria-label={role === 'reference' ? 'Choose a reference log' : 'Choose log files'}
        onChange={(event) => {
          const files = Array.from(event.currentTarget.files ?? []);
          // Reset so picking the same file again still fires a change.
          event.currentTarget.value = '';
          if (files.length > 0) void openFiles(files, role);
        }}
      />
    </>
  );
}
