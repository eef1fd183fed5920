/** How lines become records and templates: layout override, variable masks, session ids. */
import { useState } from 'react';
import type { AnalysisSettings } from '../../core/analysis/types';
import { Field, OptionalText, regexProblem } from './fields';

interface Props {
  settings: AnalysisSettings;
  onChange(change: Partial<AnalysisSettings>): void;
}

export function ParsingSection({ settings, onChange }: Props) {
  const [maskName, setMaskName] = useState('');
  const [maskPattern, setMaskPattern] = useState('');
  const maskError = regexProblem(maskPattern);
  const sessionError = regexProblem(settings.sessionRegex ?? '');
  const masks = settings.masks;
  return (
    <fieldset>
      <legend>Parsing</legend>
      <Field
        label="Layout override"
        hint={
          <>
            Loghub notation, e.g. <code>&lt;Date&gt; &lt;Time&gt; &lt;Level&gt; &lt;Component&gt;: &lt;Content&gt;</code>. Empty = detect.
          </>
        }
      >
        <OptionalText
          value={settings.layoutFormat}
          placeholder="detected automatically"
          onChange={(layoutFormat) => onChange({ layoutFormat })}
        />
      </Field>
      <Field
        group
        label="Add a mask"
        hint={maskError ? <span className="flagged">{maskError}</span> : 'A regex whose matches become <*> in templates.'}
      >
        <span className="inline">
          <input
            type="text"
            value={maskName}
            placeholder="name"
            style={{ flex: '0 0 80px' }}
            onChange={(e) => setMaskName(e.currentTarget.value)}
          />
          <input type="text" value={maskPattern} placeholder="regex" onChange={(e) => setMaskPattern(e.currentTarget.value)} />
          <button
            className="btn small"
            type="button"
            disabled={!maskName || !maskPattern || maskError !== null}
            onClick={() => {
              onChange({
                masks: { ...masks, add: [...masks.add.filter((m) => m.name !== maskName), { name: maskName, pattern: maskPattern }] },
              });
              setMaskName('');
              setMaskPattern('');
            }}
          >
            Add
          </button>
        </span>
      </Field>
      {masks.add.map((m) => (
        <p key={m.name} className="hint field-hint">
          <code>
            {m.name}: {m.pattern}
          </code>{' '}
          <button
            className="btn small ghost"
            type="button"
            onClick={() => onChange({ masks: { ...masks, add: masks.add.filter((x) => x.name !== m.name) } })}
            aria-label={`Remove mask ${m.name}`}
          >
            ✕
          </button>
        </p>
      ))}
      <Field label="Turn off defaults" hint="Built-in masks by name, comma-separated: ipv4, number, hex, path, uuid, datetime, …">
        <input
          type="text"
          value={masks.remove.join(', ')}
          onChange={(e) =>
            onChange({
              masks: {
                ...masks,
                remove: e.currentTarget.value
                  .split(',')
                  .map((s) => s.trim())
                  .filter(Boolean),
              },
            })
          }
        />
      </Field>
      <Field
        label="Session id regex"
        hint={
          sessionError ? (
            <span className="flagged">{sessionError}</span>
          ) : (
            'First capture group (or the match) names a line\u2019s session, e.g. (blk_-?\\d+).'
          )
        }
      >
        <OptionalText
          value={settings.sessionRegex}
          placeholder="detected (HDFS blocks…)"
          onChange={(sessionRegex) => onChange({ sessionRegex })}
        />
      </Field>
    </fieldset>
  );
}
