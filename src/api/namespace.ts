import { KindRules } from './kind-rules';
import { isDns1123Label } from './names';

/** ValidateNamespace: cluster-scoped, name is a DNS-1123 label (pkg/apis/core/validation). */
export const NAMESPACE_RULES: KindRules = {
  meta: { namespaced: false, nameRule: isDns1123Label },
};
