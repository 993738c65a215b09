import { BUNDLED_DIR } from './pip.js';
import type { DetectContext, Detection, Detector } from './types.js';
import { parseWheelFileName } from './wheel.js';

export const ENSUREPIP_INIT = 'Lib/ensurepip/__init__.py';

/**
 * ensurepip installs the wheel whose version `_PIP_VERSION` / `_SETUPTOOLS_VERSION` names, so a
 * bundled wheel of another version is a tree that disagrees with itself: a finding. A pinned
 * project with no wheel at all is only a warning (distributors remove the wheels on purpose).
 * Lists no packages: the wheels themselves are described by the bundled-wheel detector.
 */
export function ensurepipDetector(): Detector {
  return {
    name: 'ensurepip-pins',
    wants: (path) => path === ENSUREPIP_INIT,
    detect(context: DetectContext): Detection {
      const detection: Detection = { packages: [], findings: [], warnings: [] };
      const text = context.content(ENSUREPIP_INIT)?.toString('utf8');
      if (text === undefined) return detection;
      const bundled = new Map<string, string[]>();
      for (const path of context.files.keys()) {
        if (!path.startsWith(BUNDLED_DIR) || path.slice(BUNDLED_DIR.length).includes('/')) continue;
        const wheel = parseWheelFileName(path.slice(BUNDLED_DIR.length));
        if (!wheel) continue;
        const project = wheel.project.toLowerCase();
        bundled.set(project, [...(bundled.get(project) ?? []), wheel.version]);
      }
      for (const match of text.matchAll(/^_(PIP|SETUPTOOLS)_VERSION\s*=\s*["']([^"']+)["']/gm)) {
        const project = (match[1] as string).toLowerCase();
        const pinned = match[2] as string;
        const versions = bundled.get(project);
        if (!versions) {
          detection.warnings.push(`${ENSUREPIP_INIT} pins ${project} ${pinned} but ${BUNDLED_DIR} has no ${project} wheel`);
        } else if (!versions.includes(pinned)) {
          detection.findings.push({
            kind: 'version-drift',
            component: project,
            path: ENSUREPIP_INIT,
            message: `${project}: ${ENSUREPIP_INIT} pins ${pinned} but the bundled wheel is ${versions.join(', ')}`,
          });
        }
      }
      return detection;
    },
  };
}
