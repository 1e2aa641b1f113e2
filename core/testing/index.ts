export { makeEndpoint, makeFlow, type MakeFlowOverrides } from './make-flow';
export { demoEndpoint, makeDemoLikeEdges, makeDemoLikeObjects } from './make-demo-like-cluster';
