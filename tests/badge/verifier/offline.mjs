// What both interop scripts share: no network, local files for every non-bundled URL, and the
// messages of the libraries' nested errors.
import {readFileSync} from 'node:fs';
import {securityLoader} from '@digitalcredentials/security-document-loader';

globalThis.fetch = async url => {
  throw new Error(`offline verifier: refusing to fetch ${url}`);
};

export const readJson = file => JSON.parse(readFileSync(file, 'utf8'));

// URL=FILE pairs (from --status-list) as a map of URL to parsed document.
export function localDocuments(pairs) {
  const documents = new Map();
  for(const pair of pairs) {
    const at = pair.lastIndexOf('=');
    documents.set(pair.slice(0, at), readJson(pair.slice(at + 1)));
  }
  return documents;
}

// The given documents first, then the contexts bundled in security-document-loader.
export function offlineLoader(documents) {
  const bundled = securityLoader({fetchRemoteContexts: false}).build();
  return async url => documents.has(url) ?
    {contextUrl: null, documentUrl: url, document: documents.get(url)} :
    bundled(url);
}

// Collect messages from nested errors, which the libraries wrap several levels deep.
export function messages(error, found = new Set()) {
  if(!error) {
    return found;
  }
  if(error.message) {
    found.add(error.message);
  }
  for(const inner of [...(error.errors || []), error.cause]) {
    messages(inner, found);
  }
  return found;
}
