'use client';
import type { GenAiComponentDto, GenAiComponentsDto } from '@/lib/api/genai';
import { formatCount } from '@/components/ui/format-count';
import { Panel } from '@/components/ui/panel';
import { RoleBadge, SensitivityBadge } from './genai-badges';

function Coverage(props: { component: GenAiComponentDto }) {
  const { ingressGoverned, egressGoverned } = props.component;
  if (ingressGoverned === null) return <span className="muted">—</span>;
  if (!ingressGoverned) return <span className="genai-unprotected">no policy</span>;
  return <span>{egressGoverned ? 'ingress + egress' : 'ingress only'}</span>;
}

/** The GenAI inventory: each component's roles with confidence, sensitivity, coverage, and the evidence behind each role (expandable). */
export function GenAiComponentsPanel(props: { data: GenAiComponentsDto }) {
  const { components } = props.data;
  return (
    <Panel title={`Components (${components.length})`} testId="genai-components">
      {components.length === 0 ? (
        <p className="muted">Nothing classified: no inventory uploaded and no known LLM API seen in this window.</p>
      ) : (
        <div className="table-scroll">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Component</th>
                <th scope="col">Roles</th>
                <th scope="col">Data</th>
                <th scope="col">Policy</th>
                <th scope="col" className="num">
                  Flows
                </th>
                <th scope="col">Evidence</th>
              </tr>
            </thead>
            <tbody>
              {components.map((component) => (
                <tr key={component.id} data-testid="genai-component" data-node-id={component.id} data-roles={component.roles.map((role) => role.role).join(',')}>
                  <th scope="row">
                    <div className="mono">{component.label}</div>
                    <div className="muted small">
                      {component.cluster}
                      {component.workloadKind ? ` · ${component.workloadKind}` : component.kind === 'external' ? ' · external' : ''}
                    </div>
                  </th>
                  <td>
                    {component.roles.map((role) => (
                      <RoleBadge key={role.role} role={role.role} confidence={role.confidence} />
                    ))}
                  </td>
                  <td>{component.sensitivity ? <SensitivityBadge level={component.sensitivity.level} tags={component.sensitivity.tags} /> : <span className="muted">—</span>}</td>
                  <td>
                    <Coverage component={component} />
                  </td>
                  <td className="num">{formatCount(component.flows)}</td>
                  <td>
                    <details className="genai-details" data-testid="genai-component-evidence">
                      <summary>{evidenceCount(component)} {evidenceCount(component) === 1 ? 'item' : 'items'}</summary>
                      <ul className="genai-component-evidence">
                        {component.roles.flatMap((role) =>
                          role.evidence.map((evidence, index) => (
                            <li key={`${role.role}-${index}`}>
                              <strong>{role.role}</strong> · {evidence.source}: {evidence.detail}
                            </li>
                          )),
                        )}
                        {(component.sensitivity?.evidence ?? []).map((evidence, index) => (
                          <li key={`sensitivity-${index}`}>
                            <strong>sensitivity</strong> · {evidence.source}: {evidence.detail}
                          </li>
                        ))}
                      </ul>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}

function evidenceCount(component: { roles: readonly { evidence: readonly unknown[] }[]; sensitivity?: { evidence: readonly unknown[] } | null }): number {
  return component.roles.reduce((sum, role) => sum + role.evidence.length, 0) + (component.sensitivity?.evidence.length ?? 0);
}
