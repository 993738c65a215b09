import { InputError } from '../../errors.js';
import { POLICIES } from './catalog.js';
import { COMPONENT_CHECKS, DOCUMENT_CHECKS, type ComponentCheckName, type DocumentCheckName, policyComponents } from './elements.js';
import { POLICY_IDS, type PolicyFinding, type PolicyId, type PolicyReport, type PolicySubject } from './types.js';

export { POLICY_IDS } from './types.js';
export type { PolicyFinding, PolicyId, PolicyReport, PolicySubject } from './types.js';

/** `--policy` values (repeatable, each may be comma-separated) as policy ids, in order, once each. */
export function parsePolicies(values: readonly string[]): PolicyId[] {
  const out: PolicyId[] = [];
  for (const value of values) {
    for (const raw of value.split(',')) {
      const name = raw.trim();
      if (name === '') continue;
      if (!(POLICY_IDS as readonly string[]).includes(name)) {
        throw new InputError(`--policy: unknown policy '${name}' (choose from ${POLICY_IDS.join(', ')})`);
      }
      if (!out.includes(name as PolicyId)) out.push(name as PolicyId);
    }
  }
  return out;
}

/** Holds one document to each policy: every element, on the document and on every component. */
export function checkPolicies(subject: PolicySubject, policies: readonly PolicyId[]): PolicyReport[] {
  return policies.map((id) => checkPolicy(subject, id));
}

function checkPolicy(subject: PolicySubject, id: PolicyId): PolicyReport {
  const policy = POLICIES.get(id);
  if (!policy) throw new Error(`no such policy: ${id}`);
  const components = policyComponents(subject.document, policy.snippets).filter((component) => !(policy.skipExcluded && component.scope === 'excluded'));
  const findings: PolicyFinding[] = [];
  for (const element of policy.elements) {
    if (element.scope === 'document') {
      const missing = DOCUMENT_CHECKS[element.check as DocumentCheckName](subject, components);
      if (missing !== undefined) findings.push({ element: element.id, name: element.name, message: `${missing} [${element.name}]` });
      continue;
    }
    const check = COMPONENT_CHECKS[element.check as ComponentCheckName];
    for (const component of components) {
      const missing = check(component, subject);
      if (missing === undefined) continue;
      findings.push({
        element: element.id,
        name: element.name,
        component: { ref: component.ref, name: component.name },
        message: `${component.kind} '${component.name}' (${component.ref}): ${missing} [${element.name}]`,
      });
    }
  }
  return {
    policy: id,
    standard: policy.standard,
    pass: findings.length === 0,
    elements: policy.elements.length,
    components: components.length,
    findings,
  };
}
