#!/usr/bin/env node
// Benchmark: writing and reading SPDX and CycloneDX (JSON, XML) for models of 500 and 5,000 files,
// in CPU time of this process (best of several runs). Prints each time and the 500 -> 5,000
// growth: about 10x is linear, 100x would be a quadratic step. Usage: node bench/formats.mjs
import { createHash } from 'node:crypto';
import { readCycloneDx, writeCycloneDx } from '../dist/formats/cyclonedx/index.js';
import { readSpdx } from '../dist/formats/spdx/read.js';
import { writeSpdx } from '../dist/formats/spdx/write.js';

function model(count) {
  const cpython = { ref: 'cpython', name: 'CPython', version: '3.13.15', purpose: 'SOURCE', checksums: {}, files: [], dependsOn: ['expat'] };
  const expat = { ref: 'expat', name: 'expat', version: '2.8.2', purpose: 'SOURCE', checksums: {}, files: [], dependsOn: [] };
  const files = [];
  for (let i = 0; i < count; i++) {
    const path = `Lib/pkg${i % 50}/module_${i}.py`;
    const sha = (algorithm) => createHash(algorithm).update(path).digest('hex');
    files.push({ path, checksums: { SHA1: sha('sha1'), SHA256: sha('sha256') } });
    (i % 100 === 0 ? expat : cpython).files.push(path);
  }
  return {
    name: 'CPython SBOM',
    namespace: 'https://example.org/bench',
    created: '2024-01-01T00:00:00Z',
    creators: ['Tool: bench'],
    dataLicense: 'CC0-1.0',
    describes: ['cpython'],
    packages: [cpython, expat],
    files,
    relationships: [],
    annotations: [],
  };
}

function best(run, runs) {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    fastest = Math.min(fastest, (used.user + used.system) / 1000);
  }
  return fastest;
}

const formats = {
  'spdx-json': { write: (m) => writeSpdx(m), read: (t) => readSpdx(t, 'bench') },
  'cyclonedx-json': { write: (m) => writeCycloneDx(m, { format: 'json', specVersion: '1.6' }), read: (t) => readCycloneDx(t, 'bench') },
  'cyclonedx-xml': { write: (m) => writeCycloneDx(m, { format: 'xml', specVersion: '1.6' }), read: (t) => readCycloneDx(t, 'bench') },
};
for (const [name, format] of Object.entries(formats)) {
  format.read(format.write(model(5000))); // warm up
  const figures = {};
  for (const count of [500, 5000]) {
    const m = model(count);
    let text = '';
    const runs = count < 5000 ? 7 : 3;
    const write = best(() => (text = format.write(m)), runs);
    const read = best(() => format.read(text), runs);
    figures[count] = { write, read };
  }
  const { 500: small, 5000: large } = figures;
  console.log(
    `${name.padEnd(15)} 5,000 files: write ${large.write.toFixed(0).padStart(4)} ms, read ${large.read.toFixed(0).padStart(4)} ms CPU;` +
      ` growth from 500 files: write ${(large.write / small.write).toFixed(1)}x, read ${(large.read / small.read).toFixed(1)}x`,
  );
}
