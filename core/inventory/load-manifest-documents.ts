import { parseAllDocuments } from 'yaml';
import { buildInventory } from './build-inventory';
import type { Inventory, InventoryError } from './types';

export interface ManifestFile {
  /** Shown in errors; any string the caller finds meaningful (usually a relative path). */
  readonly path: string;
  readonly text: string;
}

export interface ManifestDocumentError {
  readonly kind: InventoryError['kind'];
  readonly file: string;
  /** 1-based index of the YAML document inside the file (a JSON file is one document). */
  readonly document: number;
  readonly object?: string;
  readonly field?: string;
  readonly message: string;
}

export interface LoadManifestDocumentsResult {
  readonly inventory: Inventory;
  readonly errors: readonly ManifestDocumentError[];
  /** Documents that decoded to an object or list (empty documents are not counted). */
  readonly documentCount: number;
}

/**
 * Parses YAML (multi-document) or JSON manifest text and builds one `Inventory` from all files.
 * A document with a YAML syntax error or an invalid policy is reported with its file and 1-based
 * document index, and every other document still loads.
 */
export function loadManifestDocuments(files: ReadonlyArray<ManifestFile>): LoadManifestDocumentsResult {
  const objects: unknown[] = [];
  const origins: Array<{ file: string; document: number }> = [];
  const errors: ManifestDocumentError[] = [];
  for (const file of files) {
    // YAML 1.2 is a superset of JSON, so one parser reads both.
    const documents = parseAllDocuments(file.text);
    // parseAllDocuments returns an EmptyStream (not an array of documents) for empty input.
    const list = Array.isArray(documents) ? documents : [];
    list.forEach((document, index) => {
      const documentNumber = index + 1;
      if (document.errors.length > 0) {
        const first = document.errors[0];
        const line = first?.linePos?.[0]?.line;
        errors.push({
          kind: 'yaml-syntax',
          file: file.path,
          document: documentNumber,
          message: `YAML syntax error${line !== undefined ? ` at line ${line}` : ''}: ${first?.message.split('\n')[0] ?? 'unknown'}`,
        });
        return;
      }
      const value: unknown = document.toJS({ maxAliasCount: 1000 });
      if (value === null || value === undefined) return;
      objects.push(value);
      origins.push({ file: file.path, document: documentNumber });
    });
  }
  const built = buildInventory(objects);
  for (const error of built.errors) {
    const origin = origins[error.objectIndex];
    errors.push({
      kind: error.kind,
      file: origin?.file ?? '<unknown>',
      document: origin?.document ?? 0,
      ...(error.object !== undefined ? { object: error.object } : {}),
      ...(error.field !== undefined ? { field: error.field } : {}),
      message: error.message,
    });
  }
  return { inventory: built.inventory, errors, documentCount: objects.length };
}
