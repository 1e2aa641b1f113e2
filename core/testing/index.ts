export { makeEndpoint, makeFlow, type MakeFlowOverrides } from './make-flow';
