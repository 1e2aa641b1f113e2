'use client';
import Link from 'next/link';
import { Fragment, useState } from 'react';
import type { GenAiPathDto, GenAiPathsDto } from '@/lib/api/genai';
import type { GenAiFilterParams } from '@/lib/query/genai';
import { formatCount } from '@/components/ui/format-count';
import { Panel } from '@/components/ui/panel';
import { GenAiHopEvidence } from './genai-hop-evidence';
import { GenAiNodeChip } from './genai-node-chip';

const PAGE = 25;

function PathRow(props: { path: GenAiPathDto; data: GenAiPathsDto; params: GenAiFilterParams }) {
  const { path, data } = props;
  const [openHop, setOpenHop] = useState<number | null>(null);
  const target = data.nodes[path.targetNodeId];
  return (
    <div className="genai-path" data-testid="genai-path" data-target={path.target} data-path={path.nodeIds.join(',')}>
      <div className="genai-path-head">
        <strong>{path.target === 'external-llm-api' ? 'To an external LLM API' : 'To a sensitive store'}</strong>
        <span className="muted">
          {path.cluster} · {target?.label ?? path.targetNodeId}
          {path.entryNodeId === null ? ' · no entry point reached it in the window' : ''}
        </span>
        <Link href={path.graphHref} className="small">
          Show on the graph
        </Link>
      </div>
      <div className="genai-chain">
        {path.nodeIds.map((id, index) => {
          const hop = index > 0 ? path.hops[index - 1] : undefined;
          return (
            <Fragment key={`${id}-${index}`}>
              {hop ? (
                <div className="genai-hop" data-testid="genai-hop">
                  <span>{hop.ports.join(', ')}</span>
                  <span>{formatCount(hop.flows)} flows</span>
                  <div className="genai-hop-arrow" aria-hidden="true" />
                  {hop.policies.length > 0 ? (
                    hop.policies.map((policy) => (
                      <span key={policy} className="genai-hop-policy" title="allowed by">
                        {policy}
                      </span>
                    ))
                  ) : (
                    <span className="genai-hop-policy" data-none="true" title="allowed by default: no policy selects this traffic">
                      no policy
                    </span>
                  )}
                  <button type="button" onClick={() => setOpenHop(openHop === index - 1 ? null : index - 1)} aria-expanded={openHop === index - 1}>
                    {openHop === index - 1 ? 'hide flows' : 'evidence flows'}
                  </button>
                </div>
              ) : null}
              <GenAiNodeChip id={id} node={data.nodes[id]} target={id === path.targetNodeId} />
            </Fragment>
          );
        })}
      </div>
      {openHop !== null && path.hops[openHop] ? (
        <GenAiHopEvidence params={props.params} source={path.hops[openHop].sourceNodeId} target={path.hops[openHop].destinationNodeId} />
      ) : null}
    </div>
  );
}

/** Data-access paths drawn left to right: entry → … → sensitive store or external LLM API, each hop with port, flows and allowing policies. */
export function GenAiPathsPanel(props: { data: GenAiPathsDto; params: GenAiFilterParams }) {
  const [shown, setShown] = useState(PAGE);
  const { data } = props;
  return (
    <Panel title={`Data-access paths (${data.paths.length}${data.truncated ? '+' : ''})`} testId="genai-paths">
      {data.paths.length === 0 ? (
        <p className="muted">No observed path from an entry point or GenAI component to a sensitive store or an external LLM API in this window.</p>
      ) : (
        <>
          {data.paths.slice(0, shown).map((path) => (
            <PathRow key={`${path.cluster}:${path.id}`} path={path} data={data} params={props.params} />
          ))}
          {data.paths.length > shown ? (
            <button type="button" className="genai-chip" onClick={() => setShown(shown + PAGE)}>
              Show {Math.min(PAGE, data.paths.length - shown)} more of {data.paths.length - shown}
            </button>
          ) : null}
        </>
      )}
    </Panel>
  );
}
