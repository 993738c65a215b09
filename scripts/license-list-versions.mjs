#!/usr/bin/env node
// Regenerates data/spdx-license-list-versions.json: for every license and exception id of the SPDX
// License List, the first list release (v3.0 onwards) that has it. The facts come from the release
// tags of the list's source repository, spdx/license-list-XML, whose src/ (licenses) and
// src/exceptions/ (exceptions) hold one XML file per id:
//
//   git clone --bare https://github.com/spdx/license-list-XML
//   node scripts/license-list-versions.mjs license-list-XML.git
//
// Ids already in v3.0 may be older (the 2.x releases have no tags there); "3.0" means "3.0 or
// earlier". Only file names are read, never the license texts.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const gitDir = process.argv[2];
if (!gitDir) {
  console.error('usage: node scripts/license-list-versions.mjs LICENSE_LIST_XML_GIT_DIR');
  process.exit(2);
}
const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

// v3.0 … v3.23, v3.24.0 …: releases as "3.N", oldest first.
const tags = git('tag', '--list', 'v3.*')
  .split('\n')
  .filter((tag) => /^v3\.\d+(\.0)?$/.test(tag))
  .map((tag) => ({ tag, version: tag.slice(1).replace(/\.0$/, '').replace(/^3$/, '3.0') }))
  .sort((a, b) => Number(a.version.split('.')[1]) - Number(b.version.split('.')[1]));

const names = (tag, folder) =>
  git('ls-tree', '--name-only', `${tag}:${folder}`)
    .split('\n')
    .filter((name) => name.endsWith('.xml'))
    .map((name) => name.slice(0, -4));

const licenses = new Map();
const exceptions = new Map();
for (const { tag, version } of tags) {
  for (const id of names(tag, 'src')) if (!licenses.has(id)) licenses.set(id, version);
  for (const id of names(tag, 'src/exceptions')) if (!exceptions.has(id)) exceptions.set(id, version);
}
const sorted = (map) => Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const out = {
  description: 'First SPDX License List release that has each license and exception id (3.0 means 3.0 or earlier).',
  source: 'https://github.com/spdx/license-list-XML release tags, file names under src/ and src/exceptions/',
  sourceLicense: 'The SPDX License List is published under CC0-1.0 (https://spdx.org/licenses/); this file holds facts derived from it',
  generatedBy: 'scripts/license-list-versions.mjs',
  versions: tags.map(({ version }) => version),
  licenses: sorted(licenses),
  exceptions: sorted(exceptions),
};
const target = join(import.meta.dirname, '..', 'data', 'spdx-license-list-versions.json');
writeFileSync(target, `${JSON.stringify(out, null, 1)}\n`);
console.log(`wrote ${target}: ${licenses.size} licenses, ${exceptions.size} exceptions, releases ${out.versions[0]}–${out.versions.at(-1)}`);
