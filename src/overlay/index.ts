/** Distributor overlays (`generate --overlay FILE`): patched trees, unbundled components, excluded paths. */
export { EXCLUDED_ANNOTATION, isExclusionAnnotation } from '../model/annotations.js';
export { applyOverlay, type OverlayOutcome } from './apply.js';
export { overlayStep } from './step.js';
export { loadOverlay, type Overlay } from './load-overlay.js';
export { parseOverlaySpec, type OverlaySpec } from './load.js';
