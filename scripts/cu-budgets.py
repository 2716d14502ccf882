#!/usr/bin/env python3
"""Rewrites CU_BUDGETS in tests/harness/bench.rs from docs/compute-units.md (measured + ~10%,
rounded up to 500). Run after `cargo run -p app -- bench-cu` when a cost change is deliberate."""
import re, pathlib
root = pathlib.Path(__file__).resolve().parent.parent
table = (root / "docs/compute-units.md").read_text()
rows = [(m.group(1), int(m.group(2))) for m in re.finditer(r"\| `([^`]+)` \| (\d+) \|", table)]
body = "\n".join(f'    ("{n}", {((int(cu * 1.10) + 499) // 500) * 500}),' for n, cu in rows)
bench = root / "tests/harness/bench.rs"
src = bench.read_text()
src = re.sub(r"(pub const CU_BUDGETS: &\[\(&str, u64\)\] = &\[\n).*?(\n\];)", lambda m: m.group(1) + body + m.group(2), src, flags=re.S)
bench.write_text(src)
print(f"{len(rows)} budgets written")
