import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** Every `.yaml`/`.yml`/`.json` file under `directory`, recursively, in a stable (name) order. */
export async function listManifestFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) files.push(...(await listManifestFiles(full)));
    else if (entry.isFile() && /\.(ya?ml|json)$/i.test(entry.name)) files.push(full);
  }
  return files;
}
