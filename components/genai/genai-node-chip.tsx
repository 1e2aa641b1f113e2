import type { GenAiNodeRefDto } from '@/lib/api/genai';
import { RoleBadge, SensitivityBadge } from './genai-badges';

/** A node of a path or finding: its label, main role and sensitivity. */
export function GenAiNodeChip(props: { id: string; node: GenAiNodeRefDto | undefined; target?: boolean }) {
  const { node } = props;
  return (
    <div className="genai-chain-node" data-target={props.target ? 'true' : 'false'} data-node-id={props.id} data-testid="genai-path-node">
      <div className="genai-node-label">{node?.label ?? props.id}</div>
      <div>
        {node?.sensitivity ? <SensitivityBadge level={node.sensitivity.level} tags={node.sensitivity.tags} /> : null}
        {(node?.roles ?? []).slice(0, 2).map((role) => (
          <RoleBadge key={role} role={role} />
        ))}
      </div>
    </div>
  );
}
