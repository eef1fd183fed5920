/** The small "Delete" button of the saved-analyses and downloaded-models lists, one markup for both. */
interface DeleteButtonProps {
  onDelete(): void;
  disabled?: boolean;
  /** Says what is deleted, for screen readers, where the row alone does not. */
  ariaLabel?: string;
  testId?: string;
}

export function DeleteButton({ onDelete, disabled, ariaLabel, testId }: DeleteButtonProps) {
  return (
    <button className="btn small" disabled={disabled} onClick={onDelete} aria-label={ariaLabel} data-testid={testId}>
      Delete
    </button>
  );
}
