// Test-only interop check: does an independent implementation accept microcred's badges?
//
//   node verify.mjs BADGE.json [--status-list URL=FILE]... [--now ISO] [--schema FILE]
//
// Verifies the Data Integrity proof (eddsa-rdfc-2022) with the Digital Credentials Consortium
// libraries, the validity dates and a BitstringStatusListEntry read from a local file; with
// --schema also the 1EdTech JSON Schema (ajv). Prints one JSON object; exit 0 only if verified.
// Offline: contexts come from the npm packages bundled in security-document-loader, did:key is
// decoded locally, every other URL must be given with --status-list, and fetch() is disabled.
import {parseArgs} from 'node:util';
import * as vc from '@digitalcredentials/vc';
import {DataIntegrityProof} from '@digitalcredentials/data-integrity';
import {cryptosuite} from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';
import {localDocuments, messages, offlineLoader, readJson} from './offline.mjs';
import {checkStatus} from '@digitalcredentials/vc-bitstring-status-list';
import {Ajv2019} from 'ajv/dist/2019.js';
import ajvFormats from 'ajv-formats';

// Called by vc.verifyCredential with its own options (credential, documentLoader, suite).
async function statusOf(options) {
  const entries = [options.credential.credentialStatus].flat();
  const unknown = entries.filter(entry => entry.type !== 'BitstringStatusListEntry');
  if(unknown.length) {
    return {verified: false, error: new Error(`cannot check status type ${unknown[0].type}`)};
  }
  return checkStatus({...options, verifyMatchingIssuers: true});
}

function schemaErrors(credential, schemaFile) {
  const ajv = new Ajv2019({allErrors: true, strict: false});
  ajvFormats(ajv);
  const validate = ajv.compile(readJson(schemaFile));
  return validate(credential) ? [] :
    validate.errors.map(e => `schema: ${e.instancePath || '/'} ${e.message}`);
}

async function main() {
  const {values, positionals} = parseArgs({
    allowPositionals: true,
    options: {
      'status-list': {type: 'string', multiple: true, default: []},
      now: {type: 'string'},
      schema: {type: 'string'}
    }
  });
  const credential = readJson(positionals[0]);
  const result = await vc.verifyCredential({
    credential,
    suite: new DataIntegrityProof({cryptosuite}),
    documentLoader: offlineLoader(localDocuments(values['status-list'])),
    now: values.now ? new Date(values.now) : new Date(),
    checkStatus: credential.credentialStatus ? statusOf : undefined
  });
  const errors = [...messages(result.error)];
  for(const proofResult of result.results || []) {
    errors.push(...messages(proofResult.error));
  }
  const status = result.statusResult;
  if(status) {
    errors.push(...[...messages(status.error)].map(m => `status: ${m}`));
    for(const item of status.results || []) {
      if(!item.verified) {
        errors.push(`status: ${item.credentialStatus.statusPurpose} bit ${item.credentialStatus.statusListIndex} is set`);
      }
    }
  }
  if(values.schema) {
    errors.push(...schemaErrors(credential, values.schema));
  }
  const report = {
    verified: result.verified && errors.length === 0,
    signature: Boolean(result.results?.[0]?.verified),
    status: status ? status.verified : null,
    errors: [...new Set(errors)]
  };
  console.log(JSON.stringify(report, null, 2));
  return report.verified ? 0 : 1;
}

main().then(code => process.exit(code), error => {
  console.log(JSON.stringify({verified: false, errors: [String(error?.stack || error)]}));
  process.exit(2);
});
