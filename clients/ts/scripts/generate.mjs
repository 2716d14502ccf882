// Renders the TypeScript client from idl/compute_credits.json with Codama (pinned in
// package.json). `--check` renders into a temporary folder and fails if the committed
// src/generated differs, so the client cannot drift from the program.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFromRoot } from 'codama';
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

async function render(outDir) {
  const idl = inlineAliases(JSON.parse(readFileSync(idlPath, 'utf8')));
  const codama = createFromRoot(rootNodeFromAnchor(idl));
  await codama.accept(
    renderVisitor(outDir, {
      deleteFolderBeforeRendering: true,
      formatCode: true,
      syncPackageJson: false,
      kitImportStrategy: 'rootOnly',
      generatedFolder: '.',
    }),
  );
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
