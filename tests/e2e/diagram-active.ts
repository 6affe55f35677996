// Waiting for the diagram's lit-up layer (data-active="true"), shared by the linked-views e2e tests.
import type { Page } from 'playwright-core';

/** Waits until the active diagram layer's `attribute` (data-layer, aria-label, ...) is `value`. */
export async function waitForActiveLayer(page: Page, attribute: string, value: string): Promise<void> {
  await page.waitForFunction(
    ([attr, want]) =>
      document.querySelector('[data-testid="diagram-layer"][data-active="true"]')?.getAttribute(attr) ===
      want,
    [attribute, value] as const,
  );
}
