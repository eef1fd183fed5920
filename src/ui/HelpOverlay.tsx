/** The `?` overlay: every key of the one key table (keys.ts), grouped. */
import { useLoupe } from '../state/store';
import { KEY_BINDINGS, type KeyBinding } from './keys';

const GROUPS: Array<KeyBinding['group']> = ['Move', 'Find', 'View', 'Label'];

export function HelpOverlay() {
  const open = useLoupe((s) => s.helpOpen);
  const setHelpOpen = useLoupe((s) => s.setHelpOpen);
  if (!open) return null;
  return (
    <>
      <div className="drawer-backdrop" onClick={() => setHelpOpen(false)} />
      <div className="help-overlay" role="dialog" aria-label="Keyboard shortcuts" data-keys-pass data-testid="help-overlay">
        <div className="panel-head">
          <span className="panel-title">Keyboard</span>
          <span className="muted">works anywhere except while typing (Esc always)</span>
          <span className="spacer" />
          <button className="btn small ghost" onClick={() => setHelpOpen(false)} aria-label="Close keyboard help">
            ✕
          </button>
        </div>
        <div className="help-groups">
          {GROUPS.map((group) => (
            <section key={group}>
              <div className="section-title">{group}</div>
              <table className="help-keys">
                <tbody>
                  {KEY_BINDINGS.filter((b) => b.group === group).map((b) => (
                    <tr key={b.shown}>
                      <td>
                        {b.shown.split(/\s+/).map((k) => (
                          <kbd key={k}>{k}</kbd>
                        ))}
                      </td>
                      <td>{b.help}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))}
        </div>
        <p className="hint" style={{ padding: '0 14px 10px' }}>
          Search: <code>timeout refused</code> needs both words, <code>-timeout</code> drops lines with it, <code>"connection reset"</code>{' '}
          is a phrase; switch on <b>.*</b> for a regular expression such as <code>timeout|refused</code>, and <b>not</b> to keep the lines
          that do not match.
        </p>
      </div>
    </>
  );
}
