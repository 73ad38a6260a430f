import { strict as assert } from 'node:assert';
import { toNormalizedOffsets } from '../../../src/core/interchange/codepoints';
import { remapAnalysis } from '../../../src/core/interchange/remap';
import { HARBOUR, sampleAnalysis } from './helpers';

describe('interchange: editor analyses on CRLF documents', () => {
  it('remaps every span of an analysis of the CRLF text onto the normalised text', () => {
    const crlf = HARBOUR.replace(/\n/g, '\r\n');
    const onCrlf = sampleAnalysis(crlf);
    const mapped = remapAnalysis(onCrlf, toNormalizedOffsets(crlf));
    assert.deepEqual(mapped, sampleAnalysis(HARBOUR));
    for (const m of mapped.mentions) assert.equal(HARBOUR.slice(m.start, m.end), m.text);
    // The input is not modified.
    assert.equal(crlf.slice(onCrlf.mentions[5].start, onCrlf.mentions[5].end), 'Quay Street');
  });
});
