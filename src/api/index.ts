export * from './field-error';
export {
  isDns1123Label,
  isDns1123Subdomain,
  isDns1035Label,
  isWildcardDns1123Subdomain,
  isValidPortName,
  isQualifiedName,
  isValidLabelValue,
  isValidPortNum,
  isValidIP,
  isValidCIDR,
} from './names';
export { validateManifest, applyDefaults, isKnownKind } from './validate';
export { ValidationOptions } from './kind-rules';
