/** A template with its `<*>` variable slots highlighted. */
export function TemplateText({ text }: { text: string }) {
  const parts = text.split('<*>');
  return (
    <>
      {parts.map((part, i) => (
        <span key={i}>
          {part}
          {i < parts.length - 1 && <span className="var">&lt;*&gt;</span>}
        </span>
      ))}
    </>
  );
}
