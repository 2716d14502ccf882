// Placeholder until helper D's branch (s18-wt-d) lands its calculator here: take D's file
// whole when merging.
export function Calculator() {
  return (
    <section data-testid="page-calculator">
      <h1>Financing calculator</h1>
      <p className="muted">The calculator is being built on branch s18-wt-d.</p>
    </section>
  );
}
