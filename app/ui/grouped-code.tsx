/**
 * A code shown big, one box per group: the reporter's receipt and a reviewer's recovery key.
 * A screen reader reads the paragraph's own text (a name given to a paragraph is not reliably
 * read), so each group is a word of its own with a hidden comma after it for a pause. The commas
 * are left out of a copied selection (app.css), so a pasted code is the code.
 */
export function GroupedCode({ code, kind }: { code: string; kind: 'receipt' | 'recovery' }) {
  const groups = code.split('-')
  return (
    <p className="receipt__code" {...{ [`data-${kind}`]: code }}>
      {groups.map((g, i) => (
        <span key={i} className="receipt__group">
          {g}
          {i < groups.length - 1 ? <span className="visually-hidden receipt__pause">, </span> : null}
        </span>
      ))}
    </p>
  )
}
