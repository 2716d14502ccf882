// Renders the TypeScript client from idl/compute_credits.json with Codama (pinned in
// package.json). `--check` renders into a temporary folder and fails if the committed
// src/generated differs, so the client cannot drift from the program.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFromRoot, definedTypeNode, programNode, rootNode } from 'codama';
import { rootNodeFromAnchor } from '@codama/nodes-from-anchor';
import { renderVisitor } from '@codama/renderers-js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const idlPath = path.resolve(root, '../../idl/compute_credits.json');
const args = process.argv.slice(2);
const check = args.includes('--check');
const target = path.resolve(root, args.find((a) => !a.startsWith('--')) ?? 'src/generated');

// Anchor states a typed quantity the program stores (`CreditAtoms`) as a type alias
// (`{"kind": "type", "alias": "u64"}`), which nodes-from-anchor 1.5 does not read: each use of
// an alias is replaced by the type it names, and the alias definitions are dropped.
function inlineAliases(idl) {
  const aliases = new Map(
    idl.types.filter((t) => t.type.kind === 'type').map((t) => [t.name, t.type.alias]),
  );
  const visit = (node) => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    if (node.defined && aliases.has(node.defined.name)) return visit(aliases.get(node.defined.name));
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, visit(v)]));
  };
  return visit({ ...idl, types: idl.types.filter((t) => !aliases.has(t.name)) });
}

// renderers-js 2.2.0 renders no codec for the IDL's events: add each event's fields as a
// defined type (FillV2 -> getFillV2Decoder in types/), without its 8-byte discriminator, which
// src/events.ts derives as Anchor does (sha256("event:<Name>")[..8]) and tests against the IDL.
function withEventTypes(root) {
  const program = root.program;
  const taken = new Set(program.definedTypes.map((t) => t.name));
  const eventTypes = program.events
    .filter((e) => !taken.has(e.name))
    .map((e) => definedTypeNode({ name: e.name, type: e.data.kind === 'hiddenPrefixTypeNode' ? e.data.type : e.data, docs: [`An event's fields (after its 8-byte discriminator): see src/events.ts.`] }));
  return rootNode(programNode({ ...program, definedTypes: [...program.definedTypes, ...eventTypes] }), root.additionalPrograms);
}

async function render(outDir) {
  const idl = inlineAliases(JSON.parse(readFileSync(idlPath, 'utf8')));
  const codama = createFromRoot(withEventTypes(rootNodeFromAnchor(idl)));
  await codama.accept(
    renderVisitor(outDir, {
      deleteFolderBeforeRendering: true,
      formatCode: true,
      syncPackageJson: false,
      kitImportStrategy: 'rootOnly',
      generatedFolder: '.',
    }),
  );
  writeFileSync(path.join(outDir, 'events.ts'), eventTable(idl));
  writeFileSync(path.join(outDir, 'errorTable.ts'), errorTable(idl));
}

// The program's own errors by code (name and message), as credit-client's errors.rs reads
// them from the IDL: the generated errors/ keep messages out of production bundles.
function errorTable(idl) {
  return [
    '// Rendered by scripts/generate.mjs from idl/compute_credits.json: do not edit.',
    'export const COMPUTE_CREDITS_ERROR_TABLE: Record<number, readonly [name: string, message: string]> = {',
    ...idl.errors.map((e) => `  ${e.code}: [${JSON.stringify(e.name)}, ${JSON.stringify(e.msg ?? e.name)}],`),
    '};',
    '',
  ].join('\n');
}

// Every event's discriminator (from the IDL) and generated decoder, by the IDL's event name.
function eventTable(idl) {
  const names = idl.events.map((e) => e.name);
  const lines = [
    '// Rendered by scripts/generate.mjs from idl/compute_credits.json: do not edit.',
    "import type { Decoder } from '@solana/kit';",
    'import {',
    ...names.map((n) => `  get${n}Decoder,`),
    ...names.map((n) => `  type ${n},`),
    "} from './types';",
    '',
    '/** Every event the IDL names, with its fields\' type. */',
    'export type ComputeCreditsEventMap = {',
    ...names.map((n) => `  ${n}: ${n};`),
    '};',
    'export type ComputeCreditsEventName = keyof ComputeCreditsEventMap;',
    '',
    '/** Each event\'s 8-byte discriminator and the decoder of its fields. */',
    'export const COMPUTE_CREDITS_EVENTS: {',
    '  [K in ComputeCreditsEventName]: { discriminator: Uint8Array; decoder: Decoder<ComputeCreditsEventMap[K]> };',
    '} = {',
    ...idl.events.map((e) => `  ${e.name}: { discriminator: new Uint8Array([${e.discriminator.join(', ')}]), decoder: get${e.name}Decoder() },`),
    '};',
    '',
  ];
  return lines.join('\n');
}

function files(dir, base = dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full, base) : [path.relative(base, full)];
  });
}

if (!check) {
  await render(target);
  console.log(`rendered ${files(target).length} files into ${path.relative(process.cwd(), target)}`);
} else {
  const tmp = mkdtempSync(path.join(tmpdir(), 'codama-'));
  try {
    await render(tmp);
    const fresh = files(tmp).sort();
    const committed = files(target).sort();
    const drift = [];
    for (const f of new Set([...fresh, ...committed])) {
      if (!fresh.includes(f)) drift.push(`only committed: ${f}`);
      else if (!committed.includes(f)) drift.push(`missing from the commit: ${f}`);
      else if (readFileSync(path.join(tmp, f), 'utf8') !== readFileSync(path.join(target, f), 'utf8'))
        drift.push(`differs: ${f}`);
    }
    if (drift.length) {
      console.error(`the generated client drifted from idl/compute_credits.json (run npm run generate):\n  ${drift.join('\n  ')}`);
      process.exit(1);
    }
    console.log(`generated client matches the IDL (${fresh.length} files)`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
