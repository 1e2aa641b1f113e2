'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { parseGenAiRules } from '@/core/genai/parse-genai-rules';
import type { GenAiRulesDto } from '@/lib/api/genai';
import { sendJson } from '@/lib/query/fetch-json';
import { genAiKeys, genAiRulesQueryOptions } from '@/lib/query/genai';
import { Panel } from '@/components/ui/panel';
import '@/components/genai/genai.css';

const EXAMPLE = `[
  {
    "kind": "role", "id": "our-inference-gateway", "role": "llm-gateway", "confidence": 0.9,
    "match": [{ "kind": "image", "pattern": "(^|/)inference-gateway$" }],
    "description": "our in-house gateway"
  },
  {
    "kind": "sensitivity", "id": "billing-is-pci", "level": "restricted", "tags": ["pci"],
    "match": [{ "kind": "namespace", "pattern": "^billing$" }]
  }
]`;

interface Issue {
  path: string;
  message: string;
}

/** Checks the text as the server will: JSON, then core's `parseGenAiRules` (every problem with its field path). */
function validate(text: string): { rules: unknown[] | null; issues: Issue[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { rules: null, issues: [{ path: '(json)', message: error instanceof Error ? error.message : 'not JSON' }] };
  }
  const parsed = parseGenAiRules(json);
  if (!parsed.ok) return { rules: null, issues: parsed.error.issues.map((issue) => ({ path: issue.path || '(rules)', message: issue.message })) };
  return { rules: json as unknown[], issues: [] };
}

/** PUT through `sendJson` (session CSRF token); a 422's message lists the field paths. */
function saveRules(rules: unknown[]): Promise<GenAiRulesDto> {
  return sendJson<GenAiRulesDto>('/api/genai/rules', { method: 'PUT', body: { rules } });
}

/**
 * Settings: GenAI classification rules. Admins edit the rule list as JSON (validated as they type, with
 * field paths), save it (audit-logged) and it applies on the next GenAI query; analysts read it.
 */
export function GenAiRulesSection() {
  const queryClient = useQueryClient();
  const { data, error } = useQuery(genAiRulesQueryOptions());
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    if (data && text === null) setText(data.rules.length > 0 ? JSON.stringify(data.rules, null, 2) : '[]');
  }, [data, text]);
  const checked = useMemo(() => (text === null ? { rules: null, issues: [] } : validate(text)), [text]);
  const save = useMutation({
    mutationFn: saveRules,
    onSuccess: (saved) => {
      queryClient.setQueryData(genAiKeys.rules, saved);
      // Classification changed: every GenAI view must ask again.
      void queryClient.invalidateQueries({ queryKey: genAiKeys.all });
    },
  });
  const canEdit = data?.canEdit ?? false;
  return (
    <Panel title="GenAI classification rules" testId="genai-rules-section" className="genai-rules">
      <p className="muted small">
        Custom rules add to the built-in table; a rule with the id of a built-in rule replaces it ({data?.defaultRuleIds.length ?? '…'} built-in rules, e.g.{' '}
        <code>{data?.defaultRuleIds.slice(0, 3).join(', ')}</code>). Role rules assign (or, with <code>&quot;effect&quot;: &quot;suppress&quot;</code>, remove) a role;
        sensitivity rules set a data level and tags. They apply on the next GenAI query.
      </p>
      {error ? <p className="field-error">The rules could not be loaded: {error.message}</p> : null}
      {data ? (
        <>
          <label htmlFor="genai-rules-json" className="visually-hidden">
            Rules as JSON
          </label>
          <textarea
            id="genai-rules-json"
            data-testid="genai-rules-json"
            value={text ?? ''}
            readOnly={!canEdit}
            spellCheck={false}
            onChange={(event) => {
              setText(event.target.value);
              save.reset();
            }}
            placeholder={EXAMPLE}
            aria-invalid={checked.issues.length > 0}
            aria-describedby="genai-rules-issues"
          />
          <div id="genai-rules-issues" aria-live="polite">
            {checked.issues.length > 0 ? (
              <ul className="genai-rules-issues" data-testid="genai-rules-issues">
                {checked.issues.slice(0, 20).map((issue, index) => (
                  <li key={index}>
                    <code>{issue.path}</code>: {issue.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
          <div className="genai-rules-actions">
            {canEdit ? (
              <button type="button" disabled={checked.rules === null || save.isPending} onClick={() => checked.rules && save.mutate(checked.rules)}>
                {save.isPending ? 'Saving…' : 'Save rules'}
              </button>
            ) : (
              <span className="muted small">Only admins can change the rules.</span>
            )}
            {save.isSuccess ? <span role="status">Saved; applies to the next GenAI query.</span> : null}
            {save.isError ? <span className="field-error" role="alert">{save.error.message}</span> : null}
            <span className="muted small">
              {data.updatedAtMs !== null ? `Last changed by ${data.updatedBy ?? 'unknown'} at ${new Date(data.updatedAtMs).toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'No custom rules yet.'}
            </span>
          </div>
          <details className="genai-details" style={{ marginTop: 8 }}>
            <summary>Example</summary>
            <pre className="mono small">{EXAMPLE}</pre>
          </details>
        </>
      ) : null}
    </Panel>
  );
}
