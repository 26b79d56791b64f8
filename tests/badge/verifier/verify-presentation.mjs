// Test-only interop check for learner records: does an independent implementation accept a
// microcred record (a Verifiable Presentation bundling signed badges)?
//
//   node verify-presentation.mjs RECORD.json --challenge C --domain D [--status-list URL=FILE]... [--now ISO]
//
// vc.verify() of the Digital Credentials Consortium: the presentation's Data Integrity proof
// (eddsa-rdfc-2022, authentication purpose, challenge and domain), then every credential in it
// (proof, dates, BitstringStatusListEntry from a local file). Offline, like verify.mjs.
import {parseArgs} from 'node:util';
import * as vc from '@digitalcredentials/vc';
import {DataIntegrityProof} from '@digitalcredentials/data-integrity';
import {cryptosuite} from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';
import {localDocuments, messages, offlineLoader, readJson} from './offline.mjs';
import {checkStatus} from '@digitalcredentials/vc-bitstring-status-list';

async function statusOf(options) {
  return checkStatus({...options, verifyMatchingIssuers: true});
}

async function main() {
  const {values, positionals} = parseArgs({
    allowPositionals: true,
    options: {
      'status-list': {type: 'string', multiple: true, default: []},
      challenge: {type: 'string'},
      domain: {type: 'string'},
      now: {type: 'string'}
    }
  });
  const presentation = readJson(positionals[0]);
  const result = await vc.verify({
    presentation,
    challenge: values.challenge,
    domain: values.domain,
    suite: new DataIntegrityProof({cryptosuite}),
    documentLoader: offlineLoader(localDocuments(values['status-list'])),
    now: values.now ? new Date(values.now) : new Date(),
    checkStatus: statusOf
  });
  const errors = [...messages(result.error)];
  for(const credentialResult of result.credentialResults || []) {
    errors.push(...[...messages(credentialResult.error)].map(m => `${credentialResult.credentialId}: ${m}`));
    for(const item of credentialResult.statusResult?.results || []) {
      if(!item.verified) {
        errors.push(`${credentialResult.credentialId}: status bit ${item.credentialStatus.statusListIndex} is set`);
      }
    }
  }
  const report = {
    verified: Boolean(result.verified) && errors.length === 0,
    presentation: Boolean(result.presentationResult?.verified),
    credentials: (result.credentialResults || []).map(r => Boolean(r.verified)),
    errors: [...new Set(errors)]
  };
  console.log(JSON.stringify(report, null, 2));
  return report.verified ? 0 : 1;
}

main().then(code => process.exit(code), error => {
  console.log(JSON.stringify({verified: false, errors: [String(error?.stack || error)]}));
  process.exit(2);
});
