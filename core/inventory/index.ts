export * from './types';
export { buildInventory, DEFAULT_NAMESPACE, type BuildInventoryResult } from './build-inventory';
export {
  loadManifestDocuments,
  type LoadManifestDocumentsResult,
  type ManifestDocumentError,
  type ManifestFile,
} from './load-manifest-documents';
export { parseCidr, parseIpv4, formatIpv4, type Ipv4Range, type ParsedCidr, type ParseCidrResult } from './parse-cidr';
export { EMPTY_SELECTOR } from './parse-label-selector';
