import type { StepAction } from '../steps/types.js';
import { applyOverlay } from './apply.js';
import type { Overlay } from './load-overlay.js';
import { pushAll } from '../util/arrays.js';

/**
 * `--overlay`: the distributor's build (generate/steps.ts runs it for source trees only). Findings
 * a patch explains (a manifest hash of a patched file) become notes.
 */
export function overlayStep(overlay: Overlay): StepAction {
  return {
    name: 'overlay',
    wants: () => false,
    apply(context) {
      const outcome = applyOverlay(context.document, context.findings, overlay);
      if (overlay.spec.namespace !== undefined) context.namespaceChosen = true;
      const kept = [...outcome.findings];
      context.findings.length = 0;
      pushAll(context.findings, kept);
      pushAll(context.warnings, outcome.warnings);
      pushAll(context.notes, outcome.notes);
    },
  };
}
